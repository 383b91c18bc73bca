#include "runtime/snapshot/linked_snapshot.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "plan/snapshot_hash.h"
#include "plan/zone_linker.h"
#include "rules/ir_codes.h"
#include "rules/ir_linker.h"
#include "tests/support/test_zones.h"

namespace gatehouse::runtime {
namespace {

// A zone named `name` at `version` that claims `hosts` (its own name when empty).
snapshot::v1::CompiledZone Zone(const std::string& name, uint64_t version,
                                std::vector<std::string> hosts = {}) {
  snapshot::v1::CompiledZone zone = testing::CompiledTestZone(name, version);
  if (!hosts.empty()) {
    zone.mutable_program()->clear_hostnames();
    for (const std::string& host : hosts) zone.mutable_program()->add_hostnames(host);
  }
  return zone;
}

snapshot::v1::Snapshot Full(uint64_t version, int zones) {
  snapshot::v1::Snapshot snapshot;
  snapshot.set_format(snapshot::v1::FORMAT_VERSION_1);
  snapshot.set_version(version);
  for (int i = 0; i < zones; ++i) {
    *snapshot.add_zones() = Zone("zone" + std::to_string(i) + ".test", 1);
  }
  return snapshot;
}

std::shared_ptr<const LinkedSnapshot> Delta(
    const LinkedSnapshot& previous, uint64_t version,
    std::vector<snapshot::v1::CompiledZone> changed, std::vector<std::string> removed = {},
    std::vector<ZoneOutcome>* outcomes = nullptr) {
  google::protobuf::RepeatedPtrField<snapshot::v1::CompiledZone> changed_field;
  for (auto& zone : changed) *changed_field.Add() = std::move(zone);
  google::protobuf::RepeatedPtrField<std::string> removed_field;
  for (auto& name : removed) *removed_field.Add() = std::move(name);
  return LinkedSnapshot::LinkDelta(version, previous.lineage(), &previous, changed_field,
                                   removed_field, outcomes);
}

TEST(LinkedSnapshotTest, ADeltaSharesEveryShardAndZoneItDoesNotChange) {
  auto full = LinkedSnapshot::Link(Full(1, 600), nullptr);
  ASSERT_TRUE(full.ok());
  const LinkedSnapshot& one = **full;
  ASSERT_EQ(one.zones().size(), 600u);

  const auto two = Delta(one, 2, {Zone("zone7.test", 2)});
  ASSERT_EQ(two->zones().size(), 600u);
  EXPECT_EQ(two->zones().at("zone7.test")->version, 2u);
  EXPECT_EQ(one.zones().at("zone7.test")->version, 1u);  // the snapshot before is unchanged
  const size_t changed = LinkedZones::ShardOf("zone7.test");
  for (size_t i = 0; i < LinkedZones::kShards; ++i) {
    EXPECT_EQ(two->zones().SameShard(one.zones(), i), i != changed) << i;
  }
  // Even within the changed shard, the other zones are the same objects, plans and all.
  for (const auto& [name, zone] : *one.zones().shard(changed)) {
    if (name != "zone7.test") {
      EXPECT_EQ(two->zones().at(name), zone) << name;
    }
  }
  ASSERT_NE(two->FindZone("zone7.test"), nullptr);
  EXPECT_EQ(two->FindZone("zone7.test")->version, 2u);
  EXPECT_EQ(one.FindZone("zone7.test")->version, 1u);
  EXPECT_EQ(two->FindZone("zone8.test"), one.FindZone("zone8.test"));
}

TEST(LinkedSnapshotTest, TheContentHashOfADeltaIsTheOneOfTheSameZonesLinkedInFull) {
  auto full = LinkedSnapshot::Link(Full(1, 300), nullptr);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ((*full)->content_hash(), plan::SnapshotContentHash(Full(1, 300)));

  const auto two = Delta(**full, 2, {Zone("zone3.test", 2), Zone("new.test", 1)},
                         {"zone4.test", "absent.test"});
  snapshot::v1::Snapshot same = Full(2, 300);
  for (auto& zone : *same.mutable_zones()) {
    if (zone.zone() == "zone3.test") zone = Zone("zone3.test", 2);
  }
  *same.add_zones() = Zone("new.test", 1);
  auto& zones = *same.mutable_zones();
  for (int i = 0; i < zones.size(); ++i) {
    if (zones[i].zone() == "zone4.test") zones.DeleteSubrange(i, 1);
  }
  EXPECT_EQ(two->content_hash(), plan::SnapshotContentHash(same));
  auto linked = LinkedSnapshot::Link(same, nullptr);
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(two->content_hash(), (*linked)->content_hash());
  EXPECT_NE(two->content_hash(), (*full)->content_hash());
}

TEST(LinkedSnapshotTest, ACertificateChangeChangesTheContentHashAsTheControlPlaneDefinesIt) {
  auto full = LinkedSnapshot::Link(Full(1, 20), nullptr);
  ASSERT_TRUE(full.ok());
  // New versions of the zone with the same config: only the certificates differ.
  const auto same_config = [](uint64_t version) {
    snapshot::v1::CompiledZone zone = Zone("zone3.test", 1);
    zone.set_version(version);
    return zone;
  };
  snapshot::v1::CompiledZone with_certificate = same_config(2);
  with_certificate.add_certificates()->set_fingerprint("ab12");
  const auto two = Delta(**full, 2, {with_certificate});
  EXPECT_EQ(two->zones().at("zone3.test")->plan, (*full)->zones().at("zone3.test")->plan);
  EXPECT_NE(two->content_hash(), (*full)->content_hash());
  snapshot::v1::Snapshot same = Full(2, 20);
  for (auto& zone : *same.mutable_zones()) {
    if (zone.zone() == "zone3.test") zone = with_certificate;
  }
  EXPECT_EQ(two->content_hash(), plan::SnapshotContentHash(same));
  // Removing it again (a new version) gives back the hash of the zones without it.
  const auto three = Delta(*two, 3, {same_config(3)});
  EXPECT_EQ(three->content_hash(), (*full)->content_hash());
}

TEST(LinkedSnapshotTest, HostNamesFollowTheirZoneThroughDeltas) {
  snapshot::v1::Snapshot snapshot;
  snapshot.set_format(snapshot::v1::FORMAT_VERSION_1);
  snapshot.set_version(1);
  *snapshot.add_zones() = Zone("a.test", 1, {"a.test", "*.a.test"});
  *snapshot.add_zones() = Zone("b.test", 1, {"b.test"});
  auto full = LinkedSnapshot::Link(snapshot, nullptr);
  ASSERT_TRUE(full.ok());
  const LinkedSnapshot& one = **full;
  ASSERT_NE(one.FindZone("x.a.test"), nullptr);

  // a.test gives up its wildcard and takes c.test.
  const auto two = Delta(one, 2, {Zone("a.test", 2, {"a.test", "c.test"})});
  EXPECT_EQ(two->FindZone("x.a.test"), nullptr);
  ASSERT_NE(two->FindZone("c.test"), nullptr);
  EXPECT_EQ(two->FindZone("c.test")->version, 2u);
  EXPECT_EQ(two->FindZone("a.test"), two->FindZone("c.test"));
  EXPECT_EQ(one.FindZone("c.test"), nullptr);
  ASSERT_NE(one.FindZone("x.a.test"), nullptr);

  // A second zone claims b.test too (a store from before claims were checked): served by
  // neither, until it gives the name up again.
  const auto three = Delta(*two, 3, {Zone("d.test", 1, {"d.test", "b.test"})});
  EXPECT_EQ(three->FindZone("b.test"), nullptr);
  const auto four = Delta(*three, 4, {}, {"d.test"});
  ASSERT_NE(four->FindZone("b.test"), nullptr);
  EXPECT_EQ(four->FindZone("b.test"), two->FindZone("b.test"));
  EXPECT_EQ(four->FindZone("d.test"), nullptr);
}

TEST(LinkedSnapshotTest, ARejectedZoneKeepsItsLastGoodVersionInADelta) {
  auto full = LinkedSnapshot::Link(Full(1, 10), nullptr);
  ASSERT_TRUE(full.ok());
  snapshot::v1::CompiledZone bad = Zone("zone1.test", 2);
  bad.mutable_program()->set_zone("other.test");
  std::vector<ZoneOutcome> outcomes;
  const auto two = Delta(**full, 2, {bad}, {}, &outcomes);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].applied);
  EXPECT_EQ(two->zones().at("zone1.test"), (*full)->zones().at("zone1.test"));
  EXPECT_EQ(two->FindZone("zone1.test")->version, 1u);
  EXPECT_EQ(two->content_hash(), (*full)->content_hash());
}

// An account-level list `l` of IP addresses at `version`.
snapshot::v1::AccountList IpList(uint64_t version, std::vector<std::string> items) {
  snapshot::v1::AccountList list;
  list.set_name("l");
  list.set_version(version);
  list.set_content_hash("hash-" + std::to_string(version));
  list.mutable_list()->set_name("l");
  list.mutable_list()->set_kind(rules::ir_codes::EncodeListKind("ip"));
  for (auto& item : items) list.mutable_list()->add_items(std::move(item));
  return list;
}

// A zone whose rule is `expression`, compiled with account list `l` (any version) to name.
snapshot::v1::CompiledZone ZoneNamingList(const std::string& name, const std::string& expression) {
  auto table = std::make_shared<rules::ListTable>();
  table->emplace("l", *rules::CompileListIr(IpList(1, {"192.0.2.1"}).list(), rules::Limits()));
  snapshot::v1::CompiledZone zone = testing::CompiledTestZone(name, 1, expression, table);
  EXPECT_EQ(zone.program().program_version(), plan::kProgramVersion) << "did not compile";
  return zone;
}

TEST(LinkedSnapshotTest, AListChangeRelinksOnlyTheZonesNamingIt) {
  snapshot::v1::Snapshot full = Full(1, 0);
  *full.add_account_lists() = IpList(1, {"192.0.2.1"});
  *full.add_zones() = ZoneNamingList("a.test", "ip.src in $l");
  *full.add_zones() = ZoneNamingList("b.test", "ip.src in $l and ssl");
  *full.add_zones() = Zone("c.test", 1);
  ASSERT_EQ(full.zones(0).program().account_lists_size(), 1);
  EXPECT_EQ(full.zones(2).program().account_lists_size(), 0);
  std::vector<ZoneOutcome> outcomes;
  auto one = LinkedSnapshot::Link(full, nullptr, &outcomes);
  ASSERT_TRUE(one.ok());
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.applied) << outcome.error;
  EXPECT_EQ((*one)->content_hash(), plan::SnapshotContentHash(full));

  google::protobuf::RepeatedPtrField<snapshot::v1::AccountList> changed;
  *changed.Add() = IpList(2, {"192.0.2.1", "198.51.100.7"});
  outcomes.clear();
  const auto two = LinkedSnapshot::LinkDelta(2, "", one->get(), {}, {}, &outcomes, changed, {});
  ASSERT_EQ(outcomes.size(), 2u);
  for (const auto& outcome : outcomes) {
    EXPECT_TRUE(outcome.applied) << outcome.error;
    EXPECT_NE(outcome.zone, "c.test");
  }
  EXPECT_EQ(two->lists().at("l")->version, 2u);
  EXPECT_NE(two->zones().at("a.test")->plan, (*one)->zones().at("a.test")->plan);
  EXPECT_EQ(two->zones().at("a.test")->account_lists[0].second, 2u);
  EXPECT_EQ(two->zones().at("a.test")->version, 1u);  // the zone's version does not move
  EXPECT_EQ(two->zones().at("c.test"), (*one)->zones().at("c.test"));  // shared
  snapshot::v1::Snapshot same = full;
  *same.mutable_account_lists(0) = changed.Get(0);
  EXPECT_EQ(two->content_hash(), plan::SnapshotContentHash(same));

  // A list that does not compile: the zones naming it are rejected and keep their plans.
  google::protobuf::RepeatedPtrField<snapshot::v1::AccountList> bad;
  *bad.Add() = IpList(3, {"not-an-ip"});
  outcomes.clear();
  const auto three = LinkedSnapshot::LinkDelta(3, "", two.get(), {}, {}, &outcomes, bad, {});
  ASSERT_EQ(outcomes.size(), 2u);
  for (const auto& outcome : outcomes) {
    EXPECT_FALSE(outcome.applied);
    EXPECT_NE(outcome.error.find("account-level list $l is not in the snapshot"), std::string::npos)
        << outcome.error;
    EXPECT_NE(outcome.error.find("not-an-ip"), std::string::npos) << outcome.error;
  }
  EXPECT_EQ(three->zones().at("a.test"), two->zones().at("a.test"));
}

// How many of the firewall rules of `zone` in `snapshot` the prefilter can skip.
size_t PrefilteredFirewallRules(const LinkedSnapshot& snapshot, const std::string& zone) {
  const plan::CompiledRuleset* ruleset =
      snapshot.zones().at(zone)->plan->Ruleset(plan::Phase::kFirewallCustom);
  return ruleset != nullptr ? ruleset->matcher->prefiltered_rule_count() : 0;
}

// `count` addresses no two of which are adjacent (adjacent ones would merge into one range).
std::vector<std::string> Addresses(int count) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.push_back("198.51.100." + std::to_string(2 * i));
  return out;
}

// A list of at most 64 items is a set of literals to the prefilter, as a zone's own list is: the
// proxy builds the zone's prefilter with the account list's items at link and at every relink,
// so a request from an address the list does not hold skips the rule without evaluating it.
TEST(LinkedSnapshotTest, ASmallAccountListFeedsTheZonesPrefilterAtEveryRelink) {
  snapshot::v1::Snapshot full = Full(1, 0);
  *full.add_account_lists() = IpList(1, {"192.0.2.1"});
  *full.add_zones() = ZoneNamingList("a.test", "ip.src in $l");
  auto one = LinkedSnapshot::Link(full, nullptr, nullptr);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(PrefilteredFirewallRules(**one, "a.test"), 1u);

  // 64 items: still prefiltered; 65: past the atom limit, the rule runs on every request.
  google::protobuf::RepeatedPtrField<snapshot::v1::AccountList> changed;
  *changed.Add() = IpList(2, Addresses(64));
  std::vector<ZoneOutcome> outcomes;
  const auto two = LinkedSnapshot::LinkDelta(2, "", one->get(), {}, {}, &outcomes, changed, {});
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].applied) << outcomes[0].error;
  EXPECT_EQ(PrefilteredFirewallRules(*two, "a.test"), 1u);

  *changed.Mutable(0) = IpList(3, Addresses(65));
  const auto three = LinkedSnapshot::LinkDelta(3, "", two.get(), {}, {}, &outcomes, changed, {});
  EXPECT_EQ(PrefilteredFirewallRules(*three, "a.test"), 0u);

  *changed.Mutable(0) = IpList(4, {"203.0.113.9"});
  const auto four = LinkedSnapshot::LinkDelta(4, "", three.get(), {}, {}, &outcomes, changed, {});
  EXPECT_EQ(PrefilteredFirewallRules(*four, "a.test"), 1u);
}

TEST(LinkedSnapshotTest, AZoneWhoseListIsMissingIsNotServed) {
  snapshot::v1::Snapshot full = Full(1, 1);
  *full.add_zones() = ZoneNamingList("a.test", "ip.src in $l");
  std::vector<ZoneOutcome> outcomes;
  auto linked = LinkedSnapshot::Link(full, nullptr, &outcomes);
  ASSERT_TRUE(linked.ok());
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].applied);
  EXPECT_FALSE(outcomes[1].applied);
  EXPECT_NE(outcomes[1].error.find("account-level list $l is not in the snapshot"),
            std::string::npos)
      << outcomes[1].error;
  EXPECT_EQ((*linked)->FindZone("a.test"), nullptr);
  EXPECT_NE((*linked)->FindZone("zone0.test"), nullptr);
}

}  // namespace
}  // namespace gatehouse::runtime

#include "api/snapshot_delta.h"

#include "api/proxy_registry.h"
#include "gtest/gtest.h"
#include "plan/snapshot_hash.h"

namespace gatehouse::api {
namespace {

std::shared_ptr<const snapshot::v1::CompiledZone> Zone(const std::string& name, uint64_t version) {
  auto zone = std::make_shared<snapshot::v1::CompiledZone>();
  zone->set_zone(name);
  zone->set_version(version);
  zone->set_config_hash("h" + std::to_string(version));
  return zone;
}

TEST(SnapshotDeltaTest, FreshProxyGetsTheFullSnapshot) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  v1::SnapshotUpdate update;
  ASSERT_TRUE(InitialUpdate(*publisher.Current(), 0, {}, {}, nullptr, &update));
  ASSERT_TRUE(update.has_snapshot());
  EXPECT_EQ(update.snapshot().version(), 2u);
  EXPECT_EQ(update.snapshot().zones_size(), 2);
  EXPECT_EQ(update.snapshot().content_hash(), publisher.Current()->content_hash);
}

std::shared_ptr<const compiler::ManagedRulesets> Crs(const std::string& digest) {
  auto rulesets = std::make_shared<compiler::ManagedRulesets>();
  snapshot::v1::ManagedRuleset& crs = rulesets->emplace_back();
  crs.set_id("owasp-crs");
  crs.set_version("OWASP_CRS/3.3.4");
  crs.set_digest(digest);
  return rulesets;
}

TEST(SnapshotDeltaTest, ManagedRulesetsTravelOnlyInFullSnapshots) {
  SnapshotPublisher publisher("lineage", Crs("d1"));
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "a.com", Zone("a.com", 2));
  const auto state = publisher.Current();
  // The content hash covers the rulesets.
  EXPECT_NE(state->content_hash, compiler::SnapshotContentHash(state->zones));
  EXPECT_EQ(state->content_hash, compiler::SnapshotContentHash(state->zones, Crs("d1").get()));
  EXPECT_NE(state->content_hash, compiler::SnapshotContentHash(state->zones, Crs("d2").get()));

  v1::SnapshotUpdate update;
  ASSERT_TRUE(InitialUpdate(*state, 0, {}, {}, nullptr, &update));
  ASSERT_TRUE(update.has_snapshot());
  ASSERT_EQ(update.snapshot().managed_rulesets_size(), 1);
  EXPECT_EQ(update.snapshot().managed_rulesets(0).digest(), "d1");
  EXPECT_EQ(update.snapshot().content_hash(), state->content_hash);

  // A proxy holding the same rulesets gets a delta, without them.
  ASSERT_TRUE(InitialUpdate(*state, 1, {{"a.com", 1}}, {}, nullptr, &update,
                            {{"owasp-crs", "d1"}}));
  EXPECT_FALSE(update.has_snapshot());
  EXPECT_EQ(update.changed_zones_size(), 1);
  // One holding another digest, or none (a proxy from before managed rulesets), gets them in
  // the full snapshot.
  for (const std::map<std::string, std::string>& held :
       {std::map<std::string, std::string>{{"owasp-crs", "d0"}},
        std::map<std::string, std::string>{}}) {
    ASSERT_TRUE(InitialUpdate(*state, 2, {{"a.com", 2}}, {}, nullptr, &update, held));
    ASSERT_TRUE(update.has_snapshot());
    EXPECT_EQ(update.snapshot().managed_rulesets_size(), 1);
  }
  // Deltas between states with the same rulesets carry none.
  publisher.Publish(3, "b.com", Zone("b.com", 1));
  ASSERT_TRUE(DeltaUpdate(*state, *publisher.Current(), nullptr, &update));
  EXPECT_FALSE(update.has_snapshot());
  EXPECT_EQ(update.changed_zones_size(), 1);
  // Between states whose rulesets differ: the full snapshot.
  PublishedState other = *publisher.Current();
  other.managed_rulesets = Crs("d2");
  ASSERT_TRUE(DeltaUpdate(*state, other, nullptr, &update));
  ASSERT_TRUE(update.has_snapshot());
  EXPECT_EQ(update.snapshot().managed_rulesets(0).digest(), "d2");
}

TEST(SnapshotDeltaTest, ReconnectingProxyGetsOnlyWhatChanged) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  publisher.Publish(3, "a.com", Zone("a.com", 2));
  publisher.Publish(4, "c.com", Zone("c.com", 1));
  v1::SnapshotUpdate update;
  // Holds a@1, b@1 and a zone that is gone.
  ASSERT_TRUE(InitialUpdate(*publisher.Current(), 2, {{"a.com", 1}, {"b.com", 1}, {"old.com", 3}},
                            {}, nullptr, &update));
  EXPECT_FALSE(update.has_snapshot());
  EXPECT_EQ(update.version(), 4u);
  ASSERT_EQ(update.changed_zones_size(), 2);
  EXPECT_EQ(update.changed_zones(0).zone(), "a.com");
  EXPECT_EQ(update.changed_zones(1).zone(), "c.com");
  ASSERT_EQ(update.removed_zones_size(), 1);
  EXPECT_EQ(update.removed_zones(0), "old.com");
}

TEST(SnapshotDeltaTest, RejectedVersionIsNotResentUntilTheZoneChanges) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "a.com", Zone("a.com", 2));
  v1::SnapshotUpdate update;
  // Serves a@1, rejected a@2: nothing to send but the version.
  ASSERT_TRUE(InitialUpdate(*publisher.Current(), 1, {{"a.com", 1}}, {{"a.com", 2}}, nullptr,
                            &update));
  EXPECT_EQ(update.changed_zones_size(), 0);
  const auto before = publisher.Current();
  publisher.Publish(3, "a.com", Zone("a.com", 3));
  ASSERT_TRUE(DeltaUpdate(*before, *publisher.Current(), nullptr, &update));
  ASSERT_EQ(update.changed_zones_size(), 1);
  EXPECT_EQ(update.changed_zones(0).version(), 3u);
}

TEST(SnapshotDeltaTest, DeltaCarriesOnlyChangedZonesAndRespectsTheFilter) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  const auto s2 = publisher.Current();
  publisher.Publish(3, "b.com", Zone("b.com", 2));
  publisher.Publish(4, "a.com", nullptr);
  const auto s4 = publisher.Current();
  v1::SnapshotUpdate update;
  ASSERT_TRUE(DeltaUpdate(*s2, *s4, nullptr, &update));
  EXPECT_EQ(update.version(), 4u);
  ASSERT_EQ(update.changed_zones_size(), 1);
  EXPECT_EQ(update.changed_zones(0).zone(), "b.com");
  ASSERT_EQ(update.removed_zones_size(), 1);
  EXPECT_EQ(update.removed_zones(0), "a.com");
  // A stream scoped to a.com never hears of b.com.
  const ZoneFilter only_a = [](const std::string& zone) { return zone == "a.com"; };
  ASSERT_TRUE(DeltaUpdate(*s2, *s4, only_a, &update));
  EXPECT_EQ(update.changed_zones_size(), 0);
  EXPECT_EQ(update.removed_zones_size(), 1);
  v1::SnapshotUpdate full;
  ASSERT_TRUE(InitialUpdate(*s2, 0, {}, {}, only_a, &full));
  ASSERT_EQ(full.snapshot().zones_size(), 1);
  EXPECT_EQ(full.snapshot().zones(0).zone(), "a.com");
}

TEST(SnapshotDeltaTest, ADeltaAmongManyZonesLooksOnlyAtTheShardsThatChanged) {
  SnapshotPublisher publisher;
  compiler::ZoneSet::Editor zones;
  for (int i = 0; i < 3000; ++i) {
    const std::string name = "zone" + std::to_string(i) + ".com";
    zones.Set(name, Zone(name, 1));
  }
  publisher.PublishAll(3000, std::move(zones).Finish());
  const auto before = publisher.Current();
  EXPECT_EQ(before->content_hash, compiler::SnapshotContentHash(before->zones));
  publisher.Publish(3001, "zone9.com", Zone("zone9.com", 2));
  publisher.Publish(3002, "zone10.com", nullptr);
  publisher.Publish(3003, "new.com", Zone("new.com", 1));
  const auto after = publisher.Current();
  // The state's hash, kept bucket by bucket, is the one from scratch.
  EXPECT_EQ(after->content_hash, compiler::SnapshotContentHash(after->zones));
  size_t shared = 0;
  for (size_t i = 0; i < compiler::ZoneSet::kShards; ++i) {
    shared += after->zones.SameShard(before->zones, i) ? 1 : 0;
  }
  EXPECT_GE(shared, compiler::ZoneSet::kShards - 3);

  v1::SnapshotUpdate update;
  ASSERT_TRUE(DeltaUpdate(*before, *after, nullptr, &update));
  ASSERT_EQ(update.changed_zones_size(), 2);
  EXPECT_EQ(update.changed_zones(0).zone(), "new.com");  // by name
  EXPECT_EQ(update.changed_zones(1).zone(), "zone9.com");
  ASSERT_EQ(update.removed_zones_size(), 1);
  EXPECT_EQ(update.removed_zones(0), "zone10.com");
  EXPECT_EQ(update.content_hash(), after->content_hash);
}

TEST(SnapshotDeltaTest, AFilteredStreamKeepsItsOwnHashUpToDateByTheShardsThatChange) {
  SnapshotPublisher publisher;
  for (int i = 0; i < 200; ++i) {
    const std::string name = "z" + std::to_string(i) + ".com";
    publisher.Publish(i + 1, name, Zone(name, 1));
  }
  const ZoneFilter even = [](const std::string& zone) {
    return (std::stoi(zone.substr(1)) % 2) == 0;
  };
  // What the stream's hash must be: the hash of the zones it may see, from scratch.
  const auto expected = [&](const PublishedState& state) {
    compiler::ZoneSet::Editor visible;
    for (const auto& [name, zone] : state.zones) {
      if (even(name)) visible.Set(name, zone);
    }
    return compiler::SnapshotContentHash(std::move(visible).Finish());
  };
  ContentHashBuckets visible;
  v1::SnapshotUpdate update;
  auto state = publisher.Current();
  ASSERT_TRUE(InitialUpdate(*state, 0, {}, {}, even, &update, {}, &visible));
  EXPECT_EQ(update.snapshot().content_hash(), expected(*state));
  EXPECT_EQ(update.snapshot().zones_size(), 100);
  // Changes the stream sees and changes it does not: its hash follows both.
  for (const auto& [name, version] : std::vector<std::pair<std::string, uint64_t>>{
           {"z2.com", 2}, {"z3.com", 2}, {"z4.com", 0}, {"z7.com", 0}, {"z500.com", 1}}) {
    publisher.Publish(state->version + 1, name, version == 0 ? nullptr : Zone(name, version));
    auto next = publisher.Current();
    const bool sent = DeltaUpdate(*state, *next, even, &update, &visible);
    EXPECT_EQ(sent, even(name)) << name;
    if (sent) {
      EXPECT_EQ(update.content_hash(), expected(*next)) << name;
    }
    state = next;
  }
  // Without the stream's buckets, the same hash from scratch.
  publisher.Publish(state->version + 1, "z6.com", Zone("z6.com", 2));
  ASSERT_TRUE(DeltaUpdate(*state, *publisher.Current(), even, &update));
  EXPECT_EQ(update.content_hash(), expected(*publisher.Current()));
}

TEST(SnapshotDeltaTest, ACertificateChangeIsAChangeOfTheContentHashForEveryStream) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  const auto before = publisher.Current();
  auto with_certificate = std::make_shared<snapshot::v1::CompiledZone>(*Zone("a.com", 2));
  with_certificate->set_config_hash("h1");  // the same config
  with_certificate->add_certificates()->set_fingerprint("ab12");
  publisher.Publish(3, "a.com", with_certificate);
  const auto after = publisher.Current();
  EXPECT_NE(after->content_hash, before->content_hash);
  const ZoneFilter only_a = [](const std::string& zone) { return zone == "a.com"; };
  for (const ZoneFilter& filter : {ZoneFilter(), only_a}) {
    v1::SnapshotUpdate full;
    ASSERT_TRUE(InitialUpdate(*after, 0, {}, {}, filter, &full));
    // The proxy's definition over what it received is the control plane's.
    EXPECT_EQ(full.snapshot().content_hash(), plan::SnapshotContentHash(full.snapshot()));
    v1::SnapshotUpdate delta;
    ASSERT_TRUE(DeltaUpdate(*before, *after, filter, &delta));
    ASSERT_EQ(delta.changed_zones_size(), 1);
    EXPECT_EQ(delta.changed_zones(0).certificates(0).fingerprint(), "ab12");
    EXPECT_EQ(delta.content_hash(), full.snapshot().content_hash());
  }
}

TEST(SnapshotDeltaTest, PublisherSharesUnchangedZones) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  const auto before = publisher.Current();
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  EXPECT_EQ(before->zones.at("a.com"), publisher.Current()->zones.at("a.com"));
  // Versions never go back, even if asked to.
  publisher.Publish(1, "c.com", Zone("c.com", 1));
  EXPECT_EQ(publisher.Current()->version, 3u);
}

TEST(ProxyRegistryTest, TracksLiveAndRejectedVersionsPerZone) {
  ProxyRegistry registry;
  const ProxyKey p1{"fleet", "p1"};
  registry.StreamOpened(p1, {});
  v1::ApplyReport report;
  report.set_node_id("p1");
  report.set_version(5);
  report.set_applied(true);
  auto* a = report.add_zones();
  a->set_zone("a.com");
  a->set_version(2);
  a->set_applied(true);
  auto* b = report.add_zones();
  b->set_zone("b.com");
  b->set_version(7);
  b->set_error("does not compile");
  registry.Report(p1, report);
  EXPECT_EQ(registry.Rejected(p1), (std::map<std::string, uint64_t>{{"b.com", 7}}));
  auto list = registry.List(nullptr);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].connected());
  EXPECT_EQ(list[0].snapshot_version(), 5u);
  ASSERT_EQ(list[0].zones_size(), 2);
  EXPECT_EQ(list[0].zones(0).live_version(), 2u);
  EXPECT_EQ(list[0].zones(1).rejected_version(), 7u);
  // Filtered: only a.com.
  list = registry.List([](const std::string& zone) { return zone == "a.com"; });
  ASSERT_EQ(list[0].zones_size(), 1);
  registry.StreamClosed(p1);
  EXPECT_FALSE(registry.List(nullptr)[0].connected());
}

TEST(ProxyRegistryTest, FleetsAreApartAndHiddenFromOtherTenants) {
  ProxyRegistry registry;
  registry.StreamOpened({"fleet-a", "edge"}, {"a.com"});
  registry.StreamOpened({"fleet-b", "edge"}, {"b.com"});
  registry.StreamOpened({"fleet-all", "core"}, {});
  v1::ApplyReport removal;
  removal.set_node_id("edge");
  auto* zone = removal.add_zones();
  zone->set_zone("a.com");
  zone->set_error(std::string(100000, 'x'));
  registry.Report({"fleet-a", "edge"}, removal);
  EXPECT_FALSE(registry.Known({"fleet-c", "edge"}));
  // Tenant b sees its fleet and the fleet that serves every zone, not fleet a's proxies.
  const auto seen = registry.List([](const std::string& z) { return z == "b.com"; });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].fleet(), "fleet-all");
  EXPECT_EQ(seen[1].fleet(), "fleet-b");
  const auto all = registry.List(nullptr);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_LE(all[0].zones(0).error().size(), ProxyRegistry::kMaxErrorBytes + 32);
}

}  // namespace
}  // namespace gatehouse::api

// Managed rulesets on the proxy side: a snapshot's ruleset is linked once per digest and shared
// by every zone executing it and by the next snapshot; a zone whose ruleset the snapshot lacks
// is rejected alone with the reason; a new digest links the zones executing it again; deltas
// keep the rulesets.
#include <memory>
#include <string>
#include <vector>

#include "compiler/zone_compiler.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "modules/sdk/registry.h"
#include "plan/snapshot_hash.h"
#include "runtime/snapshot/linked_snapshot.h"
#include "schemas/api.pb.h"
#include "waf/waf_program.pb.h"

namespace gatehouse {
namespace {

snapshot::v1::ManagedRuleset Ruleset(const std::string& digest) {
  waf::v1::WafProgram program;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    program_version: 1 ruleset_id: "owasp-crs" ruleset_version: "test"
    pipelines {}
    rules {
      id: "942100" phase: 2 log: true disruptive: DENY tags: "attack-sqli"
      conditions {
        targets { collection: "ARGS" }
        operator { name: "rx" argument: "union select" }
      }
    })pb", &program));
  program.set_source_digest(digest);
  snapshot::v1::ManagedRuleset out;
  out.set_id("owasp-crs");
  out.set_version("test");
  out.set_digest(digest);
  out.mutable_program()->PackFrom(program);
  return out;
}

snapshot::v1::CompiledZone Zone(const std::string& name, uint64_t version,
                                const snapshot::v1::ManagedRuleset& ruleset) {
  sdk::ManagedRulesetSet set;
  auto entry = sdk::ProductRegistry::Linked().LinkManagedRuleset(
      ruleset.id(), ruleset.version(), ruleset.digest(), ruleset.program(), nullptr, true);
  EXPECT_TRUE(entry.ok()) << entry.status();
  set.Add(*std::move(entry));
  compiler::ZoneCompileOptions options;
  options.managed_rulesets = &set;
  const compiler::ZoneCompileResult compiled = compiler::CompileZoneJson(
      R"({"zone": ")" + name + R"(", "hostnames": [")" + name + R"("],
          "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}],
          "rulesets": [{"phase": "http_request_firewall_managed", "rules": [
            {"id": "crs", "expression": "true", "action": "execute",
             "action_parameters": {"id": "owasp-crs"}}]}]})",
      options);
  EXPECT_TRUE(compiled.ok()) << compiled.RenderedDiagnostics();
  snapshot::v1::CompiledZone zone;
  zone.set_zone(name);
  zone.set_version(version);
  zone.set_config_hash(compiled.program.config_hash());
  *zone.mutable_program() = compiled.program;
  return zone;
}

snapshot::v1::Snapshot Snapshot(uint64_t version, std::vector<snapshot::v1::CompiledZone> zones,
                                std::vector<snapshot::v1::ManagedRuleset> rulesets) {
  snapshot::v1::Snapshot out;
  out.set_format(snapshot::v1::FORMAT_VERSION_1);
  out.set_version(version);
  out.set_lineage("L");
  for (auto& zone : zones) *out.add_zones() = std::move(zone);
  for (auto& ruleset : rulesets) *out.add_managed_rulesets() = std::move(ruleset);
  return out;
}

TEST(ManagedRulesetSnapshotTest, LinkedOncePerDigestAndSharedByZones) {
  const auto d1 = Ruleset("d1");
  const auto first = Snapshot(1, {Zone("a.test", 1, d1), Zone("b.test", 1, d1)}, {d1});
  std::vector<runtime::ZoneOutcome> outcomes;
  auto one = runtime::LinkedSnapshot::Link(first, nullptr, &outcomes);
  ASSERT_TRUE(one.ok()) << one.status();
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.applied) << outcome.error;
  const sdk::ManagedRulesetSet::Entry* crs = (*one)->managed_rulesets().Find("owasp-crs");
  ASSERT_NE(crs, nullptr);
  EXPECT_EQ((*one)->content_hash(), plan::SnapshotContentHash(first));
  EXPECT_EQ((*one)->zones().at("a.test")->plan->managed_rulesets,
            (std::vector<std::pair<std::string, std::string>>{{"owasp-crs", "d1"}}));

  // The next snapshot, same digest: the linked ruleset and the unchanged zones' plans are reused.
  const auto second =
      Snapshot(2, {Zone("a.test", 1, d1), Zone("b.test", 1, d1), Zone("c.test", 1, d1)}, {d1});
  auto two = runtime::LinkedSnapshot::Link(second, one->get(), nullptr);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ((*two)->managed_rulesets().Find("owasp-crs")->linked, crs->linked);
  EXPECT_EQ((*two)->zones().at("a.test")->plan, (*one)->zones().at("a.test")->plan);

  // A new digest: linked anew, and the zones executing it too, though their configs are equal.
  const auto d2 = Ruleset("d2");
  auto three = runtime::LinkedSnapshot::Link(
      Snapshot(3, {Zone("a.test", 1, d2), Zone("b.test", 1, d2), Zone("c.test", 1, d2)}, {d2}),
      two->get(), nullptr);
  ASSERT_TRUE(three.ok());
  EXPECT_NE((*three)->managed_rulesets().Find("owasp-crs")->linked, crs->linked);
  EXPECT_NE((*three)->zones().at("a.test")->plan, (*two)->zones().at("a.test")->plan);
  EXPECT_NE((*three)->content_hash(), (*two)->content_hash());
}

TEST(ManagedRulesetSnapshotTest, AZoneWhoseRulesetIsMissingIsRejectedAlone) {
  const auto d1 = Ruleset("d1");
  snapshot::v1::CompiledZone plain = Zone("a.test", 1, d1);
  plain.mutable_program()->clear_rulesets();
  plain.mutable_program()->clear_managed_rulesets();
  plain.mutable_program()->clear_prefilters();
  std::vector<runtime::ZoneOutcome> outcomes;
  auto linked = runtime::LinkedSnapshot::Link(
      Snapshot(1, {plain, Zone("waf.test", 1, d1)}, {}), nullptr, &outcomes);
  ASSERT_TRUE(linked.ok());
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].applied);
  EXPECT_FALSE(outcomes[1].applied);
  EXPECT_NE(outcomes[1].error.find("managed ruleset \"owasp-crs\" is not in this snapshot (it "
                                   "carries: none)"),
            std::string::npos)
      << outcomes[1].error;
  EXPECT_EQ((*linked)->zones().count("waf.test"), 0u);
}

TEST(ManagedRulesetSnapshotTest, DeltasKeepTheRulesets) {
  const auto d1 = Ruleset("d1");
  api::v1::SnapshotUpdate full;
  *full.mutable_snapshot() = Snapshot(1, {Zone("a.test", 1, d1)}, {d1});
  auto one = runtime::LinkedSnapshot::Link(full.snapshot(), nullptr);
  ASSERT_TRUE(one.ok());

  api::v1::SnapshotUpdate delta;
  delta.set_version(2);
  delta.set_lineage("L");
  *delta.add_changed_zones() = Zone("b.test", 1, d1);
  std::vector<runtime::ZoneOutcome> outcomes;
  auto two = runtime::LinkedSnapshot::LinkDelta(2, "L", one->get(), delta.changed_zones(),
                                                delta.removed_zones(), &outcomes);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].applied) << outcomes[0].error;
  EXPECT_EQ(two->managed_rulesets().Find("owasp-crs")->linked,
            (*one)->managed_rulesets().Find("owasp-crs")->linked);
  EXPECT_EQ(two->content_hash(),
            plan::SnapshotContentHash(Snapshot(2, {Zone("a.test", 1, d1), Zone("b.test", 1, d1)},
                                               {d1})));
}

}  // namespace
}  // namespace gatehouse

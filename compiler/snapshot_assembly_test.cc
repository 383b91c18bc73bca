#include "compiler/snapshot_assembly.h"

#include "compiler/zone_compiler.h"
#include "gtest/gtest.h"

namespace gatehouse::compiler {
namespace {

constexpr char kZone[] = R"json({"zone": "a.com", "hostnames": ["a.com"],
  "origins": [{"name": "o", "servers": ["127.0.0.1:1"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "a", "expression": "starts_with(http.request.uri.path, \"/admin\")", "action": "block"},
    {"id": "b", "expression": "http.user_agent contains \"bot\"", "action": "block"}]}]})json";

TEST(SnapshotAssemblyTest, PrefiltersTravelInTheProgramAndAreReused) {
  const ZoneCompileResult first = CompileZoneJson(kZone);
  ASSERT_TRUE(first.ok()) << first.RenderedDiagnostics();
  const plan::v1::ZoneProgram& zone = first.program;
  ASSERT_GT(zone.prefilters_size(), 0);
  EXPECT_EQ(zone.prefilters(0).phase(), "http_request_firewall_custom");

  const plan::PrecompiledPrefilters precompiled = plan::ReadPrefilters(zone);
  ZoneCompileOptions options;
  options.precompiled = &precompiled;
  const ZoneCompileResult second = CompileZoneJson(kZone, options);
  ASSERT_TRUE(second.ok());
  const auto* ruleset = second.plan->Ruleset(plan::Phase::kFirewallCustom);
  ASSERT_NE(ruleset, nullptr);
  EXPECT_EQ(ruleset->matcher->reused_database_count(),
            static_cast<size_t>(zone.prefilters_size()));
}

TEST(SnapshotAssemblyTest, ContentHashFollowsZoneHashes) {
  ZoneSet::Editor editor;
  auto a = std::make_shared<snapshot::v1::CompiledZone>();
  a->set_zone("a.com");
  a->set_config_hash("h1");
  editor.Set("a.com", a);
  const ZoneSet one = std::move(editor).Finish();
  const std::string before = SnapshotContentHash(one);
  auto changed = std::make_shared<snapshot::v1::CompiledZone>(*a);
  changed->set_config_hash("h2");
  ZoneSet::Editor change(one);
  change.Set("a.com", changed);
  const ZoneSet zones = std::move(change).Finish();
  EXPECT_NE(SnapshotContentHash(zones), before);
  const auto snapshot = AssembleSnapshot(7, zones);
  EXPECT_EQ(snapshot.version(), 7u);
  EXPECT_EQ(snapshot.content_hash(), SnapshotContentHash(zones));
  EXPECT_EQ(snapshot.format(), snapshot::v1::FORMAT_VERSION_1);
}

}  // namespace
}  // namespace gatehouse::compiler

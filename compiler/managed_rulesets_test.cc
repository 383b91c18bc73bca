#include "compiler/managed_rulesets.h"

#include <chrono>
#include <map>

#include "compiler/zone_compiler.h"
#include "gtest/gtest.h"

namespace gatehouse::compiler {
namespace {

constexpr char kZone[] = R"({"zone": "example.com", "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}],
  "rulesets": [{"phase": "http_request_firewall_managed", "rules": [
    {"id": "crs", "expression": "true", "action": "execute",
     "action_parameters": {"id": "owasp-crs", "overrides": {
       "paranoia_level": 2,
       "categories": [{"category": "attack-rce", "enabled": false}],
       "rules": [{"id": "942100", "enabled": false}, {"id": "920350", "action": "log"}]}}}]}]})";

TEST(ManagedRulesetsTest, TheInstalledCrsIsOwaspCrsAndZonesCompileAgainstIt) {
  std::map<std::string, std::string> cache;
  ManagedRulesetOptions options;
  options.load = [&](const std::string& digest) -> std::optional<std::string> {
    const auto it = cache.find(digest);
    if (it == cache.end()) return std::nullopt;
    return it->second;
  };
  options.save = [&](const std::string& id, const std::string& digest,
                     const std::string& serialized) {
    EXPECT_EQ(id, "owasp-crs");
    cache[digest] = serialized;
  };
  auto loaded = LoadManagedRulesets(options);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->compiled->size(), 1u);
  const snapshot::v1::ManagedRuleset& crs = loaded->compiled->front();
  EXPECT_EQ(crs.id(), "owasp-crs");
  EXPECT_EQ(crs.digest().size(), 64u);
  EXPECT_NE(crs.version().find("OWASP_CRS/3.3"), std::string::npos) << crs.version();
  EXPECT_EQ(crs.program().type_url(), "type.googleapis.com/gatehouse.waf.v1.WafProgram");
  ASSERT_EQ(cache.size(), 1u);
  for (const std::string& note : loaded->notes) std::printf("%s\n", note.c_str());
  std::printf("compiled ruleset: %zu bytes\n", crs.ByteSizeLong());

  const sdk::ManagedRulesetSet::Entry* entry = loaded->set->Find("owasp-crs");
  ASSERT_NE(entry, nullptr);
  ASSERT_NE(entry->summary, nullptr);
  EXPECT_NE(entry->summary->FindRule("942100"), nullptr);
  EXPECT_GT(entry->summary->rules.size(), 300u);

  // A second load takes the compiled ruleset from the cache: the same bytes.
  auto again = LoadManagedRulesets(options);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->compiled->front().SerializeAsString(), crs.SerializeAsString());
  EXPECT_NE(again->notes[0].find("taken from the store"), std::string::npos) << again->notes[0];

  ZoneCompileOptions compile;
  compile.managed_rulesets = loaded->set.get();
  const ZoneCompileResult result = CompileZoneJson(kZone, compile);
  ASSERT_TRUE(result.ok()) << result.RenderedDiagnostics();
  ASSERT_EQ(result.program.managed_rulesets_size(), 1);
  EXPECT_EQ(result.program.managed_rulesets(0).id(), "owasp-crs");
  EXPECT_EQ(result.program.managed_rulesets(0).digest(), crs.digest());
  EXPECT_EQ(result.program.inspect_body_bytes(), 128u * 1024);

  // Without managed rulesets the zone does not compile, and says which there are.
  const ZoneCompileResult without = CompileZoneJson(kZone);
  EXPECT_NE(without.RenderedDiagnostics().find("unknown managed ruleset \"owasp-crs\"; "
                                               "available: none"),
            std::string::npos)
      << without.RenderedDiagnostics();
}

TEST(ManagedRulesetsTest, DisabledAndMissing) {
  ManagedRulesetOptions off;
  off.enabled = false;
  auto none = LoadManagedRulesets(off);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->compiled->empty());
  EXPECT_TRUE(none->set->empty());

  ManagedRulesetOptions missing;
  missing.crs_dir = "/nonexistent/crs/rules";
  auto failed = LoadManagedRulesets(missing);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("managed ruleset owasp-crs from /nonexistent/crs/rules"),
            std::string::npos)
      << failed.status();
}

}  // namespace
}  // namespace gatehouse::compiler

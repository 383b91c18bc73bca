#include "seclang/inventory.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "seclang/parser.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

LoadedRuleset RulesetOf(std::string_view text, std::string_view name) {
  absl::StatusOr<ConfigFile> file = ParseSecLang(text, name);
  EXPECT_TRUE(file.ok()) << file.status();
  LoadedRuleset ruleset;
  ruleset.files.push_back({std::string(name), std::string(name), std::string(text)});
  ruleset.directives = file->directives;
  return ruleset;
}

constexpr std::string_view kRules =
    "SecRule ARGS|!ARGS:/^a/|&TX:x \"@rx a\\\\\\\\b\" \"id:1,phase:2,block,t:none,t:lowercase,"
    "setvar:'tx.s=+%{tx.c}',ctl:ruleRemoveTargetById=2;ARGS:q,chain\"\n"
    "  SecRule XML:/* \"!@eq 0\" \"t:lowercase\"\n"
    "SecAction \"id:3,phase:1,pass,nolog\"\n"
    "SecMarker END\n";

TEST(InventoryTest, CountsWhatTheRulesUse) {
  const Inventory inventory = TakeInventory(RulesetOf(kRules, "REQUEST-1.conf"));
  EXPECT_EQ(inventory.files, 1);
  EXPECT_EQ(inventory.rules, 1);
  EXPECT_EQ(inventory.chain_links, 1);
  EXPECT_EQ(inventory.actions, 1);
  EXPECT_EQ(inventory.markers, 1);
  EXPECT_THAT(inventory.operators, ElementsAre(Pair("!eq", 1), Pair("rx", 1)));
  EXPECT_THAT(inventory.pipelines, ElementsAre(Pair("+lowercase", 1), Pair("lowercase", 1)));
  EXPECT_THAT(inventory.collections,
              ElementsAre(Pair("!ARGS", 1), Pair("&TX", 1), Pair("ARGS", 1), Pair("XML", 1)));
  EXPECT_THAT(inventory.ctl_options, ElementsAre(Pair("ruleRemoveTargetById", 1)));
  EXPECT_THAT(inventory.setvar_collections, ElementsAre(Pair("TX =+", 1)));
  EXPECT_THAT(inventory.macros, ElementsAre(Pair("TX", 1)));
  EXPECT_THAT(inventory.phases, ElementsAre(Pair("1", 1), Pair("2", 1)));
  EXPECT_THAT(inventory.reading_differences, ElementsAre("1 REQUEST-1.conf:1"));
  EXPECT_THAT(FormatInventory(inventory), HasSubstr("\noperators (2 distinct)\n  !eq 1\n  rx 1\n"));
}

TEST(InventoryTest, FilePrefixSelectsFiles) {
  const Inventory inventory = TakeInventory(RulesetOf(kRules, "RESPONSE-1.conf"), "REQUEST-");
  EXPECT_EQ(inventory.files, 0);
  EXPECT_EQ(inventory.rules, 0);
  EXPECT_TRUE(inventory.operators.empty());
}

}  // namespace
}  // namespace gatehouse::seclang

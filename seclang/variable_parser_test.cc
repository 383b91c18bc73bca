#include "seclang/variable_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

using ::testing::HasSubstr;

std::vector<Variable> Parse(std::string_view text) {
  absl::StatusOr<std::vector<Variable>> variables = ParseVariables(text);
  EXPECT_TRUE(variables.ok()) << variables.status();
  return variables.ok() ? *variables : std::vector<Variable>{};
}

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<std::vector<Variable>> variables = ParseVariables(text);
  EXPECT_FALSE(variables.ok());
  return std::string(variables.status().message());
}

TEST(VariableParserTest, CrsTargetListWithExclusionsAndXPath) {
  // CRS 941330's targets.
  const std::vector<Variable> v = Parse(
      "REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|!REQUEST_COOKIES:/_pk_ref/|REQUEST_COOKIES_NAMES|"
      "ARGS_NAMES|ARGS|XML:/*");
  ASSERT_EQ(v.size(), 7u);
  EXPECT_EQ(v[0].collection, "REQUEST_COOKIES");
  EXPECT_EQ(v[0].selector.kind, SelectorKind::kNone);
  EXPECT_FALSE(v[0].exclusion);
  EXPECT_TRUE(v[1].exclusion);
  EXPECT_EQ(v[1].selector, (Selector{SelectorKind::kRegex, "__utm"}));
  EXPECT_EQ(v[2].selector, (Selector{SelectorKind::kRegex, "_pk_ref"}));
  EXPECT_EQ(v[6].collection, "XML");
  EXPECT_EQ(v[6].selector, (Selector{SelectorKind::kXPath, "/*"}));
  EXPECT_EQ(v[6].location.column, 107);
}

TEST(VariableParserTest, CountsAndKeysKeepTheirCase) {
  // CRS 920180's &REQUEST_HEADERS:Content-Length, 901's &TX:paranoia_level.
  const std::vector<Variable> v = Parse("&REQUEST_HEADERS:Content-Length|&TX:paranoia_level");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_TRUE(v[0].count);
  EXPECT_EQ(v[0].selector, (Selector{SelectorKind::kKey, "Content-Length"}));
  EXPECT_EQ(v[1].collection, "TX");
  EXPECT_EQ(v[1].selector.value, "paranoia_level");
}

TEST(VariableParserTest, NamesAreCaseInsensitiveAndCanonicallyUpperCase) {
  const std::vector<Variable> v = Parse("args:Foo|Request_Headers");
  EXPECT_EQ(v[0].collection, "ARGS");
  EXPECT_EQ(v[0].selector.value, "Foo");
  EXPECT_EQ(v[1].collection, "REQUEST_HEADERS");
}

TEST(VariableParserTest, QuotedSelectorMayHoldPipes) {
  // RESPONSE-980: &TX:'/LEAKAGE\\/ERRORS/' after the configuration reader; \\ is one backslash.
  const std::vector<Variable> v = Parse(R"(&TX:'/LEAKAGE\\/ERRORS/'|TX:'/a|b/')");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].selector, (Selector{SelectorKind::kRegex, R"(LEAKAGE\/ERRORS)"}));
  EXPECT_EQ(v[1].selector, (Selector{SelectorKind::kRegex, "a|b"}));
}

TEST(VariableParserTest, ShortSlashSelectorsAreKeys) {
  // Only a selector longer than two bytes between slashes is a regex.
  EXPECT_EQ(Parse("ARGS://")[0].selector, (Selector{SelectorKind::kKey, "//"}));
  EXPECT_EQ(Parse("ARGS:/")[0].selector, (Selector{SelectorKind::kKey, "/"}));
  EXPECT_EQ(Parse("ARGS:/a/")[0].selector, (Selector{SelectorKind::kRegex, "a"}));
}

TEST(VariableParserTest, CommaAndSpacesSeparateToo) {
  EXPECT_EQ(Parse("ARGS , ARGS_NAMES | REQUEST_URI").size(), 3u);
}

TEST(VariableParserTest, Errors) {
  EXPECT_THAT(ErrorOf("ARGS|REQUEST_HEADRES"), HasSubstr("<variables>:1:6: error: unknown variable \"REQUEST_HEADRES\""));
  EXPECT_THAT(ErrorOf("REQUEST_URI:foo"), HasSubstr("REQUEST_URI is a single value, not a collection"));
  EXPECT_THAT(ErrorOf("ARGS:"), HasSubstr("empty selector"));
  EXPECT_THAT(ErrorOf("!"), HasSubstr("a variable name is missing"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("the target list is empty"));
  EXPECT_THAT(ErrorOf("TX:'/a"), HasSubstr("missing closing quote"));
  // Every error is reported, not only the first.
  EXPECT_THAT(ErrorOf("FOO|BAR"), HasSubstr("2 errors"));
}

TEST(VariableParserTest, SelectorsIgnoreCaseExceptXPath) {
  EXPECT_TRUE(SelectorIgnoresCase("ARGS"));
  EXPECT_TRUE(SelectorIgnoresCase("REQUEST_HEADERS"));
  EXPECT_TRUE(SelectorIgnoresCase("REQUEST_COOKIES"));
  EXPECT_TRUE(SelectorIgnoresCase("TX"));
  EXPECT_FALSE(SelectorIgnoresCase("XML"));
}

TEST(VariableParserTest, FormatVariableRoundTrips) {
  for (std::string_view text : {"!REQUEST_COOKIES:/__utm/", "&ARGS", "XML:/*", "ARGS:foo"}) {
    EXPECT_EQ(FormatVariable(Parse(text)[0]), text);
  }
}

TEST(VariableParserTest, VariableByNameKnowsShapes) {
  EXPECT_EQ(VariableByName("matched_vars")->shape, VariableShape::kCollection);
  EXPECT_EQ(VariableByName("REQBODY_ERROR")->shape, VariableShape::kScalar);
  EXPECT_EQ(VariableByName("XML")->shape, VariableShape::kXml);
  EXPECT_EQ(VariableByName("MULTIPART_PART_HEADERS")->shape, VariableShape::kCollection);
  EXPECT_FALSE(VariableByName("NOPE").has_value());
}

}  // namespace
}  // namespace gatehouse::seclang

#include "seclang/operator_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

using ::testing::HasSubstr;

Operator Parse(std::string_view text) {
  absl::StatusOr<Operator> op = ParseOperator(text);
  EXPECT_TRUE(op.ok()) << op.status();
  return op.ok() ? *op : Operator{};
}

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<Operator> op = ParseOperator(text);
  EXPECT_FALSE(op.ok());
  return std::string(op.status().message());
}

TEST(OperatorParserTest, NameIsLowerCaseAndArgumentRaw) {
  const Operator op = Parse("@pmFromFile scanners-user-agents.data");
  EXPECT_EQ(op.name, "pmfromfile");
  EXPECT_FALSE(op.negated);
  EXPECT_EQ(op.argument, "scanners-user-agents.data");
  EXPECT_EQ(op.argument_location.column, 13);
}

TEST(OperatorParserTest, NegationAndMacroArgumentStayUnexpanded) {
  // CRS 920420: "!@within %{tx.allowed_request_content_type}".
  const Operator op = Parse("!@within %{tx.allowed_request_content_type}");
  EXPECT_TRUE(op.negated);
  EXPECT_EQ(op.name, "within");
  EXPECT_EQ(op.argument, "%{tx.allowed_request_content_type}");
}

TEST(OperatorParserTest, WithoutAtTheWholeStringIsARegex) {
  // /etc/nginx/modsecurity.conf: "^(?:application(?:/soap\+|/)|text/)xml"; 200005: "!@streq 0".
  EXPECT_EQ(Parse("^(?:application(?:/soap\\+|/)|text/)xml").name, "rx");
  EXPECT_EQ(Parse("^(?:application(?:/soap\\+|/)|text/)xml").argument,
            "^(?:application(?:/soap\\+|/)|text/)xml");
  const Operator negated = Parse("!^a b");
  EXPECT_TRUE(negated.negated);
  EXPECT_EQ(negated.name, "rx");
  EXPECT_EQ(negated.argument, "^a b");
}

TEST(OperatorParserTest, ArgumentKeepsInnerAndTrailingSpaces) {
  // @pm phrases and @within lists are space-separated; the argument is kept byte for byte.
  EXPECT_EQ(Parse("@within  GET HEAD ").argument, "GET HEAD ");
}

TEST(OperatorParserTest, OperatorsWithoutArgument) {
  EXPECT_EQ(Parse("@detectSQLi").name, "detectsqli");
  EXPECT_EQ(Parse("@detectXSS").argument, "");
  EXPECT_EQ(Parse("@validateUrlEncoding").name, "validateurlencoding");
  EXPECT_EQ(Parse("@geoLookup").name, "geolookup");
}

TEST(OperatorParserTest, Errors) {
  EXPECT_THAT(ErrorOf("@rgx a"), HasSubstr("<operator>:1:1: error: unknown operator @rgx\n@rgx a\n^~~~\n"));
  EXPECT_THAT(ErrorOf("@eq"), HasSubstr("@eq needs an argument"));
  EXPECT_THAT(ErrorOf("@ a"), HasSubstr("an operator name must follow '@'"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("the regular expression is missing"));
}

TEST(OperatorParserTest, Tables) {
  EXPECT_TRUE(IsKnownOperator("ipmatchfromfile"));
  EXPECT_EQ(OperatorDisplayName("pmfromfile"), "pmFromFile");
  EXPECT_TRUE(OperatorReadsDataFiles("pmf"));
  EXPECT_FALSE(OperatorReadsDataFiles("pm"));
}

}  // namespace
}  // namespace gatehouse::seclang

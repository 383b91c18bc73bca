#include "body/json.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::body {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Leaf = std::pair<std::string, std::string>;

struct Parsed {
  absl::Status status;
  std::vector<Leaf> leaves;
  std::string error() const { return std::string(status.message()); }
};

Parsed Parse(std::string_view input, BodyExtent extent = BodyExtent::kWhole,
             JsonOptions options = {}) {
  TextArena arena;
  Parsed parsed;
  parsed.status = ParseJson(input, extent, options, arena,
                            [&parsed](std::string_view name, std::string_view value) {
                              parsed.leaves.emplace_back(name, value);
                              return true;
                            });
  return parsed;
}

// Each expectation was read from libmodsecurity 3.0.9's ARGS and REQBODY_ERROR_MSG.
TEST(ParseJsonTest, ArgumentNames) {
  const Parsed parsed = Parse(R"({"a":{"b":[1,2,{"c":null}],"d":true},"e":[[1,2],[3]]})");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  EXPECT_THAT(parsed.leaves,
              ElementsAre(Leaf{"json.a.b.array_0", "1"}, Leaf{"json.a.b.array_1", "2"},
                          Leaf{"json.a.b.array_2.c", ""}, Leaf{"json.a.d", "true"},
                          Leaf{"json.e.array_0.array_0", "1"}, Leaf{"json.e.array_0.array_1", "2"},
                          Leaf{"json.e.array_1.array_0", "3"}));
}

TEST(ParseJsonTest, TopLevelValuesAndEmptyKeys) {
  EXPECT_THAT(Parse(R"("str")").leaves, ElementsAre(Leaf{"json", "str"}));
  EXPECT_THAT(Parse("5").leaves, ElementsAre(Leaf{"json", "5"}));
  EXPECT_THAT(Parse(R"([1,"a",[2,{"k":3}],{}])").leaves,
              ElementsAre(Leaf{"json.array_0", "1"}, Leaf{"json.array_1", "a"},
                          Leaf{"json.array_2.array_0", "2"}, Leaf{"json.array_2.array_1.k", "3"}));
  EXPECT_THAT(Parse(R"({"":{"":1},"a.b":[]})").leaves,
              ElementsAre(Leaf{"json.empty-key.empty-key", "1"}));
  EXPECT_THAT(Parse(R"({"a":1,"a":2})").leaves, ElementsAre(Leaf{"json.a", "1"}, Leaf{"json.a", "2"}));
  EXPECT_THAT(Parse(R"({"a":1e5,"b":-0.5E-3})").leaves,
              ElementsAre(Leaf{"json.a", "1e5"}, Leaf{"json.b", "-0.5E-3"}));
}

TEST(ParseJsonTest, EscapesAsYajlDecodesThem) {
  EXPECT_THAT(Parse(R"({"a":"x\/\b\f\n\r\t\"\\"})").leaves,
              ElementsAre(Leaf{"json.a", "x/\b\f\n\r\t\"\\"}));
  EXPECT_THAT(Parse(R"({"a":"\u0000z"})").leaves, ElementsAre(Leaf{"json.a", std::string("\0z", 2)}));
  EXPECT_THAT(Parse(R"({"a":"\ud83d\ude00"})").leaves, ElementsAre(Leaf{"json.a", "\xf0\x9f\x98\x80"}));
  // A high surrogate without a following \u is '?'; a lone low one is encoded as it is; the
  // pair is not checked.
  EXPECT_THAT(Parse(R"({"a":"\ud83dx"})").leaves, ElementsAre(Leaf{"json.a", "?x"}));
  EXPECT_THAT(Parse(R"(["\udc00"])").leaves, ElementsAre(Leaf{"json.array_0", "\xed\xb0\x80"}));
  EXPECT_THAT(Parse(R"(["\ud800\u0041"])").leaves,
              ElementsAre(Leaf{"json.array_0", "\xf0\x90\x81\x81"}));
  EXPECT_THAT(Parse(R"({"a\u0041":1})").leaves, ElementsAre(Leaf{"json.aA", "1"}));
}

TEST(ParseJsonTest, Utf8AsYajlChecksIt) {
  // Overlong forms, surrogates and code points past U+10FFFF pass; a stray continuation byte
  // or a cut sequence does not.
  EXPECT_TRUE(Parse("[\"\xc0\xaf\"]").status.ok());
  EXPECT_TRUE(Parse("[\"\xed\xa0\x80\"]").status.ok());
  EXPECT_TRUE(Parse("[\"\xf4\x90\x80\x80\"]").status.ok());
  EXPECT_EQ(Parse("[\"\x7f\x80\"]").error(), "lexical error: invalid bytes in UTF8 string.\n");
  EXPECT_EQ(Parse("[\"\xe2\x82\"]").error(), "lexical error: invalid bytes in UTF8 string.\n");
  EXPECT_EQ(Parse("[\"a\tb\"]").error(), "lexical error: invalid character inside string.\n");
}

TEST(ParseJsonTest, ErrorsKeepTheLeavesBeforeThem) {
  const Parsed trailing = Parse(R"({"a":1} x)");
  EXPECT_EQ(trailing.error(), "parse error: trailing garbage\n");
  EXPECT_THAT(trailing.leaves, ElementsAre(Leaf{"json.a", "1"}));
  const Parsed eof = Parse(R"({"a":1,"b":)");
  EXPECT_EQ(eof.error(), "parse error: premature EOF\n");
  EXPECT_THAT(eof.leaves, ElementsAre(Leaf{"json.a", "1"}));
  const Parsed leading_zero = Parse(R"({"a":01})");
  EXPECT_EQ(leading_zero.error(),
            "parse error: after key and value, inside map, I expect ',' or '}'\n");
  EXPECT_THAT(leading_zero.leaves, ElementsAre(Leaf{"json.a", "0"}));
  EXPECT_THAT(Parse("[1,2,]").leaves, ElementsAre(Leaf{"json.array_0", "1"}, Leaf{"json.array_1", "2"}));
}

TEST(ParseJsonTest, YajlErrorTexts) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"[1,2,]", "parse error: unallowed token at this point in JSON text\n"},
      {R"({"a":1,})", "parse error: invalid object key (must be a string)\n"},
      {R"({"a" 1})", "parse error: object key and value must be separated by a colon (':')\n"},
      {"[1 2]", "parse error: after array element, I expect ',' or ']'\n"},
      {"{'a':1}", "lexical error: invalid char in json text.\n"},
      {"[-]", "lexical error: malformed number, a digit is required after the minus sign.\n"},
      {"[1.]", "lexical error: malformed number, a digit is required after the decimal point.\n"},
      {"[1e]", "lexical error: malformed number, a digit is required after the exponent.\n"},
      {"[tru]", "lexical error: invalid string in json text.\n"},
      {"tru", "lexical error: invalid string in json text.\n"},
      {"-", "lexical error: malformed number, a digit is required after the minus sign.\n"},
      {R"("abc)", "parse error: premature EOF\n"},
      {R"({"a":"\q"})", "lexical error: inside a string, '\\' occurs before a character which it may not.\n"},
      {R"(["\u12"])", "lexical error: invalid (non-hex) character occurs after '\\u' inside string.\n"},
      {"/*c*/[1]", "lexical error: probable comment found in input text, comments are not enabled.\n"},
      {"  ", "parse error: premature EOF\n"},
      {"5x", "parse error: trailing garbage\n"},
  };
  for (const auto& [input, error] : cases) EXPECT_EQ(Parse(input).error(), error) << input;
  // yajl's white space includes \f and \v; an empty body is no error.
  EXPECT_TRUE(Parse("\f[1]\v").status.ok());
  EXPECT_TRUE(Parse("").status.ok());
}

TEST(ParseJsonTest, DepthLimit) {
  const std::string ok = std::string(512, '[') + std::string(512, ']');
  EXPECT_TRUE(Parse(ok).status.ok());
  const std::string deep = std::string(513, '[') + std::string(513, ']');
  EXPECT_EQ(Parse(deep).error(),
            "parse error: client cancelled parse via callback return value\n. Parsing depth limit "
            "exceeded");
  JsonOptions shallow;
  shallow.depth_limit = 2;
  EXPECT_FALSE(Parse("[[[1]]]", BodyExtent::kWhole, shallow).status.ok());
}

TEST(ParseJsonTest, TheSinkCanStopTheParse) {
  TextArena arena;
  int leaves = 0;
  const absl::Status status =
      ParseJson("[1,2,3]", BodyExtent::kWhole, {}, arena,
                [&leaves](std::string_view, std::string_view) { return ++leaves < 2; });
  EXPECT_EQ(std::string(status.message()), "parse error: client cancelled parse via callback return value\n");
  EXPECT_EQ(leaves, 2);
}

TEST(ParseJsonTest, ATruncatedDocumentIsNotAnError) {
  const Parsed parsed = Parse(R"({"a":[1,2],"b":"cut here)", BodyExtent::kTruncated);
  EXPECT_TRUE(parsed.status.ok()) << parsed.status;
  EXPECT_THAT(parsed.leaves, ElementsAre(Leaf{"json.a.array_0", "1"}, Leaf{"json.a.array_1", "2"},
                                         Leaf{"json.b", "cut here"}));
  EXPECT_THAT(Parse(R"({"a":12)", BodyExtent::kTruncated).leaves, IsEmpty());
}

}  // namespace
}  // namespace gatehouse::body

#include "body/form.h"

#include <string>
#include <vector>

#include "body/percent_decoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::body {
namespace {

using ::testing::ElementsAre;
using namespace std::string_view_literals;  // NOLINT: "..."sv for inputs holding NUL bytes

std::vector<FormField> Parse(std::string_view input, TextArena& arena, bool* invalid = nullptr) {
  std::vector<FormField> fields;
  const FormParseResult result = ParseForm(input, arena, fields);
  if (invalid != nullptr) *invalid = result.invalid_encoding;
  return fields;
}

// Each expectation below was read from libmodsecurity 3.0.9's ARGS for the same query string.
TEST(ParseFormTest, EmptyPiecesAndNamesWithoutEquals) {
  TextArena arena;
  // "x=1&&y=%41+b%zz&=v&z&x=3": the empty piece is an argument, "=v" has an empty name, "z" an
  // empty value, a name may repeat.
  bool invalid = false;
  EXPECT_THAT(Parse("x=1&&y=%41+b%zz&=v&z&x=3", arena, &invalid),
              ElementsAre(FormField{"x", "1"}, FormField{"", ""}, FormField{"y", "A b%zz"},
                          FormField{"", "v"}, FormField{"z", ""}, FormField{"x", "3"}));
  EXPECT_TRUE(invalid);
}

TEST(ParseFormTest, ASeparatorAtTheEndOpensNoArgumentOneAtTheStartDoes) {
  TextArena arena;
  EXPECT_THAT(Parse("&x=1&", arena), ElementsAre(FormField{"", ""}, FormField{"x", "1"}));
  EXPECT_THAT(Parse("&", arena), ElementsAre(FormField{"", ""}));
  EXPECT_THAT(Parse("", arena), ElementsAre());
}

TEST(ParseFormTest, SplitsAtTheFirstEquals) {
  TextArena arena;
  EXPECT_THAT(Parse("a=b=c", arena), ElementsAre(FormField{"a", "b=c"}));
}

TEST(ParseFormTest, InvalidEscapesStayAndSetTheFlag) {
  TextArena arena;
  bool invalid = false;
  // "%=%4&%u0041=%00": no %u decoding, %00 is a NUL byte.
  EXPECT_THAT(Parse("%=%4&%u0041=%00", arena, &invalid),
              ElementsAre(FormField{"%", "%4"}, FormField{"%u0041", "\0"sv}));
  EXPECT_TRUE(invalid);
  EXPECT_THAT(Parse("a=%%41", arena, &invalid), ElementsAre(FormField{"a", "%A"}));
  EXPECT_TRUE(invalid);
  EXPECT_THAT(Parse("a=%41%2b+", arena, &invalid), ElementsAre(FormField{"a", "A+ "}));
  EXPECT_FALSE(invalid);
}

TEST(ParseFormTest, UndecodedTextIsNotCopied) {
  TextArena arena;
  const std::string input = "name=value";
  const std::vector<FormField> fields = Parse(input, arena);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].name.data(), input.data());
  EXPECT_EQ(arena.capacity(), 0u);
}

TEST(ParseFormTest, OtherSeparator) {
  TextArena arena;
  std::vector<FormField> fields;
  ParseForm("a=1;b=2&c", arena, fields, ';');
  EXPECT_THAT(fields, ElementsAre(FormField{"a", "1"}, FormField{"b", "2&c"}));
}

TEST(PercentDecodeTest, PathsKeepThePlusSign) {
  TextArena arena;
  const PercentDecoded decoded = PercentDecode("/a+b%2fc%zz", PlusSign::kLiteral, arena);
  EXPECT_EQ(decoded.text, "/a+b/c%zz");
  EXPECT_TRUE(decoded.invalid);
}

TEST(PercentDecodeTest, EscapeCutAtTheEnd) {
  TextArena arena;
  EXPECT_EQ(PercentDecode("a%4", PlusSign::kSpace, arena).text, "a%4");
  EXPECT_EQ(PercentDecode("a%", PlusSign::kSpace, arena).text, "a%");
  EXPECT_EQ(PercentDecode("%41", PlusSign::kSpace, arena).text, "A");
}

}  // namespace
}  // namespace gatehouse::body

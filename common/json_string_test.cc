#include "common/json_string.h"

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

TEST(JsonStringTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("l1\nl2\r\tend"), "\"l1\\nl2\\r\\tend\"");
  EXPECT_EQ(JsonString(std::string_view("\x00\x1f", 2)), "\"\\u0000\\u001f\"");
  EXPECT_EQ(JsonString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  std::string out = "x:";
  AppendJsonString(out, "y");
  EXPECT_EQ(out, "x:\"y\"");
}

}  // namespace
}  // namespace gatehouse

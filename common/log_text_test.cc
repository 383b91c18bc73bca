#include "common/log_text.h"

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

TEST(LogTextTest, BoundsOnACharacterBoundary) {
  EXPECT_EQ(Bounded("short", 10), "short");
  EXPECT_EQ(Bounded(std::string(20, 'x'), 4), "xxxx…(16 bytes cut)");
  // "é" is two bytes: never split.
  EXPECT_EQ(Bounded("aé", 2), "a…(2 bytes cut)");
}

TEST(LogTextTest, ALogLineCannotBeForged) {
  const std::string line = ForLogLine("boom\ncontrol: admin token rotated\r\x01\\ é \xff", 100);
  EXPECT_EQ(line, "boom\\ncontrol: admin token rotated\\r\\x01\\\\ é \\xff");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_LE(ForLogLine(std::string(1 << 20, 'x'), 1024).size(), 1100u);
}

TEST(LogTextTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("plain ascii, é, 日本, 😀"));
  size_t offset = 0;
  EXPECT_FALSE(IsValidUtf8("ok\xff", &offset));
  EXPECT_EQ(offset, 2u);
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xe6\x97"));          // truncated
}

}  // namespace
}  // namespace gatehouse

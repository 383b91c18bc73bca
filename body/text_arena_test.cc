#include "body/text_arena.h"

#include <string>

#include "gtest/gtest.h"

namespace gatehouse::body {
namespace {

TEST(TextArenaTest, ViewsSurviveLaterAllocations) {
  TextArena arena(8);
  const std::string_view a = arena.Copy("hello");
  const std::string_view b = arena.Copy("a text longer than one block");
  const std::string_view c = arena.Copy("xyz");
  EXPECT_EQ(a, "hello");
  EXPECT_EQ(b, "a text longer than one block");
  EXPECT_EQ(c, "xyz");
}

TEST(TextArenaTest, ShrinkGivesBackTheTail) {
  TextArena arena(64);
  char* out = arena.Allocate(10);
  out[0] = 'a';
  EXPECT_EQ(arena.Shrink(out, 1), "a");
  const std::string_view next = arena.Copy("b");
  EXPECT_EQ(next.data(), out + 1);
}

TEST(TextArenaTest, ResetKeepsTheMemory) {
  TextArena arena(16);
  for (int i = 0; i < 10; ++i) arena.Copy("0123456789");
  const std::size_t capacity = arena.capacity();
  for (int round = 0; round < 5; ++round) {
    arena.Reset();
    for (int i = 0; i < 10; ++i) EXPECT_EQ(arena.Copy("0123456789"), "0123456789");
  }
  EXPECT_EQ(arena.capacity(), capacity);
}

TEST(TextArenaTest, EmptyCopyAllocatesNothing) {
  TextArena arena;
  EXPECT_TRUE(arena.Copy("").empty());
  EXPECT_EQ(arena.capacity(), 0u);
}

}  // namespace
}  // namespace gatehouse::body

#include "api/gatectl/line_diff.h"

#include "gtest/gtest.h"

namespace gatehouse::gatectl {
namespace {

TEST(LineDiffTest, EqualTextsHaveNoDiff) { EXPECT_EQ(LineDiff("a\nb\n", "a\nb\n", "x", "y"), ""); }

TEST(LineDiffTest, MarksRemovedAndAddedLines) {
  EXPECT_EQ(LineDiff("a\nb\nc\n", "a\nB\nc\nd\n", "deployed", "local"),
            "--- deployed\n+++ local\n a\n-b\n+B\n c\n+d\n");
}

TEST(LineDiffTest, EmptySideIsAllAddedOrRemoved) {
  EXPECT_EQ(LineDiff("", "x\n", "a", "b"), "--- a\n+++ b\n+x\n");
  EXPECT_EQ(LineDiff("x\n", "", "a", "b"), "--- a\n+++ b\n-x\n");
}

}  // namespace
}  // namespace gatehouse::gatectl

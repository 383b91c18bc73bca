#include "compiler/seclang_import/regex_rewrite.h"

#include "gtest/gtest.h"
#include "re2/re2.h"

namespace gatehouse::seclang_import {
namespace {

std::string Rewrite(std::string_view pattern, bool expect_change = true) {
  bool changed = false;
  std::string out = PossessiveToGreedy(pattern, &changed);
  EXPECT_EQ(changed, expect_change) << pattern;
  return out;
}

TEST(PossessiveToGreedyTest, DropsThePossessiveMarkOnly) {
  EXPECT_EQ(Rewrite("\\s*+;\\s*+"), "\\s*;\\s*");
  EXPECT_EQ(Rewrite("[^?\\w]++x"), "[^?\\w]+x");
  EXPECT_EQ(Rewrite("a{2,3}+b"), "a{2,3}b");
  EXPECT_EQ(Rewrite("a?+b"), "a?b");
  EXPECT_EQ(Rewrite("a+b", false), "a+b");
  EXPECT_EQ(Rewrite("a+?b", false), "a+?b");     // lazy, then a literal b
  EXPECT_EQ(Rewrite("(?:a)+b", false), "(?:a)+b");
  EXPECT_EQ(Rewrite("\\++", false), "\\++");     // an escaped '+', then a quantifier
  EXPECT_EQ(Rewrite("[*+]+", false), "[*+]+");   // inside a class nothing is a quantifier
  EXPECT_EQ(Rewrite("[]+]++"), "[]+]+");
}

// The rewritten CRS patterns compile with RE2 and still decide the corpus's examples.
TEST(PossessiveToGreedyTest, Crs942260ReadsAsBefore) {
  const std::string pattern = Rewrite(
      "(?i:[\"'`]\\s*?(?:(?:n(?:and|ot)|(?:x?x)?or|between|\\|\\||and|div|&&)\\s+[\\s\\w]+=\\s*?"
      "\\w+\\s*?having\\s+|like(?:\\s+[\\s\\w]+=\\s*?\\w+\\s*?having\\s+|\\W*?[\"'`\\d])|"
      "[^?\\w\\s=.,;)(]++\\s*?[(@\"'`]*?\\s*?\\w+\\W+\\w|\\*\\s*?\\w+\\W+[\"'`])|(?:union\\s*?"
      "(?:distinct|[(!@]*?|all)?\\s*?[([]*?\\s*?select|select\\s+?[\\[\\]()\\s\\w\\.,\"'`-]+from)"
      "\\s+|\\w\\s+like\\s+[\"'`]|find_in_set\\s*?\\(|like\\s*?[\"'`]%)");
  RE2 regex(pattern);
  ASSERT_TRUE(regex.ok()) << regex.error();
  EXPECT_TRUE(RE2::PartialMatch("1' union select password from users", regex));
  EXPECT_TRUE(RE2::PartialMatch("\"&&@ abc=x", regex));
  EXPECT_FALSE(RE2::PartialMatch("hello world", regex));
}

}  // namespace
}  // namespace gatehouse::seclang_import

#include "ftw/judge.h"

#include "gtest/gtest.h"

namespace gatehouse::ftw {
namespace {

const std::vector<std::string> kLines = {
    R"([msg "SQL Injection"] [id "942100"] [severity "CRITICAL"])",
    R"([msg "Inbound score"] [id "949110"])",
};

TEST(JudgeTest, LogContainsAndNot) {
  Stage stage;
  stage.output.log_contains = R"(id "942100")";
  EXPECT_EQ(Judge(stage, kLines), Verdict::kPass);
  EXPECT_EQ(Judge(stage, {}), Verdict::kFail);
  stage.output.no_log_contains = R"(id "941100")";
  EXPECT_EQ(Judge(stage, kLines), Verdict::kPass);
  stage.output.no_log_contains = "id \"9491\\d0\"";
  std::string why;
  EXPECT_EQ(Judge(stage, kLines, &why), Verdict::kFail);
  EXPECT_NE(why.find("a log line matches"), std::string::npos);
}

TEST(JudgeTest, ExpectIds) {
  Stage stage;
  stage.output.expect_ids = {"942100"};
  stage.output.no_expect_ids = {"941100"};
  EXPECT_EQ(Judge(stage, kLines), Verdict::kPass);
  stage.output.no_expect_ids = {"949110"};
  EXPECT_EQ(Judge(stage, kLines), Verdict::kFail);
}

TEST(JudgeTest, StatusOnlyAndDisabled) {
  Stage stage;
  stage.output.status = {403};
  EXPECT_EQ(Judge(stage, kLines), Verdict::kNeedsServer);
  stage.output.log_contains = "x";
  stage.enabled = false;
  EXPECT_EQ(Judge(stage, kLines), Verdict::kDisabled);
}

TEST(JudgeTest, UnreadablePatternFails) {
  Stage stage;
  stage.output.log_contains = "(?<=a)b";  // lookbehind: not RE2
  std::string why;
  EXPECT_EQ(Judge(stage, kLines, &why), Verdict::kFail);
  EXPECT_NE(why.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::ftw

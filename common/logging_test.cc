#include "common/logging.h"

#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::logging {
namespace {

// Captures what is written to stderr while it lives.
class StderrCapture {
 public:
  StderrCapture() {
    file_ = std::tmpfile();
    saved_ = dup(STDERR_FILENO);
    dup2(fileno(file_), STDERR_FILENO);
  }
  ~StderrCapture() {
    Restore();
    std::fclose(file_);
  }
  std::string Text() {
    Restore();
    std::string text;
    std::rewind(file_);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), file_)) > 0) text.append(buffer, n);
    return text;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
  }
  std::FILE* file_;
  int saved_;
};

class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override { SetProgramName("test"); }
  void TearDown() override { SetMinLevel(Level::kInfo); }
};

TEST_F(LoggingTest, WritesOneLineWithProgramAndLevel) {
  StderrCapture capture;
  GH_LOG(WARNING) << "snapshot " << 7 << " refused";
  EXPECT_EQ(capture.Text(), "test: warning: snapshot 7 refused\n");
}

TEST_F(LoggingTest, BelowTheMinimumNothingIsWrittenNorEvaluated) {
  SetMinLevel(Level::kWarning);
  int evaluated = 0;
  auto count = [&evaluated] { return ++evaluated; };
  StderrCapture capture;
  GH_LOG(INFO) << "hidden " << count();
  GH_LOG(DEBUG) << "hidden " << count();
  GH_LOG(ERROR) << "shown " << count();
  EXPECT_EQ(capture.Text(), "test: error: shown 1\n");
  EXPECT_EQ(evaluated, 1);
}

TEST_F(LoggingTest, UsableAsOneStatementUnderIf) {
  StderrCapture capture;
  const bool quiet = true;
  if (quiet)
    GH_LOG(INFO) << "in the if";
  else
    GH_LOG(INFO) << "in the else";
  EXPECT_EQ(capture.Text(), "test: info: in the if\n");
}

TEST_F(LoggingTest, ParsesLevels) {
  Level level;
  ASSERT_TRUE(ParseLevel("debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  ASSERT_TRUE(ParseLevel("warn", &level));
  EXPECT_EQ(level, Level::kWarning);
  ASSERT_TRUE(ParseLevel("error", &level));
  EXPECT_EQ(level, Level::kError);
  EXPECT_FALSE(ParseLevel("loud", &level));
}

TEST_F(LoggingTest, LinesFromManyThreadsDoNotInterleave) {
  StderrCapture capture;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) GH_LOG(INFO) << "thread " << t << " line " << i << " end";
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = capture.Text();
  size_t lines = 0;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string line = text.substr(start, end - start);
    EXPECT_EQ(line.rfind("test: info: thread ", 0), 0u) << line;
    EXPECT_EQ(line.substr(line.size() - 4), " end") << line;
    ++lines;
    start = end + 1;
  }
  EXPECT_EQ(lines, 800u);
}

}  // namespace
}  // namespace gatehouse::logging

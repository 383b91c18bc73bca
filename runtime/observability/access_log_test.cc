#include "runtime/observability/access_log.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

std::string TempFile(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(AccessLogTest, FormatsEscapedJson) {
  const std::vector<std::pair<std::string_view, std::string_view>> rules = {{"r1", "log"}};
  AccessLogEntry entry;
  entry.ray_id = "00ff";
  entry.zone = "example.com";
  entry.method = "GET";
  entry.target = "/a\"b\\c\n";
  entry.status = 200;
  entry.action = "proxied";
  entry.rules = &rules;
  const std::string line = AccessLog::Format(entry, std::chrono::system_clock::time_point());
  EXPECT_NE(line.find("\"path\":\"/a\\\"b\\\\c\\n\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"rules\":[{\"id\":\"r1\",\"action\":\"log\"}]"), std::string::npos);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

TEST(AccessLogTest, ManagedMatchesAreListedWhenThereAreAny) {
  AccessLogEntry entry;
  entry.status = 403;
  const std::vector<ManagedLogEntry> none;
  entry.managed = &none;
  EXPECT_EQ(AccessLog::Format(entry, {}).find("managed"), std::string::npos);
  const std::vector<ManagedLogEntry> managed = {{"owasp-crs", 20, {"942100", "949110"}}};
  entry.managed = &managed;
  const std::string line = AccessLog::Format(entry, {});
  EXPECT_NE(line.find(",\"managed\":[{\"ruleset\":\"owasp-crs\",\"score\":20,"
                      "\"rules\":[\"942100\",\"949110\"]}]}"),
            std::string::npos)
      << line;
}

TEST(AccessLogTest, ManyWorkersEveryLineWrittenOnce) {
  const std::string path = TempFile("many.log");
  auto log = AccessLog::Open({path});
  ASSERT_TRUE(log.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      AccessLog::Shard& shard = (*log)->AddShard();  // each thread is a worker
      AccessLogEntry entry;
      entry.zone = "z";
      for (int i = 0; i < 1000; ++i) shard.Record(entry);
    });
  }
  for (auto& thread : threads) thread.join();
  (*log)->Flush();
  EXPECT_EQ((*log)->written(), 4000u);
  EXPECT_EQ((*log)->dropped(), 0u);
  log->reset();
  const std::string text = ReadAll(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4000);
}

TEST(AccessLogTest, FullBufferDropsAndCounts) {
  AccessLog::Options options;
  options.path = TempFile("small.log");
  options.max_buffered_bytes_per_worker = 1000;
  options.flush_interval = std::chrono::hours(1);  // nothing drains during the test
  auto log = AccessLog::Open(options);
  ASSERT_TRUE(log.ok());
  AccessLog::Shard& shard = (*log)->AddShard();
  AccessLogEntry entry;
  for (int i = 0; i < 100; ++i) shard.Record(entry);
  EXPECT_GT((*log)->dropped(), 0u);
  (*log)->Flush();
  EXPECT_EQ((*log)->written() + (*log)->dropped(), 100u);
}

}  // namespace
}  // namespace gatehouse::runtime

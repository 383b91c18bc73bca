#include "runtime/observability/metrics.h"

#include <thread>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ProxyMetricsTest, MergesEveryWorkersShard) {
  ProxyMetrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      ProxyMetrics::Shard& shard = metrics.AddShard();  // each thread is a worker
      for (int i = 0; i < 250; ++i) shard.RecordRequest("a.com", 200, "proxied", 0.002);
    });
  }
  for (auto& thread : threads) thread.join();
  ProxyMetrics::Shard& shard = metrics.AddShard();
  shard.RecordRequest("a.com", 403, "block", 0.0001);
  shard.RecordUpstreamError("a.com", "connect");
  const std::string text = metrics.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "gatehouse_requests_total{zone=\"a.com\",status=\"200\",action=\"proxied\"} 1000\n")) << text;
  EXPECT_TRUE(Contains(text, "gatehouse_requests_total{zone=\"a.com\",status=\"403\",action=\"block\"} 1\n"));
  EXPECT_TRUE(Contains(text, "gatehouse_request_duration_seconds_bucket{zone=\"a.com\",le=\"0.0025\"} 1001\n")) << text;
  EXPECT_TRUE(Contains(text, "gatehouse_request_duration_seconds_bucket{zone=\"a.com\",le=\"0.001\"} 1\n"));
  EXPECT_TRUE(Contains(text, "gatehouse_request_duration_seconds_count{zone=\"a.com\"} 1001\n"));
  EXPECT_TRUE(Contains(text, "gatehouse_upstream_errors_total{zone=\"a.com\",kind=\"connect\"} 1\n"));
}

TEST(ProxyMetricsTest, CallbacksAndEscaping) {
  ProxyMetrics metrics;
  metrics.AddGauge("gatehouse_snapshot_version", "The served snapshot.", [] { return 42.0; });
  metrics.AddShard().RecordRequest("we\"ird", 200, "proxied", 0.1);
  const std::string text = metrics.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "# TYPE gatehouse_snapshot_version gauge\ngatehouse_snapshot_version 42\n")) << text;
  EXPECT_TRUE(Contains(text, "zone=\"we\\\"ird\""));
}

TEST(ProxyMetricsTest, InstancesDoNotShareShards) {
  ProxyMetrics first;
  ProxyMetrics second;
  first.AddShard().RecordRequest("a.com", 200, "proxied", 0.1);
  EXPECT_FALSE(Contains(second.RenderPrometheus(), "a.com"));
}

}  // namespace
}  // namespace gatehouse::runtime

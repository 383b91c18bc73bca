// The etcd client against a real three-member etcd on loopback.
#include "etcd/etcd_client.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "etcd/etcd_endpoints.h"
#include "etcd/etcd_watch.h"
#include "etcd/leased_key.h"
#include "etcd/test_etcd_cluster.h"
#include "gtest/gtest.h"

namespace gatehouse::etcd {
namespace {

class EtcdClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new TestEtcdCluster();
    const absl::Status started = cluster_->Start(3);
    ASSERT_TRUE(started.ok()) << started;
  }
  static void TearDownTestSuite() { delete cluster_; }

  std::unique_ptr<Client> Connect() {
    ClientOptions options;
    options.endpoints = cluster_->endpoints();
    options.request_timeout = std::chrono::seconds(3);
    return *Client::Connect(options);
  }

  static TestEtcdCluster* cluster_;
};

TestEtcdCluster* EtcdClientTest::cluster_ = nullptr;

absl::Status Put(const Client& client, const std::string& key, const std::string& value) {
  etcdserverpb::PutRequest put;
  put.set_key(key);
  put.set_value(value);
  return client.Put(put).status();
}

TEST(EtcdEndpointsTest, ParsesMembersAndRejectsJunk) {
  auto members = ParseEtcdUrl("etcd://127.0.0.1:2379,[::1]:2380,etcd.example:1");
  ASSERT_TRUE(members.ok()) << members.status();
  EXPECT_EQ(*members, (std::vector<std::string>{"127.0.0.1:2379", "[::1]:2380", "etcd.example:1"}));
  EXPECT_FALSE(ParseEtcdUrl("etcd://").ok());
  EXPECT_FALSE(ParseEtcdUrl("etcd://a:1,,b:2").ok());
  EXPECT_FALSE(ParseEtcdUrl("etcd://a:0").ok());
  EXPECT_FALSE(ParseEtcdUrl("http://a:1").ok());
  EXPECT_TRUE(IsEtcdUrl("etcd://a:1"));
  EXPECT_FALSE(IsEtcdUrl("/var/lib/gatehouse"));
}

TEST(EtcdEndpointsTest, PrefixEnd) {
  EXPECT_EQ(PrefixEnd("/a/"), "/a0");
  EXPECT_EQ(PrefixEnd(std::string("a\xff", 2)), "b");
}

TEST_F(EtcdClientTest, PutRangeAndACompareThatFails) {
  auto client = Connect();
  ASSERT_TRUE(Put(*client, "/t1/a", "1").ok());
  etcdserverpb::RangeRequest range;
  range.set_key("/t1/a");
  auto read = client->Range(range);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->kvs_size(), 1);
  EXPECT_EQ(read->kvs(0).value(), "1");
  // A transaction guarded by the key's revision: the second with the same guard fails.
  for (const bool expect_success : {true, false}) {
    etcdserverpb::TxnRequest txn;
    auto* compare = txn.add_compare();
    compare->set_key("/t1/a");
    compare->set_target(etcdserverpb::Compare::MOD);
    compare->set_result(etcdserverpb::Compare::EQUAL);
    compare->set_mod_revision(read->kvs(0).mod_revision());
    auto* put = txn.add_success()->mutable_request_put();
    put->set_key("/t1/a");
    put->set_value("2");
    auto done = client->Txn(txn);
    ASSERT_TRUE(done.ok()) << done.status();
    EXPECT_EQ(done->succeeded(), expect_success);
  }
}

TEST_F(EtcdClientTest, WatchSeesEveryChangeInOrderAcrossAMemberRestart) {
  auto client = Connect();
  std::mutex mutex;
  std::vector<std::string> seen;
  etcdserverpb::RangeRequest range;
  range.set_key("/t2/");
  auto start = client->Range(range);
  ASSERT_TRUE(start.ok());
  PrefixWatch watch(
      *client, "/t2/", start->header().revision() + 1,
      [&](const auto& events) {
        std::lock_guard lock(mutex);
        for (const auto& event : events) seen.push_back(event.kv().value());
      },
      []() -> absl::StatusOr<int64_t> { return absl::InternalError("not compacted"); });
  watch.Start();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Put(*client, "/t2/k", std::to_string(i)).ok());
  cluster_->Kill9(0);
  // When member 0 led, writes fail (UNAVAILABLE, not lost) until the others elect a leader.
  ASSERT_TRUE(cluster_->WaitWritable(std::chrono::seconds(10)).ok());
  for (int i = 10; i < 20; ++i) ASSERT_TRUE(Put(*client, "/t2/k", std::to_string(i)).ok());
  ASSERT_TRUE(cluster_->Restart(0).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex);
      if (seen.size() >= 20) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  watch.Stop();
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], std::to_string(i));
}

TEST_F(EtcdClientTest, ALeasedKeyLivesWithItsOwner) {
  auto client = Connect();
  etcdserverpb::RangeRequest range;
  range.set_key("/t3/replica");
  {
    LeasedKey key(*client, "/t3/replica", "up", std::chrono::seconds(2));
    ASSERT_TRUE(key.Start().ok());
    // Outlives its TTL while kept alive.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    auto read = client->Range(range);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->kvs_size(), 1);
  }
  auto read = client->Range(range);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->kvs_size(), 0);
}

TEST(EtcdClientUnreachableTest, NoMemberIsUnavailableWithinTheTimeout) {
  ClientOptions options;
  options.endpoints = {"127.0.0.1:1"};
  options.request_timeout = std::chrono::milliseconds(500);
  auto client = Client::Connect(options);
  ASSERT_TRUE(client.ok());
  etcdserverpb::RangeRequest range;
  range.set_key("/x");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ((*client)->Range(range).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

}  // namespace
}  // namespace gatehouse::etcd

// Control replicas sharing one real etcd (a member on loopback): host names stay with one zone
// across replicas, and a replica whose watch lost its history catches up.
#include <atomic>
#include <cstdio>
#include <thread>

#include "api/config_controller.h"
#include "api/etcd_config_store.h"
#include "api/host_claim_conflict.h"
#include "api/list_controller.h"
#include "api/store_follower.h"
#include "etcd/test_etcd_cluster.h"
#include "gtest/gtest.h"

namespace gatehouse::api {
namespace {

std::string ZoneWithHosts(const std::string& zone, const std::string& hosts) {
  return R"({"zone": ")" + zone + R"(", "hostnames": [)" + hosts +
         R"(], "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}]})";
}

// One control replica as control_instance wires it, on its own etcd client.
struct Replica {
  explicit Replica(const etcd::Client& client, const std::string& prefix)
      : store(*EtcdConfigStore::Open(client, prefix)),
        publisher(store->Lineage()),
        controller(*store, publisher, {}, {}, nullptr, {}, PublishMode::kFromStore, &catalog),
        lists(*store, publisher, catalog, {}, PublishMode::kFromStore) {
    EXPECT_TRUE(controller.LoadFromStore().ok());
    follower =
        std::make_unique<StoreFollower>(*store, controller, lists, publisher.Current()->version);
    follower->Start();
  }
  ~Replica() {
    follower->Stop();
    publisher.Shutdown();
  }

  absl::StatusOr<ConfigController::PutResult> Push(const std::string& zone,
                                                   const std::string& hosts,
                                                   bool reveal_owners = false) {
    std::vector<compiler::ZoneDiagnostic> diagnostics;
    ConfigController::PutOptions options;
    options.reveal_owners = reveal_owners;
    return controller.Put(ZoneWithHosts(zone, hosts), 0, "tenant-" + zone, nullptr, options,
                          &diagnostics);
  }

  std::unique_ptr<EtcdConfigStore> store;
  SnapshotPublisher publisher;
  AccountListCatalog catalog;
  ConfigController controller;
  ListController lists;
  std::unique_ptr<StoreFollower> follower;
};

class EtcdReplicasTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new etcd::TestEtcdCluster();
    const absl::Status started = cluster_->Start(1);
    ASSERT_TRUE(started.ok()) << started;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  std::unique_ptr<etcd::Client> Connect() const {
    etcd::ClientOptions options;
    options.endpoints = cluster_->endpoints();
    options.request_timeout = std::chrono::seconds(3);
    return *etcd::Client::Connect(options);
  }
  static std::string FreshPrefix() {
    static int counter = 0;
    return "/replicas-test-" + std::to_string(counter++) + "/";
  }

  static etcd::TestEtcdCluster* cluster_;
};

etcd::TestEtcdCluster* EtcdReplicasTest::cluster_ = nullptr;

ZoneRecord Claiming(const std::string& zone, std::vector<std::string> claims) {
  ZoneRecord record;
  record.zone = zone;
  record.config_hash = zone + std::to_string(claims.size());
  record.host_claims = std::move(claims);
  return record;
}

TEST_F(EtcdReplicasTest, TheStoreKeepsEachHostNameWithOneZone) {
  auto client = Connect();
  auto store = *EtcdConfigStore::Open(*client, FreshPrefix());
  auto a = store->Append(Claiming("a", {"a.test", "*.w.test"}), std::nullopt);
  ASSERT_TRUE(a.ok()) << a.status();

  // The same name, a wildcard over it, and a name under its wildcard are all refused.
  for (const std::string claim : {"a.test", "*.test", "x.w.test", "*.y.w.test", "*.w.test"}) {
    auto refused = store->Append(Claiming("b", {"b.test", claim}), std::nullopt);
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << claim;
    const auto conflict = StoredHostConflictOf(refused.status());
    ASSERT_TRUE(conflict.has_value()) << refused.status();
    EXPECT_EQ(conflict->conflict.claim, claim);
    EXPECT_EQ(conflict->conflict.other_zone, "a");
    EXPECT_EQ(conflict->sequence, a->sequence);
  }
  EXPECT_EQ(store->Latest("b").status().code(), absl::StatusCode::kNotFound);
  // Names that overlap nothing: the wildcard's own suffix, a sibling.
  ASSERT_TRUE(store->Append(Claiming("b", {"w.test", "b.test"}), std::nullopt).ok());

  // A version without host claims (a certificate change) keeps the zone's.
  ZoneRecord certificates_only = Claiming("a", {});
  certificates_only.host_claims.reset();
  ASSERT_TRUE(store->AppendWithCertificates(certificates_only, std::nullopt, {}).ok());
  EXPECT_FALSE(store->Append(Claiming("c", {"a.test"}), std::nullopt).ok());

  // A name a zone drops, and every name of a deleted zone, can be claimed again.
  ASSERT_TRUE(store->Append(Claiming("a", {"*.w.test"}), std::nullopt).ok());
  ASSERT_TRUE(store->Append(Claiming("c", {"a.test"}), std::nullopt).ok());
  EXPECT_FALSE(store->Append(Claiming("c", {"a.test", "v.w.test"}), std::nullopt).ok());
  ZoneRecord tombstone = Claiming("a", {});
  tombstone.deleted = true;
  ASSERT_TRUE(store->Append(tombstone, std::nullopt).ok());
  EXPECT_TRUE(store->Append(Claiming("c", {"a.test", "v.w.test"}), std::nullopt).ok());
}

TEST_F(EtcdReplicasTest, TwoTenantsPushingOneNameThroughTwoReplicasAtOnceOneWins) {
  const std::string prefix = FreshPrefix();
  auto client_one = Connect();
  auto client_two = Connect();
  Replica one(*client_one, prefix);
  Replica two(*client_two, prefix);
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    const std::string shared = "\"shared" + std::to_string(round) + ".test\"";
    const std::string zone_a = "a" + std::to_string(round) + ".test";
    const std::string zone_b = "b" + std::to_string(round) + ".test";
    std::atomic<int> ready{0};
    absl::StatusOr<ConfigController::PutResult> through_one, through_two;
    auto push = [&](Replica& replica, const std::string& zone,
                    absl::StatusOr<ConfigController::PutResult>* result) {
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      *result = replica.Push(zone, "\"" + zone + "\", " + shared);
    };
    std::thread a([&] { push(one, zone_a, &through_one); });
    std::thread b([&] { push(two, zone_b, &through_two); });
    a.join();
    b.join();
    ASSERT_NE(through_one.ok(), through_two.ok())
        << "round " << round << ": " << through_one.status() << " / " << through_two.status();
    const absl::Status& refused = through_one.ok() ? through_two.status() : through_one.status();
    // Word for word what one control plane answers a scoped tenant.
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(refused.message(),
              "host name " + shared +
                  " is already served by another zone (a host name belongs to one zone); "
                  "remove it from hostnames, or ask the admin to transfer it");
    // Both replicas serve the winner's zone, and only that one.
    const std::string winner = through_one.ok() ? zone_a : zone_b;
    const std::string loser = through_one.ok() ? zone_b : zone_a;
    const uint64_t sequence =
        through_one.ok() ? through_one->record.sequence : through_two->record.sequence;
    for (Replica* replica : {&one, &two}) {
      ASSERT_NE(replica->publisher.WaitNewerThan(sequence - 1, std::chrono::seconds(3)), nullptr);
      const auto current = replica->publisher.Current();
      EXPECT_NE(current->zones.Find(winner), nullptr);
      EXPECT_EQ(current->zones.Find(loser), nullptr);
    }
  }
}

TEST_F(EtcdReplicasTest, TheAdminSeesTheOwnerOfANameAnotherReplicaStored) {
  const std::string prefix = FreshPrefix();
  auto client_one = Connect();
  auto client_two = Connect();
  Replica one(*client_one, prefix);
  Replica two(*client_two, prefix);
  ASSERT_TRUE(one.Push("owner.test", "\"owner.test\", \"taken.test\"").ok());
  const auto refused = two.Push("other.test", "\"other.test\", \"taken.test\"", true);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("of zone owner.test"), std::string::npos)
      << refused.status();
}

TEST_F(EtcdReplicasTest, AReplicaWhoseHistoryWasCompactedAwayCatchesUp) {
  const std::string prefix = FreshPrefix();
  auto client_one = Connect();
  auto client_two = Connect();
  Replica one(*client_one, prefix);
  Replica two(*client_two, prefix);
  ASSERT_TRUE(one.Push("kept.test", "\"kept.test\"").ok());
  ASSERT_TRUE(one.Push("changed.test", "\"changed.test\"").ok());
  auto doomed = one.Push("doomed.test", "\"doomed.test\"");
  ASSERT_TRUE(doomed.ok());
  ASSERT_NE(two.publisher.WaitNewerThan(doomed->record.sequence - 1, std::chrono::seconds(3)),
            nullptr);
  const auto kept_before = two.publisher.Current()->zones.at("kept.test");

  // Replica two is cut off while the store moves on and etcd compacts the history it missed.
  two.follower->Stop();
  ASSERT_TRUE(one.Push("changed.test", "\"changed.test\", \"www.changed.test\"").ok());
  ASSERT_TRUE(one.Push("new.test", "\"new.test\"").ok());
  ASSERT_TRUE(one.controller.Delete("doomed.test", 0, "test").ok());
  etcdserverpb::RangeRequest now;
  now.set_key(prefix);
  auto read = client_one->Range(now);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(client_one->Compact(read->header().revision()).ok());

  // Back, it follows from the revision it had, which is gone: it reloads and goes on.
  two.follower = std::make_unique<StoreFollower>(*two.store, two.controller, two.lists,
                                                 two.publisher.Current()->version);
  two.follower->Start();
  const uint64_t newest = one.publisher.Current()->version;
  ASSERT_NE(two.publisher.WaitNewerThan(newest - 1, std::chrono::seconds(5)), nullptr);
  const auto state = two.publisher.Current();
  EXPECT_EQ(state->version, newest);
  EXPECT_EQ(state->zones.at("changed.test")->version(), 2u);
  EXPECT_EQ(state->zones.at("changed.test")->config().hostnames_size(), 2);
  EXPECT_EQ(state->zones.at("new.test")->version(), 1u);
  EXPECT_EQ(state->zones.Find("doomed.test"), nullptr);
  // A zone that did not change is the very one published before (not built again).
  EXPECT_EQ(state->zones.at("kept.test"), kept_before);
  EXPECT_EQ(state->content_hash, one.publisher.Current()->content_hash);

  // And it follows what comes next.
  auto after = one.Push("after.test", "\"after.test\"");
  ASSERT_TRUE(after.ok());
  ASSERT_NE(two.publisher.WaitNewerThan(after->record.sequence - 1, std::chrono::seconds(3)),
            nullptr);
  EXPECT_NE(two.publisher.Current()->zones.Find("after.test"), nullptr);
}

// A zone naming `$list` in a block rule.
std::string ZoneNaming(const std::string& zone, const std::string& list) {
  return R"({"zone": ")" + zone + R"(", "hostnames": [")" + zone +
         R"("], "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}], "rulesets": [
           {"phase": "http_request_firewall_custom", "rules": [
             {"id": "r", "expression": "ip.src in $)" +
         list + R"(", "action": "block"}]}]})";
}

// A list deleted through one replica while a push through the other names it, many rounds: at
// most one of them succeeds (else the zone would name a list that is gone, and its proxies
// would keep serving its previous plan).
TEST_F(EtcdReplicasTest, AListDeletionAndAPushNamingItThroughTwoReplicasNeverBothSucceed) {
  auto client_one = Connect();
  auto client_two = Connect();
  const std::string prefix = FreshPrefix();
  Replica one(*client_one, prefix);
  Replica two(*client_two, prefix);
  const Principal admin = Principal::Admin();
  constexpr int kRounds = 24;
  int deletions = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string name = "race" + std::to_string(round);
    auto created = one.lists.Create(admin, name, "ip", {"192.0.2.1"}, {"race.test"});
    ASSERT_TRUE(created.ok()) << created.status();
    // The other replica compiles pushes against the lists it has published.
    ASSERT_TRUE(two.publisher.AwaitPublished(created->record.sequence, std::chrono::seconds(5)));
    std::atomic<int> ready{0};
    absl::StatusOr<ListController::Change> deleted = absl::UnknownError("not run");
    absl::StatusOr<ConfigController::PutResult> pushed = absl::UnknownError("not run");
    std::thread deleter([&] {
      ++ready;
      while (ready < 2) {
      }
      // The push compiles first: the deletion starts up to that much later, so that both
      // orders, and every overlap between, are tried.
      std::this_thread::sleep_for(std::chrono::milliseconds(round % 8));
      deleted = one.lists.Delete(admin, name, 0);
    });
    std::thread pusher([&] {
      ++ready;
      while (ready < 2) {
      }
      std::vector<compiler::ZoneDiagnostic> diagnostics;
      pushed =
          two.controller.Put(ZoneNaming("race.test", name), 0, "tenant", nullptr, {}, &diagnostics);
    });
    deleter.join();
    pusher.join();
    ASSERT_NE(deleted.ok(), pushed.ok())
        << "round " << round << ": " << deleted.status() << " / " << pushed.status();
    deletions += deleted.ok() ? 1 : 0;
  }
  std::printf("deletions won %d of %d rounds\n", deletions, kRounds);
}

}  // namespace
}  // namespace gatehouse::api

// Every ConfigStore implementation passes the same contract (memory, SQLite, and etcd: a real
// member on loopback); the SQLite one also survives reopen, the etcd one is shared by replicas.
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <thread>

#include "api/etcd_config_store.h"
#include "api/etcd_token_store.h"
#include "api/list_uses.h"
#include "api/memory_config_store.h"
#include "api/sqlite_config_store.h"
#include "api/sqlite_token_store.h"
#include "etcd/test_etcd_cluster.h"
#include "gtest/gtest.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api {
namespace {

std::string FreshDir() {
  static int counter = 0;
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp != nullptr ? tmp : "/tmp") + "/store-" + std::to_string(getpid()) + "-" +
         std::to_string(counter++);
}

// One etcd member for the whole binary, started on first use; each store has its own prefix.
class EtcdEnvironment : public ::testing::Environment {
 public:
  static const etcd::Client& Client() {
    static EtcdEnvironment* const started = [] {
      const absl::Status status = instance_->cluster_.Start(1);
      EXPECT_TRUE(status.ok()) << status;
      etcd::ClientOptions options;
      options.endpoints = instance_->cluster_.endpoints();
      instance_->client_ = *etcd::Client::Connect(options);
      return instance_;
    }();
    return *started->client_;
  }
  static std::string FreshPrefix() {
    static int counter = 0;
    return "/test-" + std::to_string(counter++) + "/";
  }
  void TearDown() override {
    client_.reset();
    cluster_ = etcd::TestEtcdCluster();
  }

  static EtcdEnvironment* instance_;

 private:
  etcd::TestEtcdCluster cluster_;
  std::unique_ptr<etcd::Client> client_;
};

EtcdEnvironment* EtcdEnvironment::instance_ = static_cast<EtcdEnvironment*>(
    ::testing::AddGlobalTestEnvironment(new EtcdEnvironment()));

std::unique_ptr<EtcdConfigStore> OpenEtcdStore(const std::string& prefix) {
  auto store = EtcdConfigStore::Open(EtcdEnvironment::Client(), prefix);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

using StoreFactory = std::function<std::unique_ptr<ConfigStore>()>;

class ConfigStoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  std::unique_ptr<ConfigStore> store_ = GetParam()();
};

ZoneRecord Record(const std::string& zone, const std::string& hash) {
  ZoneRecord record;
  record.zone = zone;
  record.config_hash = hash;
  record.config_json = "{\"zone\": \"" + zone + "\"}";
  record.author = "test";
  return record;
}

TEST_P(ConfigStoreContractTest, AssignsVersionsPerZoneAndSequencesGlobally) {
  auto a1 = store_->Append(Record("a.com", "h1"), std::nullopt);
  auto b1 = store_->Append(Record("b.com", "h2"), std::nullopt);
  auto a2 = store_->Append(Record("a.com", "h3"), std::nullopt);
  ASSERT_TRUE(a1.ok() && b1.ok() && a2.ok());
  EXPECT_EQ(a1->version, 1u);
  EXPECT_EQ(b1->version, 1u);
  EXPECT_EQ(a2->version, 2u);
  EXPECT_LT(a1->sequence, b1->sequence);
  EXPECT_LT(b1->sequence, a2->sequence);
  EXPECT_EQ(store_->LastSequence(), a2->sequence);
  EXPECT_EQ(store_->Latest("a.com")->config_hash, "h3");
  EXPECT_EQ(store_->Version("a.com", 1)->config_hash, "h1");
  EXPECT_EQ(store_->History("a.com").size(), 2u);
  const auto all = store_->LatestOfAllZones();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].zone, "a.com");
  EXPECT_EQ(all[0].version, 2u);
  EXPECT_GT(all[0].created_unix_ms, 0);
}

TEST_P(ConfigStoreContractTest, ExpectedVersionMismatchStoresNothing) {
  ASSERT_TRUE(store_->Append(Record("a.com", "h1"), std::nullopt).ok());
  const auto stale = store_->Append(Record("a.com", "h2"), 0);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->Latest("a.com")->config_hash, "h1");
  EXPECT_TRUE(store_->Append(Record("a.com", "h2"), 1).ok());
}

TEST_P(ConfigStoreContractTest, MissingZonesAndTombstones) {
  EXPECT_EQ(store_->Latest("none.com").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Version("none.com", 1).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->Append(Record("a.com", "h1"), std::nullopt).ok());
  ZoneRecord tombstone = Record("a.com", "");
  tombstone.deleted = true;
  ASSERT_TRUE(store_->Append(tombstone, std::nullopt).ok());
  EXPECT_TRUE(store_->LatestOfAllZones().empty());
  EXPECT_TRUE(store_->Latest("a.com")->deleted);
}

TEST_P(ConfigStoreContractTest, ConcurrentAppendsToOneZoneLoseNothing) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        ASSERT_TRUE(
            store_->Append(Record("a.com", std::to_string(t) + "-" + std::to_string(i)),
                           std::nullopt)
                .ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto history = store_->History("a.com");
  ASSERT_EQ(history.size(), 100u);
  for (size_t i = 0; i < history.size(); ++i) EXPECT_EQ(history[i].version, i + 1);
}

TEST_P(ConfigStoreContractTest, KeepsPrefilterBytes) {
  ZoneRecord record = Record("a.com", "h1");
  record.prefilters = std::string("\0\x01serialised\xff", 13);
  ASSERT_TRUE(store_->Append(record, std::nullopt).ok());
  EXPECT_EQ(store_->Latest("a.com")->prefilters, record.prefilters);
  ASSERT_TRUE(store_->Append(Record("a.com", "h2"), std::nullopt).ok());
  EXPECT_EQ(store_->Latest("a.com")->prefilters, "");
  EXPECT_EQ(store_->Version("a.com", 1)->prefilters, record.prefilters);
}

TEST_P(ConfigStoreContractTest, KeepsCompiledManagedRulesetsByDigest) {
  EXPECT_FALSE(store_->CompiledManagedRuleset("d1").has_value());
  const std::string bytes("\0compiled\xff", 10);
  ASSERT_TRUE(store_->StoreCompiledManagedRuleset("owasp-crs", "d1", bytes).ok());
  EXPECT_EQ(store_->CompiledManagedRuleset("d1"), bytes);
  // Another digest of the same ruleset replaces it.
  ASSERT_TRUE(store_->StoreCompiledManagedRuleset("owasp-crs", "d2", "two").ok());
  EXPECT_FALSE(store_->CompiledManagedRuleset("d1").has_value());
  EXPECT_EQ(store_->CompiledManagedRuleset("d2"), "two");
}

StoredCertificate Certificate(const std::string& zone, const std::string& fingerprint) {
  StoredCertificate certificate;
  certificate.zone = zone;
  certificate.fingerprint = fingerprint;
  certificate.chain_pem = "-----BEGIN CERTIFICATE-----\n" + fingerprint;
  certificate.sealed_key = std::string("\x01sealed\0bytes", 13);
  certificate.names = {"a.com", "*.a.com"};
  certificate.not_before_unix = 1700000000;
  certificate.not_after_unix = 1800000000;
  certificate.created_unix_ms = 1700000000123;
  certificate.author = "tok1";
  return certificate;
}

void ExpectSameCertificate(const StoredCertificate& got, const StoredCertificate& want) {
  EXPECT_EQ(got.zone, want.zone);
  EXPECT_EQ(got.fingerprint, want.fingerprint);
  EXPECT_EQ(got.chain_pem, want.chain_pem);
  EXPECT_EQ(got.sealed_key, want.sealed_key);
  EXPECT_EQ(got.names, want.names);
  EXPECT_EQ(got.not_before_unix, want.not_before_unix);
  EXPECT_EQ(got.not_after_unix, want.not_after_unix);
  EXPECT_EQ(got.created_unix_ms, want.created_unix_ms);
  EXPECT_EQ(got.author, want.author);
}

TEST_P(ConfigStoreContractTest, ACertificateChangeIsANewVersionOfItsZone) {
  ASSERT_TRUE(store_->Append(Record("a.com", "h1"), std::nullopt).ok());
  EXPECT_TRUE(store_->Certificates("a.com").empty());
  auto two = store_->AppendWithCertificates(Record("a.com", "h1"), std::nullopt,
                                            {Certificate("a.com", "ff"),
                                             Certificate("a.com", "0a")});
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->version, 2u);
  auto stored = store_->Certificates("a.com");
  ASSERT_EQ(stored.size(), 2u);
  ExpectSameCertificate(stored[0], Certificate("a.com", "0a"));
  ExpectSameCertificate(stored[1], Certificate("a.com", "ff"));
  EXPECT_TRUE(store_->Certificates("b.com").empty());
  {
    // What a control plane loads at start carries them too.
    auto state = store_->LatestState();
    ASSERT_TRUE(state.ok()) << state.status();
    ASSERT_EQ(state->certificates.size(), 1u);
    ASSERT_EQ(state->certificates["a.com"].size(), 2u);
    ExpectSameCertificate(state->certificates["a.com"][1], Certificate("a.com", "ff"));
  }
  // Other appends keep them; a stale expected version changes neither.
  ASSERT_TRUE(store_->Append(Record("a.com", "h2"), std::nullopt).ok());
  EXPECT_EQ(store_->Certificates("a.com").size(), 2u);
  EXPECT_EQ(store_->AppendWithCertificates(Record("a.com", "h2"), 1, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->Certificates("a.com").size(), 2u);
  EXPECT_EQ(store_->Latest("a.com")->version, 3u);
  ASSERT_TRUE(
      store_->AppendWithCertificates(Record("a.com", "h2"), 3, {Certificate("a.com", "0a")}).ok());
  ASSERT_EQ(store_->Certificates("a.com").size(), 1u);
  ASSERT_TRUE(store_->AppendWithCertificates(Record("a.com", "h2"), std::nullopt, {}).ok());
  EXPECT_TRUE(store_->Certificates("a.com").empty());
}

ListRecord List(const std::string& name, std::vector<std::string> items) {
  ListRecord record;
  record.name = name;
  record.kind = "bytes";
  record.zones = {"a.com", "b.com"};
  record.items = std::move(items);
  record.content_hash = "hash-" + std::to_string(record.items.size());
  record.author = "test";
  return record;
}

TEST_P(ConfigStoreContractTest, ListsAreVersionedInTheZonesChangeLog) {
  auto zone = store_->Append(Record("a.com", "h1"), std::nullopt);
  // Items are bytes: a newline or a NUL inside one survives.
  auto one =
      store_->AppendList(List("bad_hosts", {"x.example", std::string("a\n\0b", 4)}), std::nullopt);
  auto other = store_->AppendList(List("other", {}), std::nullopt);
  auto two = store_->AppendList(List("bad_hosts", {"y.example"}), 1);
  ASSERT_TRUE(zone.ok() && one.ok() && other.ok() && two.ok()) << two.status();
  EXPECT_EQ(one->version, 1u);
  EXPECT_EQ(two->version, 2u);
  EXPECT_EQ(other->version, 1u);
  EXPECT_LT(zone->sequence, one->sequence);
  EXPECT_LT(one->sequence, other->sequence);
  EXPECT_LT(other->sequence, two->sequence);
  EXPECT_EQ(store_->LastSequence(), two->sequence);
  // A zone version after a list version takes the next sequence of the one log.
  auto zone_again = store_->Append(Record("a.com", "h2"), std::nullopt);
  ASSERT_TRUE(zone_again.ok());
  EXPECT_GT(zone_again->sequence, two->sequence);

  auto latest = store_->LatestList("bad_hosts");
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->version, 2u);
  EXPECT_EQ(latest->items, std::vector<std::string>{"y.example"});
  EXPECT_EQ(latest->kind, "bytes");
  EXPECT_EQ(latest->zones, (std::vector<std::string>{"a.com", "b.com"}));
  EXPECT_EQ(latest->content_hash, "hash-1");
  EXPECT_EQ(latest->author, "test");
  EXPECT_GT(latest->created_unix_ms, 0);
  EXPECT_EQ(latest->sequence, two->sequence);
  auto first = store_->LatestList("other");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->items.empty());
  auto kept =
      store_->AppendList(List("keep", {"x.example", std::string("a\n\0b", 4)}), std::nullopt);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(store_->LatestList("keep")->items[1], std::string("a\n\0b", 4));

  const auto state = store_->LatestState();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->lists.size(), 3u);
  EXPECT_EQ(state->lists[0].name, "bad_hosts");
  EXPECT_EQ(state->last_sequence, kept->sequence);
}

TEST_P(ConfigStoreContractTest, ListExpectedVersionAndTombstones) {
  EXPECT_EQ(store_->LatestList("none").status().code(), absl::StatusCode::kNotFound);
  // Expecting version 0 means "does not exist yet": a create that cannot overwrite.
  ASSERT_TRUE(store_->AppendList(List("l", {"a"}), 0).ok());
  auto again = store_->AppendList(List("l", {"b"}), 0);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->LatestList("l")->items, std::vector<std::string>{"a"});
  ListRecord tombstone = List("l", {});
  tombstone.deleted = true;
  ASSERT_TRUE(store_->AppendList(tombstone, 1).ok());
  EXPECT_TRUE(store_->LatestOfAllLists().empty());
  EXPECT_TRUE(store_->LatestList("l")->deleted);
  EXPECT_EQ(store_->LatestList("l")->version, 2u);
}

TEST_P(ConfigStoreContractTest, ListHistorySaysWhatEachVersionChanged) {
  EXPECT_TRUE(store_->ListHistory("l").empty());
  auto one = store_->AppendList(List("l", {"a", "b"}), 0);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(store_->AppendList(List("l", {"b", "c", "d"}), 1).ok());
  ListRecord scoped = List("l", {"b", "c", "d"});
  scoped.zones = {"a.com"};
  ASSERT_TRUE(store_->AppendList(scoped, 2).ok());
  ListRecord tombstone = List("l", {});
  tombstone.deleted = true;
  ASSERT_TRUE(store_->AppendList(tombstone, 3).ok());
  auto again = store_->AppendList(List("l", {"z"}), 4);
  ASSERT_TRUE(again.ok());

  const auto history = store_->ListHistory("l");
  ASSERT_EQ(history.size(), 5u);
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].record.version, i + 1);
    EXPECT_TRUE(history[i].record.items.empty());
    EXPECT_EQ(history[i].record.author, "test");
  }
  EXPECT_EQ(history[0].record.sequence, one->sequence);
  EXPECT_EQ(history[0].item_count, 2u);
  EXPECT_EQ(history[0].items_added, 2u);
  EXPECT_EQ(history[1].items_added, 2u);    // c, d
  EXPECT_EQ(history[1].items_removed, 1u);  // a
  EXPECT_EQ(history[2].items_added + history[2].items_removed, 0u);
  EXPECT_EQ(history[2].record.zones, std::vector<std::string>{"a.com"});
  EXPECT_TRUE(history[3].record.deleted);
  EXPECT_EQ(history[3].items_removed, 3u);
  EXPECT_EQ(history[4].items_added, 1u);  // after a deletion, every item is new
  EXPECT_EQ(history[4].record.sequence, again->sequence);
}

ZoneRecord Naming(const std::string& zone, std::vector<std::string> lists) {
  ZoneRecord record = Record(zone, "h-" + std::to_string(lists.size()));
  record.account_lists = std::move(lists);
  return record;
}

TEST_P(ConfigStoreContractTest, AZoneNamesOnlyLiveListsScopedToIt) {
  // No such list: refused, naming it.
  auto missing = store_->Append(Naming("a.com", {"l"}), std::nullopt);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find("$l"), std::string::npos) << missing.status();
  EXPECT_EQ(store_->Latest("a.com").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->AppendList(List("l", {"x"}), 0).ok());  // scope a.com, b.com
  EXPECT_EQ(store_->Append(Naming("c.com", {"l"}), std::nullopt).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Append(Naming("a.com", {"l"}), std::nullopt).ok());
  ASSERT_TRUE(store_->Append(Naming("b.com", {"l"}), std::nullopt).ok());

  // Not deleted, nor narrowed, under the zones naming it; the refusal names them.
  ListRecord tombstone = List("l", {});
  tombstone.deleted = true;
  auto deleted = store_->AppendList(tombstone, std::nullopt);
  EXPECT_EQ(deleted.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ListInUseZones(deleted.status()), (std::vector<std::string>{"a.com", "b.com"}));
  ListRecord narrower = List("l", {"x"});
  narrower.zones = {"a.com"};
  auto narrowed = store_->AppendList(narrower, std::nullopt);
  EXPECT_EQ(ListInUseZones(narrowed.status()), std::vector<std::string>{"b.com"});
  EXPECT_EQ(store_->LatestList("l")->version, 1u);
  // An edit that keeps the scope is no deletion.
  ASSERT_TRUE(store_->AppendList(List("l", {"y"}), 1).ok());

  // Once b.com no longer names it (a version without it) the scope narrows; once a.com is
  // deleted, the list goes.
  ASSERT_TRUE(store_->Append(Naming("b.com", {}), std::nullopt).ok());
  ASSERT_TRUE(store_->AppendList(narrower, 2).ok());
  ZoneRecord gone = Record("a.com", "");
  gone.deleted = true;
  ASSERT_TRUE(store_->Append(gone, std::nullopt).ok());
  EXPECT_TRUE(store_->AppendList(tombstone, 3).ok());
  EXPECT_EQ(store_->Append(Naming("a.com", {"l"}), std::nullopt).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // A certificate change (no account_lists) leaves the uses as they are.
  ASSERT_TRUE(store_->AppendList(List("m", {}), 0).ok());
  ASSERT_TRUE(store_->Append(Naming("b.com", {"m"}), std::nullopt).ok());
  ASSERT_TRUE(store_->AppendWithCertificates(Record("b.com", "h"), std::nullopt, {}).ok());
  ListRecord m_gone = List("m", {});
  m_gone.deleted = true;
  EXPECT_EQ(ListInUseZones(store_->AppendList(m_gone, std::nullopt).status()),
            std::vector<std::string>{"b.com"});
}

// The race a list deletion runs with a push naming the list: two callers at once, many rounds;
// at most one of them may succeed, or a zone would name a list that is gone.
TEST_P(ConfigStoreContractTest, ADeletionAndAVersionNamingTheListNeverBothSucceed) {
  constexpr int kRounds = 60;
  int deletions = 0, pushes = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string name = "race" + std::to_string(round);
    ASSERT_TRUE(store_->AppendList(List(name, {"x"}), 0).ok());
    std::atomic<int> ready{0};
    absl::StatusOr<ListRecord> deleted = absl::UnknownError("not run");
    absl::StatusOr<ZoneRecord> pushed = absl::UnknownError("not run");
    std::thread deleter([&] {
      ListRecord tombstone = List(name, {});
      tombstone.deleted = true;
      ++ready;
      while (ready < 2) {
      }
      deleted = store_->AppendList(tombstone, std::nullopt);
    });
    std::thread pusher([&] {
      ++ready;
      while (ready < 2) {
      }
      pushed = store_->Append(Naming("a.com", {name}), std::nullopt);
    });
    deleter.join();
    pusher.join();
    ASSERT_FALSE(deleted.ok() && pushed.ok()) << "round " << round << ": both succeeded";
    ASSERT_TRUE(deleted.ok() || pushed.ok()) << deleted.status() << " / " << pushed.status();
    deletions += deleted.ok() ? 1 : 0;
    pushes += pushed.ok() ? 1 : 0;
    // The next round starts with a.com naming nothing.
    ASSERT_TRUE(store_->Append(Naming("a.com", {}), std::nullopt).ok());
  }
  std::printf("deletions won %d rounds, pushes %d\n", deletions, pushes);
}

INSTANTIATE_TEST_SUITE_P(
    Stores, ConfigStoreContractTest,
    ::testing::Values(StoreFactory([] { return std::make_unique<MemoryConfigStore>(); }),
                      StoreFactory([]() -> std::unique_ptr<ConfigStore> {
                        return *SqliteConfigStore::Open(FreshDir());
                      }),
                      StoreFactory([]() -> std::unique_ptr<ConfigStore> {
                        return OpenEtcdStore(EtcdEnvironment::FreshPrefix());
                      })));

// Two replicas on one prefix: one lineage, and appends through both to one zone linearizable.
TEST(EtcdConfigStoreTest, ReplicasShareOneLinearizableHistory) {
  const std::string prefix = EtcdEnvironment::FreshPrefix();
  auto a = OpenEtcdStore(prefix);
  auto b = OpenEtcdStore(prefix);
  ASSERT_TRUE(a != nullptr && b != nullptr);
  EXPECT_EQ(a->Lineage(), b->Lineage());
  EXPECT_NE(a->Lineage(), OpenEtcdStore(EtcdEnvironment::FreshPrefix())->Lineage());
  std::vector<std::thread> threads;
  for (ConfigStore* store : {static_cast<ConfigStore*>(a.get()), static_cast<ConfigStore*>(b.get())}) {
    threads.emplace_back([store] {
      for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(store->Append(Record("a.com", std::to_string(i)), std::nullopt).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto history = b->History("a.com");
  ASSERT_EQ(history.size(), 40u);
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].version, i + 1);
    if (i > 0) {
      EXPECT_GT(history[i].sequence, history[i - 1].sequence);
    }
  }
  // A put based on version 40 succeeds through one replica only.
  EXPECT_TRUE(a->Append(Record("a.com", "x"), 40).ok());
  EXPECT_EQ(b->Append(Record("a.com", "y"), 40).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const auto state = b->LatestState();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->zones.size(), 1u);
  EXPECT_EQ(state->zones[0].version, 41u);
  EXPECT_EQ(state->last_sequence, state->zones[0].sequence);
}

TEST(EtcdConfigStoreTest, CertificatesAtTheRevisionOfAVersion) {
  auto store = OpenEtcdStore(EtcdEnvironment::FreshPrefix());
  ASSERT_TRUE(store != nullptr);
  auto one = store->AppendWithCertificates(Record("a.com", "h1"), std::nullopt,
                                           {Certificate("a.com", "0a")});
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_TRUE(store->AppendWithCertificates(Record("a.com", "h1"), std::nullopt, {}).ok());
  EXPECT_TRUE(store->Certificates("a.com").empty());
  auto then = store->CertificatesAt("a.com", static_cast<int64_t>(one->sequence));
  ASSERT_TRUE(then.ok());
  ASSERT_EQ(then->size(), 1u);
  ExpectSameCertificate((*then)[0], Certificate("a.com", "0a"));
}

TEST(EtcdConfigStoreTest, WithoutEtcdAppendsAreUnavailable) {
  etcd::ClientOptions options;
  options.endpoints = {"127.0.0.1:1"};
  options.request_timeout = std::chrono::milliseconds(300);
  auto client = etcd::Client::Connect(options);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(EtcdConfigStore::Open(**client, "/x/").status().code(),
            absl::StatusCode::kUnavailable);
}

// Token stores: the same contract for SQLite and etcd.
using TokenStoreFactory = std::function<std::unique_ptr<TokenStore>()>;

class TokenStoreContractTest : public ::testing::TestWithParam<TokenStoreFactory> {
 protected:
  std::unique_ptr<TokenStore> store_ = GetParam()();
};

TokenRecord Token(const std::string& id, const std::string& hash) {
  TokenRecord record;
  record.id = id;
  record.token_hash = hash;
  record.permission = v1::PERMISSION_EDIT;
  record.zones = {"a.com", "b.com"};
  record.description = "ci";
  record.created_unix_ms = 1700000000123;
  return record;
}

TEST_P(TokenStoreContractTest, CreateFindListRevoke) {
  ASSERT_TRUE(store_->Create(Token("t1", "h1")).ok());
  ASSERT_TRUE(store_->Create(Token("t2", "h2")).ok());
  EXPECT_EQ(store_->Create(Token("t1", "h3")).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->Create(Token("t3", "h1")).code(), absl::StatusCode::kAlreadyExists);
  auto found = store_->FindByHash("h2");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->id, "t2");
  EXPECT_EQ(found->permission, v1::PERMISSION_EDIT);
  EXPECT_EQ(found->zones, (std::vector<std::string>{"a.com", "b.com"}));
  EXPECT_EQ(found->description, "ci");
  EXPECT_EQ(found->created_unix_ms, 1700000000123);
  EXPECT_FALSE(found->revoked);
  EXPECT_EQ(store_->FindByHash("h9").status().code(), absl::StatusCode::kNotFound);
  ASSERT_EQ(store_->List().size(), 2u);
  EXPECT_EQ(store_->List()[0].id, "t1");
  const uint64_t before = store_->revocation_count();
  ASSERT_TRUE(store_->Revoke("t1").ok());
  EXPECT_GT(store_->revocation_count(), before);
  EXPECT_TRUE(store_->FindByHash("h1")->revoked);
  EXPECT_TRUE(store_->List()[0].revoked);
  EXPECT_EQ(store_->Revoke("t9").code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(
    Stores, TokenStoreContractTest,
    ::testing::Values(TokenStoreFactory([]() -> std::unique_ptr<TokenStore> {
                        return *SqliteTokenStore::Open(":memory:");
                      }),
                      TokenStoreFactory([]() -> std::unique_ptr<TokenStore> {
                        return *EtcdTokenStore::Open(EtcdEnvironment::Client(),
                                                     EtcdEnvironment::FreshPrefix());
                      })));

// A revocation through one replica reaches the other's streams.
TEST(EtcdTokenStoreTest, RevocationsThroughAnotherReplicaAreFollowed) {
  const std::string prefix = EtcdEnvironment::FreshPrefix();
  auto a = *EtcdTokenStore::Open(EtcdEnvironment::Client(), prefix);
  auto b = *EtcdTokenStore::Open(EtcdEnvironment::Client(), prefix);
  std::atomic<int> told{0};
  b->FollowRevocations([&] { ++told; });
  ASSERT_TRUE(a->Create(Token("t1", "h1")).ok());
  ASSERT_TRUE(a->Revoke("t1").ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (told == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(told, 1);
  EXPECT_EQ(b->revocation_count(), 1u);
  EXPECT_TRUE(b->FindByHash("h1")->revoked);
}

TEST(SqliteConfigStoreTest, ReopenKeepsEveryVersion) {
  const std::string dir = FreshDir();
  {
    auto store = SqliteConfigStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Append(Record("a.com", "h1"), std::nullopt).ok());
    ASSERT_TRUE((*store)->Append(Record("a.com", "h2"), std::nullopt).ok());
  }
  auto reopened = SqliteConfigStore::Open(dir);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->Latest("a.com")->version, 2u);
  EXPECT_EQ((*reopened)->Latest("a.com")->config_hash, "h2");
  EXPECT_EQ((*reopened)->LastSequence(), 2u);
}

TEST(SqliteConfigStoreTest, ReopenKeepsCertificates) {
  const std::string dir = FreshDir();
  {
    auto store = SqliteConfigStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->AppendWithCertificates(Record("a.com", "h1"), std::nullopt,
                                             {Certificate("a.com", "0a")})
                    .ok());
  }
  auto reopened = SqliteConfigStore::Open(dir);
  ASSERT_TRUE(reopened.ok());
  const auto stored = (*reopened)->Certificates("a.com");
  ASSERT_EQ(stored.size(), 1u);
  ExpectSameCertificate(stored[0], Certificate("a.com", "0a"));
}

TEST(SqliteConfigStoreTest, ReopenKeepsTheCompiledManagedRuleset) {
  const std::string dir = FreshDir();
  {
    auto store = SqliteConfigStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->StoreCompiledManagedRuleset("owasp-crs", "d1", "program").ok());
  }
  auto reopened = SqliteConfigStore::Open(dir);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->CompiledManagedRuleset("d1"), "program");
}

// A store from before the zone_list_uses table: opening it fills the table from the live zones'
// stored programs (in one transaction with its creation), so a list they name is not deleted
// under them.
TEST(SqliteConfigStoreTest, OpeningAStoreMadeBeforeTheListUsesFindsThem) {
  const std::string dir = FreshDir();
  {
    auto store = SqliteConfigStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->AppendList(List("l", {"x"}), 0).ok());
    ZoneRecord zone = Naming("a.com", {"l"});
    snapshot::v1::CompiledZone compiled;
    compiled.mutable_program()->add_account_lists("l");
    zone.prefilters = compiled.SerializeAsString();
    ASSERT_TRUE((*store)->Append(zone, std::nullopt).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/gatehouse.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE zone_list_uses;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto reopened = SqliteConfigStore::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ListRecord tombstone = List("l", {});
  tombstone.deleted = true;
  auto deleted = (*reopened)->AppendList(tombstone, std::nullopt);
  EXPECT_EQ(deleted.status().code(), absl::StatusCode::kFailedPrecondition) << deleted.status();
}

TEST(SqliteConfigStoreTest, OpensAStoreMadeBeforeThePrefiltersColumn) {
  const std::string dir = FreshDir();
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/gatehouse.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE zone_versions (sequence INTEGER PRIMARY KEY, zone TEXT NOT "
                         "NULL, version INTEGER NOT NULL, config_hash TEXT NOT NULL, config_json "
                         "TEXT NOT NULL, author TEXT NOT NULL, created_unix_ms INTEGER NOT NULL, "
                         "deleted INTEGER NOT NULL, UNIQUE (zone, version));"
                         "INSERT INTO zone_versions (zone, version, config_hash, config_json, "
                         "author, created_unix_ms, deleted) VALUES ('a.com', 1, 'h1', '{}', 'x', "
                         "1, 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = SqliteConfigStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->Latest("a.com")->prefilters, "");
  ZoneRecord record = Record("a.com", "h2");
  record.prefilters = "dbs";
  ASSERT_TRUE((*store)->Append(record, std::nullopt).ok());
  EXPECT_EQ((*store)->Latest("a.com")->prefilters, "dbs");
}

TEST(SqliteConfigStoreTest, UnwritableDirectoryIsAClearError) {
  const auto store = SqliteConfigStore::Open("/proc/no-such-dir/x");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("cannot create"), absl::string_view::npos);
}

}  // namespace
}  // namespace gatehouse::api

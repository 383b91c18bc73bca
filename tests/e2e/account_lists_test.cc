// Account-level lists against the real binaries (issue 19): a control plane, a proxy and an
// origin on loopback ports chosen at run time. Two zones share one list; changing the list
// changes what both serve within seconds, with neither zone pushed again. Tenants never reach
// each other's lists, and a list still named by a zone is not deleted.
#include <chrono>
#include <thread>

#include "absl/strings/str_replace.h"
#include "etcd/test_etcd_cluster.h"
#include "gtest/gtest.h"
#include "tests/support/control_plane.h"
#include "tests/support/http_client.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;

constexpr char kAdmin[] = "lists-test-admin";

// Zone `zone` (host `zone`) proxying to `origin_port`, blocking with 403 "blocked" the
// addresses in `list_reference` (e.g. "$blocked").
std::string BlockingZoneJson(const std::string& zone, uint16_t origin_port,
                             const std::string& expression, const std::string& own_lists = "") {
  return absl::StrReplaceAll(R"json({
  "zone": "ZONE",
  "hostnames": ["ZONE"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  OWN
  "rulesets": [
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "deny", "expression": "EXPRESSION", "action": "block",
       "action_parameters": {"response": {"status_code": 403, "content_type": "text/plain",
                                          "content": "blocked"}}}]}
  ]
})json",
                             {{"ZONE", zone},
                              {"PORT", std::to_string(origin_port)},
                              {"EXPRESSION", expression},
                              {"OWN", own_lists.empty() ? "" : "\"lists\": " + own_lists + ","}});
}

class AccountListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(control_.Start({kAdmin, store_flags_}).ok());
    config_ = control_.ConfigStub();
    lists_ = control_.ListStub();
    edit_a_ = Token({"--permission=edit", "--zone=alpha.test", "--zone=beta.test"});
    edit_b_ = Token({"--permission=edit", "--zone=evil.test"});
    node_ = Token({"--permission=watch"});
  }

  std::string Token(std::vector<std::string> args) {
    args.insert(args.begin(), {"tokens", "create"});
    const auto created = control_.Gatectl(args, kAdmin);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return created.out.substr(0, created.out.find('\n'));
  }

  grpc::Status Put(const std::string& token, const std::string& json) {
    v1::PutZoneConfigRequest request;
    request.set_config_json(json);
    v1::PutZoneConfigResponse response;
    return config_->PutZoneConfig(ControlPlane::Context(token).get(), request, &response);
  }

  grpc::Status Create(const std::string& token, const std::string& name, const std::string& kind,
                      const std::vector<std::string>& items,
                      const std::vector<std::string>& zones = {}) {
    v1::CreateListRequest request;
    request.set_name(name);
    request.set_kind(kind);
    for (const auto& item : items) request.add_items(item);
    for (const auto& zone : zones) request.add_zones(zone);
    v1::ListChangeResponse response;
    return lists_->CreateList(ControlPlane::Context(token).get(), request, &response);
  }

  grpc::Status Edit(const std::string& token, const std::string& name,
                    const std::vector<std::string>& add, const std::vector<std::string>& remove) {
    v1::EditListItemsRequest request;
    request.set_name(name);
    for (const auto& item : add) request.add_add(item);
    for (const auto& item : remove) request.add_remove(item);
    v1::ListChangeResponse response;
    return lists_->EditListItems(ControlPlane::Context(token).get(), request, &response);
  }

  grpc::Status Replace(const std::string& token, const std::string& name,
                       const std::vector<std::string>& items) {
    v1::ReplaceListItemsRequest request;
    request.set_name(name);
    for (const auto& item : items) request.add_items(item);
    v1::ListChangeResponse response;
    return lists_->ReplaceListItems(ControlPlane::Context(token).get(), request, &response);
  }

  grpc::Status Delete(const std::string& token, const std::string& name) {
    v1::DeleteListRequest request;
    request.set_name(name);
    v1::ListChangeResponse response;
    return lists_->DeleteList(ControlPlane::Context(token).get(), request, &response);
  }

  grpc::Status Get(const std::string& token, const std::string& name,
                   v1::GetListResponse* response) {
    v1::GetListRequest request;
    request.set_name(name);
    return lists_->GetList(ControlPlane::Context(token).get(), request, response);
  }

  grpc::Status Scope(const std::string& token, const std::string& name,
                     const std::vector<std::string>& zones) {
    v1::SetListScopeRequest request;
    request.set_name(name);
    for (const auto& zone : zones) request.add_zones(zone);
    v1::ListChangeResponse response;
    return lists_->SetListScope(ControlPlane::Context(token).get(), request, &response);
  }

  grpc::Status History(const std::string& token, const std::string& name,
                       v1::ListListVersionsResponse* response) {
    v1::ListListVersionsRequest request;
    request.set_name(name);
    return lists_->ListListVersions(ControlPlane::Context(token).get(), request, response);
  }

  // What the proxy answers for GET / on `host`: "blocked", "origin", or the error.
  static std::string Answer(uint16_t port, const std::string& host) {
    auto result = HttpGet(port, host, "/");
    if (!result.ok()) return std::string(result.status().message());
    return result->body;
  }

  // Polls until `host` answers `want`, up to `timeout`; returns the last answer.
  static std::string WaitForAnswer(uint16_t port, const std::string& host, const std::string& want,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string last;
    while (true) {
      last = Answer(port, host);
      if (last == want || std::chrono::steady_clock::now() > deadline) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  uint64_t ZoneVersions(const std::string& zone) {
    v1::ListZoneVersionsRequest request;
    request.set_zone(zone);
    v1::ListZoneVersionsResponse response;
    EXPECT_TRUE(
        config_->ListZoneVersions(ControlPlane::Context(kAdmin).get(), request, &response).ok());
    return static_cast<uint64_t>(response.versions_size());
  }

  ScriptedOrigin origin_{[](const ScriptedOrigin::Request&) {
    return ScriptedOrigin::Reply{
        "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\norigin"};
  }};
  // The control plane's store: its own SQLite store unless a test sets these before SetUp.
  std::vector<std::string> store_flags_;
  ControlPlane control_;
  std::unique_ptr<v1::ConfigService::Stub> config_;
  std::unique_ptr<v1::ListService::Stub> lists_;
  std::string edit_a_, edit_b_, node_;
};

TEST_F(AccountListsTest, AListChangeReachesEveryZoneNamingItWithoutAPush) {
  // Tenant A's list; its scope defaults to the token's zones.
  ASSERT_TRUE(Create(edit_a_, "blocked", "ip", {"192.0.2.1", "198.51.100.0/24"}).ok());
  for (const char* zone : {"alpha.test", "beta.test"}) {
    const grpc::Status put =
        Put(edit_a_, BlockingZoneJson(zone, origin_.port(), "ip.src in $blocked"));
    ASSERT_TRUE(put.ok()) << put.error_message();
  }
  ProxyProcess proxy;
  ASSERT_TRUE(proxy.Start(control_.address(), "edge-1", node_).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "origin"), "origin");
  EXPECT_EQ(WaitForAnswer(proxy.port(), "beta.test", "origin"), "origin");

  // The test's own address joins the list: both zones block it, neither pushed again.
  const auto changed = std::chrono::steady_clock::now();
  ASSERT_TRUE(Edit(edit_a_, "blocked", {"127.0.0.1"}, {}).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "blocked"), "blocked");
  EXPECT_EQ(WaitForAnswer(proxy.port(), "beta.test", "blocked"), "blocked");
  const auto took = std::chrono::steady_clock::now() - changed;
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_EQ(ZoneVersions("alpha.test"), 1u);
  EXPECT_EQ(ZoneVersions("beta.test"), 1u);

  // Replacing the items takes it out again, as a CIDR that covers it puts it back.
  ASSERT_TRUE(Replace(edit_a_, "blocked", {"192.0.2.1"}).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "origin"), "origin");
  EXPECT_EQ(WaitForAnswer(proxy.port(), "beta.test", "origin"), "origin");
  ASSERT_TRUE(Edit(edit_a_, "blocked", {"127.0.0.0/8"}, {"192.0.2.1"}).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "blocked"), "blocked");
  v1::GetListResponse got;
  ASSERT_TRUE(Get(edit_a_, "blocked", &got).ok());
  EXPECT_EQ(got.list().version(), 4u);
  ASSERT_EQ(got.items_size(), 1);
  EXPECT_EQ(got.items(0), "127.0.0.0/8");

  // A proxy started now gets the list with the full snapshot (its first link includes the
  // managed rulesets: seconds under a sanitizer).
  ProxyProcess late;
  ASSERT_TRUE(late.Start(control_.address(), "edge-2", node_).ok());
  EXPECT_EQ(WaitForAnswer(late.port(), "beta.test", "blocked", std::chrono::seconds(30)),
            "blocked");

  // A restarted control plane publishes the list it stored.
  ASSERT_TRUE(control_.Restart().ok());
  // A new channel (the port may be new), and UNAVAILABLE retried for a moment: gRPC can hand
  // the first call the connection that went with the old process ("Socket closed"). Removing
  // an item twice is harmless.
  lists_ = control_.ListStub();
  grpc::Status edited;
  for (int attempt = 0; attempt < 30; ++attempt) {
    edited = Edit(edit_a_, "blocked", {}, {"127.0.0.0/8"});
    if (edited.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(edited.ok()) << edited.error_code() << " " << edited.error_message();
  // The proxy reconnects on its own backoff, which grew while the control plane was down (and
  // linked the managed rulesets: seconds under a sanitizer).
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "origin", std::chrono::seconds(30)),
            "origin");
}

TEST_F(AccountListsTest, ATenantNeverReachesAnotherTenantsList) {
  ASSERT_TRUE(Create(edit_a_, "blocked", "ip", {"192.0.2.1"}).ok());
  // Reading, changing, deleting: refused alike for A's list and for a list that does not exist.
  v1::GetListResponse got;
  const grpc::Status read_real = Get(edit_b_, "blocked", &got);
  const grpc::Status read_none = Get(edit_b_, "nothing", &got);
  EXPECT_EQ(read_real.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(read_none.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(absl::StrReplaceAll(read_real.error_message(), {{"blocked", "X"}}),
            absl::StrReplaceAll(read_none.error_message(), {{"nothing", "X"}}));
  for (const grpc::Status& status :
       {Edit(edit_b_, "blocked", {"127.0.0.1"}, {}), Replace(edit_b_, "blocked", {}),
        Delete(edit_b_, "blocked"), Edit(edit_b_, "nothing", {"127.0.0.1"}, {})}) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  }
  ASSERT_TRUE(Get(kAdmin, "blocked", &got).ok());
  EXPECT_EQ(got.items_size(), 1);  // nothing changed
  v1::ListListsResponse listed;
  ASSERT_TRUE(lists_->ListLists(ControlPlane::Context(edit_b_).get(), {}, &listed).ok());
  EXPECT_EQ(listed.lists_size(), 0);
  ASSERT_TRUE(lists_->ListLists(ControlPlane::Context(edit_a_).get(), {}, &listed).ok());
  EXPECT_EQ(listed.lists_size(), 1);

  // Referencing it from B's zone reads as an unknown list, with the usual caret diagnostic.
  const grpc::Status named =
      Put(edit_b_, BlockingZoneJson("evil.test", origin_.port(), "ip.src in $blocked"));
  const grpc::Status unknown =
      Put(edit_b_, BlockingZoneJson("evil.test", origin_.port(), "ip.src in $nothing"));
  EXPECT_EQ(named.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(named.error_message().find("unknown list $blocked"), std::string::npos)
      << named.error_message();
  EXPECT_NE(named.error_message().find("^"), std::string::npos) << named.error_message();
  EXPECT_EQ(absl::StrReplaceAll(named.error_message(), {{"blocked", "X"}}),
            absl::StrReplaceAll(unknown.error_message(), {{"nothing", "X"}}));

  // B cannot give a list to A's zones, nor take A's name.
  EXPECT_EQ(Create(edit_b_, "mine", "ip", {}, {"alpha.test"}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create(edit_b_, "blocked", "ip", {}).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // B's own list works for B's zone.
  ASSERT_TRUE(Create(edit_b_, "mine", "ip", {"192.0.2.9"}).ok());
  EXPECT_TRUE(Put(edit_b_, BlockingZoneJson("evil.test", origin_.port(), "ip.src in $mine")).ok());
  // The admin must say which zones may use a list, and sees every list.
  EXPECT_EQ(Create(kAdmin, "shared", "ip", {}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(lists_->ListLists(ControlPlane::Context(kAdmin).get(), {}, &listed).ok());
  EXPECT_EQ(listed.lists_size(), 2);
  EXPECT_EQ(Get(kAdmin, "nothing", &got).error_code(), grpc::StatusCode::NOT_FOUND);

  // Once A deletes its list, B may take the name; B's history starts with B's list, not A's.
  ASSERT_TRUE(Delete(edit_a_, "blocked").ok());
  ASSERT_TRUE(Create(edit_b_, "blocked", "ip", {"192.0.2.7"}).ok());
  v1::ListListVersionsResponse history;
  ASSERT_TRUE(History(edit_b_, "blocked", &history).ok());
  ASSERT_EQ(history.versions_size(), 1);
  EXPECT_EQ(history.versions(0).version(), 3u);  // after A's 1 and its deletion, 2
  ASSERT_TRUE(History(kAdmin, "blocked", &history).ok());
  EXPECT_EQ(history.versions_size(), 3);  // the admin sees every version
}

TEST_F(AccountListsTest, AListNamedByAZoneIsNotDeleted) {
  ASSERT_TRUE(Create(edit_a_, "blocked", "ip", {"192.0.2.1"}).ok());
  ASSERT_TRUE(
      Put(edit_a_, BlockingZoneJson("alpha.test", origin_.port(), "ip.src in $blocked")).ok());
  ASSERT_TRUE(
      Put(edit_a_, BlockingZoneJson("beta.test", origin_.port(), "ip.src in $blocked")).ok());
  const grpc::Status refused = Delete(edit_a_, "blocked");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("alpha.test, beta.test"), std::string::npos)
      << refused.error_message();
  // Once no zone names it, it goes.
  for (const char* zone : {"alpha.test", "beta.test"}) {
    ASSERT_TRUE(Put(edit_a_, BlockingZoneJson(zone, origin_.port(), "ip.src eq 192.0.2.1")).ok());
  }
  EXPECT_TRUE(Delete(edit_a_, "blocked").ok());
  v1::GetListResponse got;
  EXPECT_EQ(Get(edit_a_, "blocked", &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // The name is free again.
  EXPECT_TRUE(Create(edit_a_, "blocked", "ip", {"192.0.2.2"}).ok());
}

TEST_F(AccountListsTest, PushesAndItemsAreChecked) {
  // A bad item is named with its index; nothing is stored.
  const grpc::Status bad = Create(edit_a_, "blocked", "ip", {"192.0.2.1", "not-an-ip"});
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("item 1 \"not-an-ip\""), std::string::npos)
      << bad.error_message();
  v1::GetListResponse got;
  EXPECT_EQ(Get(kAdmin, "blocked", &got).error_code(), grpc::StatusCode::NOT_FOUND);

  ASSERT_TRUE(Create(edit_a_, "ports", "int", {"80", "8000..8999"}).ok());
  ASSERT_TRUE(Create(edit_a_, "blocked", "ip", {"192.0.2.1"}).ok());
  // The list's kind must fit the field.
  const grpc::Status kind =
      Put(edit_a_, BlockingZoneJson("alpha.test", origin_.port(), "ip.src in $ports"));
  EXPECT_EQ(kind.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(kind.error_message().find("list $ports holds"), std::string::npos)
      << kind.error_message();
  // A zone's own list of an account list's name is refused, not silently preferred.
  const grpc::Status clash = Put(
      edit_a_, BlockingZoneJson("alpha.test", origin_.port(), "ip.src in $blocked",
                                R"([{"name": "blocked", "kind": "ip", "items": ["10.0.0.1"]}])"));
  EXPECT_EQ(clash.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(clash.error_message().find("lists[0].name"), std::string::npos)
      << clash.error_message();
  // Zone-local lists keep working as before.
  EXPECT_TRUE(
      Put(edit_a_, BlockingZoneJson("alpha.test", origin_.port(), "ip.src in $local",
                                    R"([{"name": "local", "kind": "ip", "items": ["10.0.0.1"]}])"))
          .ok());
  // And an account list of a name a zone of its scope defines itself is refused.
  EXPECT_EQ(Create(edit_a_, "local", "ip", {}).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AccountListsTest, GatectlManagesLists) {
  const std::string file = WriteTempFile("blocked.txt", "# office\n192.0.2.1\n\n198.51.100.0/24\n");
  auto ran = control_.Gatectl({"lists", "create", "blocked", "--kind", "ip", "--file", file},
                              edit_a_);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(ran.out.find("list blocked version 1: created, 2 items"), std::string::npos)
      << ran.out;
  ran = control_.Gatectl({"lists", "add", "blocked", "203.0.113.9"}, edit_a_);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  ran = control_.Gatectl({"lists", "get", "blocked"}, edit_a_);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(ran.out.find("192.0.2.1\n198.51.100.0/24\n203.0.113.9\n"), std::string::npos)
      << ran.out;
  ran = control_.Gatectl({"lists", "list"}, edit_b_);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out.find("blocked"), std::string::npos) << ran.out;
  // A bad item: exit 1, the item and its index named.
  ran = control_.Gatectl({"lists", "add", "blocked", "nope"}, edit_a_);
  EXPECT_EQ(ran.exit_code, 1);
  EXPECT_NE(ran.err.find("\"nope\""), std::string::npos) << ran.err;
  ran = control_.Gatectl({"lists", "delete", "blocked"}, edit_b_);
  EXPECT_EQ(ran.exit_code, 1);
  ran = control_.Gatectl({"lists", "delete", "blocked"}, edit_a_);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
}

TEST_F(AccountListsTest, AScopeChangeNeedsEveryZoneOfBothScopesAndKeepsItsUsers) {
  ASSERT_TRUE(Create(edit_a_, "blocked", "ip", {"127.0.0.1"}, {"alpha.test"}).ok());
  // Out of scope, beta.test cannot name it; once in scope it can, and the proxy serves it.
  EXPECT_EQ(Put(edit_a_, BlockingZoneJson("beta.test", origin_.port(), "ip.src in $blocked"))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Scope(edit_a_, "blocked", {"beta.test", "alpha.test"}).ok());
  ASSERT_TRUE(
      Put(edit_a_, BlockingZoneJson("beta.test", origin_.port(), "ip.src in $blocked")).ok());
  ProxyProcess proxy;
  ASSERT_TRUE(proxy.Start(control_.address(), "edge-1", node_).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "beta.test", "blocked"), "blocked");

  // beta.test names it: it cannot leave the scope, and the refusal says why.
  const grpc::Status narrowed = Scope(edit_a_, "blocked", {"alpha.test"});
  EXPECT_EQ(narrowed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(narrowed.error_message().find("beta.test"), std::string::npos)
      << narrowed.error_message();

  // A token without edit on every zone of the old scope is refused as for no list at all, and
  // reads no history; one without edit on a zone of the new scope is told which.
  const std::string alpha_only = Token({"--permission=edit", "--zone=alpha.test"});
  for (const std::string& token : {edit_b_, alpha_only}) {
    const grpc::Status real = Scope(token, "blocked", {"alpha.test"});
    const grpc::Status none = Scope(token, "nothing", {"alpha.test"});
    EXPECT_EQ(real.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(absl::StrReplaceAll(real.error_message(), {{"blocked", "X"}}),
              absl::StrReplaceAll(none.error_message(), {{"nothing", "X"}}));
  }
  v1::ListListVersionsResponse history;
  const grpc::Status hidden = History(edit_b_, "blocked", &history);
  const grpc::Status absent = History(edit_b_, "nothing", &history);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(absl::StrReplaceAll(hidden.error_message(), {{"blocked", "X"}}),
            absl::StrReplaceAll(absent.error_message(), {{"nothing", "X"}}));
  EXPECT_EQ(Scope(edit_a_, "blocked", {"alpha.test", "evil.test"}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string reader = Token({"--permission=read", "--zone=alpha.test", "--zone=beta.test"});
  EXPECT_EQ(Scope(reader, "blocked", {"alpha.test", "beta.test"}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The history: every version, who, items, what changed.
  ASSERT_TRUE(Edit(edit_a_, "blocked", {"192.0.2.1", "192.0.2.2"}, {"127.0.0.1"}).ok());
  ASSERT_TRUE(History(reader, "blocked", &history).ok());
  ASSERT_EQ(history.versions_size(), 3);
  EXPECT_EQ(history.versions(0).items_added(), 1u);
  EXPECT_EQ(history.versions(0).zones_size(), 1);
  EXPECT_EQ(history.versions(1).zones_size(), 2);
  EXPECT_EQ(history.versions(1).items_added(), 0u);
  EXPECT_EQ(history.versions(2).item_count(), 2u);
  EXPECT_EQ(history.versions(2).items_added(), 2u);
  EXPECT_EQ(history.versions(2).items_removed(), 1u);
  EXPECT_NE(history.versions(2).author(), "");
  EXPECT_GT(history.versions(2).sequence(), history.versions(1).sequence());
  const auto ran = control_.Gatectl({"lists", "history", "blocked"}, reader);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(ran.out.find("\tcreated; +1 -0 items"), std::string::npos) << ran.out;
  EXPECT_NE(ran.out.find("scope alpha.test -> alpha.test,beta.test"), std::string::npos) << ran.out;
  EXPECT_NE(ran.out.find("+2 -1 items"), std::string::npos) << ran.out;

  // gatectl: once beta.test no longer names it, the scope narrows; history shows a deleted
  // list's versions to the tokens that could read it.
  ASSERT_TRUE(
      Put(edit_a_, BlockingZoneJson("beta.test", origin_.port(), "ip.src eq 192.0.2.1")).ok());
  auto scoped = control_.Gatectl({"lists", "scope", "blocked", "--zones", "alpha.test"}, edit_a_);
  ASSERT_EQ(scoped.exit_code, 0) << scoped.err;
  EXPECT_NE(scoped.out.find("list blocked version 4: scoped"), std::string::npos) << scoped.out;
  ASSERT_TRUE(Delete(edit_a_, "blocked").ok());
  ASSERT_TRUE(History(alpha_only, "blocked", &history).ok());
  ASSERT_EQ(history.versions_size(), 5);
  EXPECT_TRUE(history.versions(4).deleted());
  // A past scope shows only the zones this token may read.
  EXPECT_EQ(history.versions(1).zones_size(), 1);
  EXPECT_EQ(history.versions(1).other_zones(), 1u);
}

// Two control replicas over one real etcd: lists are changed through the first (control_), and
// a proxy attached only to the second serves every change.
class AccountListsOverReplicasTest : public AccountListsTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(etcd_.Start(1).ok());
    store_flags_ = {"--store=" + etcd_.Url(), "--no-managed-rulesets", "--etcd-timeout-ms=2000"};
    AccountListsTest::SetUp();
    ASSERT_TRUE(other_.Start({kAdmin, store_flags_}).ok());
  }

  etcd::TestEtcdCluster etcd_;
  ControlPlane other_;
};

TEST_F(AccountListsOverReplicasTest, AListChangeOnOneReplicaIsServedByTheOthersProxies) {
  ProxyProcess proxy;
  ASSERT_TRUE(proxy.Start(other_.address(), "edge-other", node_).ok());
  // Create: the list and the zone naming it, both through the first replica.
  ASSERT_TRUE(Create(edit_a_, "blocked", "ip", {"127.0.0.1"}).ok());
  const grpc::Status put =
      Put(edit_a_, BlockingZoneJson("alpha.test", origin_.port(), "ip.src in $blocked"));
  ASSERT_TRUE(put.ok()) << put.error_message();
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "blocked"), "blocked");
  // Edit and replace.
  ASSERT_TRUE(Edit(edit_a_, "blocked", {"192.0.2.1"}, {"127.0.0.1"}).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "origin"), "origin");
  ASSERT_TRUE(Replace(edit_a_, "blocked", {"127.0.0.0/8"}).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "blocked"), "blocked");

  // Delete: once the zone no longer names it, the other replica forgets it too.
  ASSERT_TRUE(
      Put(edit_a_, BlockingZoneJson("alpha.test", origin_.port(), "ip.src eq 192.0.2.1")).ok());
  EXPECT_EQ(WaitForAnswer(proxy.port(), "alpha.test", "origin"), "origin");
  const grpc::Status deleted = Delete(edit_a_, "blocked");
  ASSERT_TRUE(deleted.ok()) << deleted.error_message();
  auto other_lists = other_.ListStub();
  v1::GetListRequest get;
  get.set_name("blocked");
  v1::GetListResponse got;
  EXPECT_EQ(other_lists->GetList(ControlPlane::Context(kAdmin).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Made again through the first replica, the list is what a push through the second names.
  ASSERT_TRUE(Create(edit_a_, "blocked", "ip", {"127.0.0.1"}).ok());
  v1::PutZoneConfigRequest request;
  request.set_config_json(BlockingZoneJson("beta.test", origin_.port(), "ip.src in $blocked"));
  v1::PutZoneConfigResponse response;
  const grpc::Status other_put =
      other_.ConfigStub()->PutZoneConfig(ControlPlane::Context(edit_a_).get(), request, &response);
  ASSERT_TRUE(other_put.ok()) << other_put.error_message();
  EXPECT_EQ(WaitForAnswer(proxy.port(), "beta.test", "blocked"), "blocked");
}

}  // namespace
}  // namespace gatehouse::testing

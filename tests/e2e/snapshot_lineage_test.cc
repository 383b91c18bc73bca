// Snapshot versions compare only within one lineage (issue 12, item 2): a proxy that served a
// file snapshot, or that outlived its control plane's store, follows the control plane; and a
// proxy that keeps refusing updates says so in /readyz, /snapshot, metrics and gatectl watch.
#include <csignal>
#include <filesystem>
#include <thread>

#include "absl/strings/str_replace.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "schemas/api.grpc.pb.h"
#include "tests/support/binaries.h"
#include "tests/support/proxy_process.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;

std::string MarkerZone(const std::string& marker) {
  return absl::StrReplaceAll(R"json({
  "zone": "example.com", "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "m", "expression": "true", "action": "block",
     "action_parameters": {"response": {"status_code": 403, "content_type": "text/plain",
                                        "content": "MARKER"}}}]}]})json",
                             {{"MARKER", marker}});
}

// The real control plane on `listen` over `data_dir`, without authentication (loopback).
struct Control {
  std::unique_ptr<Subprocess> process;
  std::string address;

  static absl::StatusOr<Control> Start(const std::string& data_dir,
                                       const std::string& listen = "127.0.0.1:0") {
    auto process = Subprocess::Start(
        {kControlBinary, "--listen=" + listen, "--insecure-no-auth", "--data-dir=" + data_dir});
    if (!process.ok()) return process.status();
    auto ready = (*process)->WaitReady(std::chrono::seconds(20));
    if (!ready.ok()) return ready.status();
    return Control{*std::move(process), ready->at("grpc")};
  }

  CommandResult Gatectl(std::vector<std::string> args) const {
    args.insert(args.begin(), {kGatectlBinary, "--addr=" + address});
    return RunCommand(args, std::chrono::seconds(15));
  }
  int Push(const std::string& marker) const {
    const std::string path = UniqueTestPath("zone") + ".json";
    WriteFile(path, MarkerZone(marker));
    return Gatectl({"push", path}).exit_code;
  }
  void Stop() {
    process->Signal(SIGTERM);
    process->Wait();
  }
};

std::string Marker(const ProxyProcess& proxy, const std::string& want) {
  auto got =
      proxy.GetUntil("example.com", "/", [&](const HttpResult& r) { return r.body == want; });
  return got.ok() ? got->body : std::string(got.status().message());
}

TEST(SnapshotLineageTest, AProxyThatServedAFileFollowsANewControlPlane) {
  const std::string state_dir = UniqueTestPath("state");
  const std::string file = UniqueTestPath("file") + ".snapshot";
  // Versions of `gatectl compile` are Unix milliseconds: far above a new store's 1, 2, 3.
  ASSERT_EQ(CompileSnapshot({MarkerZone("file")}, file).exit_code, 0);
  {
    auto proxy = StartProxy({"--snapshot-file=" + file, "--state-dir=" + state_dir});
    ASSERT_TRUE(proxy.ok()) << proxy.status();
    ASSERT_EQ(Marker(*proxy, "file"), "file");
  }
  auto control = Control::Start(UniqueTestPath("control"));
  ASSERT_TRUE(control.ok()) << control.status();
  ASSERT_EQ(control->Push("control-1"), 0);
  // Restarted with the control plane: the persisted file snapshot serves first, then the
  // control plane's replaces it, and its later versions follow.
  auto proxy = StartProxy({"--control=" + control->address, "--state-dir=" + state_dir});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  EXPECT_EQ(Marker(*proxy, "control-1"), "control-1");
  ASSERT_EQ(control->Push("control-2"), 0);
  EXPECT_EQ(Marker(*proxy, "control-2"), "control-2");
  auto ready = HttpGet(proxy->admin_port, "admin", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
}

TEST(SnapshotLineageTest, AProxyFollowsAControlPlaneRestoredFromAnOlderCopy) {
  const std::string data = UniqueTestPath("control-data");
  const std::string backup = UniqueTestPath("control-backup");
  auto control = Control::Start(data);
  ASSERT_TRUE(control.ok()) << control.status();
  ASSERT_EQ(control->Push("r1"), 0);
  control->Stop();
  std::filesystem::copy(data, backup, std::filesystem::copy_options::recursive);
  control = Control::Start(data, control->address);
  ASSERT_TRUE(control.ok()) << control.status();
  ASSERT_EQ(control->Push("r2"), 0);
  ASSERT_EQ(control->Push("r3"), 0);
  auto proxy = StartProxy({"--control=" + control->address,
                           "--state-dir=" + UniqueTestPath("proxy-state")});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  ASSERT_EQ(Marker(*proxy, "r3"), "r3");

  // The store is restored from the copy made at version 1, same address.
  const std::string address = control->address;
  control->Stop();
  control = Control::Start(backup, address);
  if (!control.ok()) GTEST_SKIP() << "the port was taken meanwhile: " << control.status();
  EXPECT_EQ(Marker(*proxy, "r1"), "r1");
  ASSERT_EQ(control->Push("r4"), 0);
  EXPECT_EQ(Marker(*proxy, "r4"), "r4");
}

TEST(SnapshotLineageTest, AProxyThatKeepsRefusingUpdatesSaysSo) {
  const std::string file = UniqueTestPath("served") + ".snapshot";
  ASSERT_EQ(CompileSnapshot({MarkerZone("v100")}, file, 100).exit_code, 0);
  auto proxy = StartProxy({"--snapshot-file=" + file, "--snapshot-poll-ms=0"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  ASSERT_EQ(Marker(*proxy, "v100"), "v100");
  // Older compiles of the same lineage are refused, one after another.
  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(CompileSnapshot({MarkerZone("old" + std::to_string(i))}, file, 50 + i).exit_code, 0);
    proxy->process->Signal(SIGHUP);
    double refused = 0;
    for (int wait = 0; wait < 200 && refused < i; ++wait) {
      refused = proxy->Metric("gatehouse_snapshot_updates_refused_in_a_row");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(refused, i);
  }
  EXPECT_EQ(proxy->Metric("gatehouse_snapshot_updates_refused_total"), 3);
  auto ready = HttpGet(proxy->admin_port, "admin", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 503);
  EXPECT_NE(ready->body.find("refusing snapshot updates: 3 in a row"), std::string::npos)
      << ready->body;
  auto summary = HttpGet(proxy->admin_port, "admin", "/snapshot");
  ASSERT_TRUE(summary.ok());
  EXPECT_NE(summary->body.find("\"refused_updates_in_a_row\": 3"), std::string::npos)
      << summary->body;
  EXPECT_NE(summary->body.find("\"lineage\": \"gatectl-compile\""), std::string::npos)
      << summary->body;
  // A newer one is taken, and the proxy is ready again.
  ASSERT_EQ(CompileSnapshot({MarkerZone("v200")}, file, 200).exit_code, 0);
  proxy->process->Signal(SIGHUP);
  EXPECT_EQ(Marker(*proxy, "v200"), "v200");
  ready = HttpGet(proxy->admin_port, "admin", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
}

TEST(SnapshotLineageTest, GatectlWatchShowsAProxyRefusingUpdates) {
  auto control = Control::Start("");
  ASSERT_TRUE(control.ok()) << control.status();
  auto channel = grpc::CreateChannel(control->address, grpc::InsecureChannelCredentials());
  auto snapshots = v1::SnapshotService::NewStub(channel);
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::WatchRequest request;
  request.set_node_id("stuck");
  auto reader = snapshots->Watch(&watch_context, request);
  v1::SnapshotUpdate update;
  ASSERT_TRUE(reader->Read(&update));
  for (int i = 0; i < 3; ++i) {
    v1::ApplyReport report;
    report.set_node_id("stuck");
    report.set_version(7);
    report.set_error("snapshot 7 is older than snapshot 9 being served");
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::ApplyReportResponse response;
    ASSERT_TRUE(snapshots->ReportApplied(&context, report, &response).ok());
  }
  const auto watch = control->Gatectl({"watch"});
  EXPECT_EQ(watch.exit_code, 0) << watch.err;
  EXPECT_NE(watch.out.find("REFUSING UPDATES (3 in a row: snapshot 7 is older"),
            std::string::npos)
      << watch.out;
  watch_context.TryCancel();
  (void)reader->Finish();
}

}  // namespace
}  // namespace gatehouse::testing

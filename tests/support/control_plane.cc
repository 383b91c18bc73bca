#include "tests/support/control_plane.h"

#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/strings/str_replace.h"
#include "tests/support/binaries.h"
#include "tests/support/http_client.h"

namespace gatehouse::testing {
namespace {

std::string Unique(const std::string& name) {
  static std::atomic<int> counter{0};
  return TempPath(name + "-cp-" + std::to_string(counter++));
}

uint16_t PortOfAddress(const std::string& address) {
  return static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

}  // namespace

std::string WriteTempFile(const std::string& name, const std::string& content) {
  const std::string path = Unique(name);
  WriteFile(path, content);
  return path;
}

absl::Status ControlPlane::Start(const Options& options) {
  options_ = options;
  data_dir_ = Unique("control-data");
  if (!options.admin_token.empty()) token_file_ = WriteTempFile("admin-token", options.admin_token + "\n");
  return Launch("127.0.0.1:0");
}

absl::Status ControlPlane::Launch(const std::string& listen) {
  std::vector<std::string> argv = {kControlBinary, "--listen=" + listen, "--data-dir=" + data_dir_};
  // Without an admin token the control plane runs only when told so explicitly.
  argv.push_back(token_file_.empty() ? "--insecure-no-auth" : "--admin-token-file=" + token_file_);
  argv.insert(argv.end(), options_.extra_flags.begin(), options_.extra_flags.end());
  auto process = Subprocess::Start(std::move(argv));
  if (!process.ok()) return process.status();
  auto ready = (*process)->WaitReady(kServerReadyTimeout);
  if (!ready.ok()) return ready.status();
  if (ready->count("grpc") == 0) return absl::InternalError("control: ready line without grpc");
  address_ = ready->at("grpc");
  process_ = *std::move(process);
  return absl::OkStatus();
}

absl::Status ControlPlane::Restart() {
  process_.reset();
  // The same port, so proxies following the old address reconnect; another if it was taken.
  if (Launch(address_).ok()) return absl::OkStatus();
  return Launch("127.0.0.1:0");
}

absl::Status ControlPlane::RestartWith(std::vector<std::string> extra_flags) {
  options_.extra_flags = std::move(extra_flags);
  return Restart();
}

void ControlPlane::Kill9() {
  if (process_ == nullptr) return;
  process_->Signal(SIGKILL);
  process_->Wait();
  process_.reset();
}

CommandResult ControlPlane::Gatectl(std::vector<std::string> args, const std::string& token) const {
  std::vector<std::string> argv = {kGatectlBinary, "--addr=" + address_};
  if (!token.empty()) argv.push_back("--token=" + token);
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

std::unique_ptr<grpc::ClientContext> ControlPlane::Context(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

std::unique_ptr<api::v1::ConfigService::Stub> ControlPlane::ConfigStub() const {
  return api::v1::ConfigService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}

std::unique_ptr<api::v1::SnapshotService::Stub> ControlPlane::SnapshotStub() const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  return api::v1::SnapshotService::NewStub(
      grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args));
}

std::unique_ptr<api::v1::TokenService::Stub> ControlPlane::TokenStub() const {
  return api::v1::TokenService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}

std::unique_ptr<api::v1::ListService::Stub> ControlPlane::ListStub() const {
  return api::v1::ListService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}

absl::Status ProxyProcess::Start(const std::string& control_address, const std::string& node_id,
                                 const std::string& token) {
  std::vector<std::string> argv = {kProxyBinary, "--listen=127.0.0.1:0", "--admin=",
                                   "--control=" + control_address, "--workers=1",
                                   "--node-id=" + node_id};
  if (!token.empty()) argv.push_back("--token-file=" + WriteTempFile("node-token", token + "\n"));
  auto process = Subprocess::Start(std::move(argv));
  if (!process.ok()) return process.status();
  auto ready = (*process)->WaitReady(kServerReadyTimeout);
  if (!ready.ok()) return ready.status();
  if (ready->count("http") == 0) return absl::InternalError("proxy: ready line without http");
  port_ = PortOfAddress(ready->at("http"));
  process_ = *std::move(process);
  return absl::OkStatus();
}

std::string MarkerZoneJson(const std::string& zone, const std::string& marker) {
  return absl::StrReplaceAll(R"json({
  "zone": "ZONE",
  "hostnames": ["ZONE"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}],
  "rulesets": [
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "marker", "expression": "http.request.uri.path eq \"/marker\"", "action": "block",
       "action_parameters": {"response": {"status_code": 403, "content_type": "text/plain",
                                          "content": "MARKER"}}}]}
  ]
})json",
                             {{"ZONE", zone}, {"MARKER", marker}});
}

std::string WaitForMarker(uint16_t port, const std::string& zone, const std::string& marker,
                          int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string last;
  while (true) {
    auto result = HttpGet(port, zone, "/marker");
    if (result.ok()) {
      last = result->status == 403 ? result->body : "status " + std::to_string(result->status);
    } else {
      last = std::string(result.status().message());
    }
    if (last == marker || std::chrono::steady_clock::now() > deadline) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace gatehouse::testing

#include "tests/support/edge_cluster.h"

#include <atomic>
#include <thread>

#include "tests/support/binaries.h"

namespace gatehouse::testing {
namespace {

// Starts a server and returns the address its ready line gives for `key`; other keys of the
// ready line go to `others` when given.
absl::StatusOr<std::string> StartServer(std::vector<std::string> argv, const std::string& key,
                                        std::unique_ptr<Subprocess>* out,
                                        std::map<std::string, std::string>* others = nullptr) {
  auto process = Subprocess::Start(std::move(argv));
  if (!process.ok()) return process.status();
  auto ready = (*process)->WaitReady(kServerReadyTimeout);
  if (!ready.ok()) return ready.status();
  const auto it = ready->find(key);
  if (it == ready->end()) return absl::InternalError("ready line without " + key);
  *out = *std::move(process);
  if (others != nullptr) *others = *ready;
  return it->second;
}

// Each cluster of a test binary gets its own directories.
std::string UniqueTempPath(const std::string& name) {
  static std::atomic<int> counter{0};
  return TempPath(name + "-" + std::to_string(counter++));
}

}  // namespace

uint16_t PortOf(const std::string& address) {
  return static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

absl::Status EdgeCluster::Start(const Options& options) {
  for (int i = 0; i < options.origins; ++i) {
    std::unique_ptr<Subprocess> origin;
    auto address = StartServer(
        {kDemoOriginBinary, "--listen=127.0.0.1:0", "--name=origin" + std::to_string(i)}, "http", &origin);
    if (!address.ok()) return address.status();
    origins_.push_back(std::move(origin));
    origin_ports_.push_back(PortOf(*address));
  }
  auto control = StartServer(
      {kControlBinary, "--listen=127.0.0.1:0", "--insecure-no-auth",
       "--data-dir=" + UniqueTempPath("control-data")},
      "grpc",
      &control_);
  if (!control.ok()) return control.status();
  control_address_ = *control;
  std::vector<std::string> proxy_argv = {kProxyBinary, "--listen=127.0.0.1:0", "--admin=127.0.0.1:0",
                                         "--control=" + control_address_,
                                         "--workers=" + std::to_string(options.proxy_workers)};
  proxy_argv.insert(proxy_argv.end(), options.extra_proxy_flags.begin(),
                    options.extra_proxy_flags.end());
  std::map<std::string, std::string> ready;
  auto proxy = StartServer(std::move(proxy_argv), "http", &proxy_, &ready);
  if (!proxy.ok()) return proxy.status();
  proxy_port_ = PortOf(*proxy);
  admin_port_ = ready.count("admin") != 0 ? PortOf(ready["admin"]) : 0;
  return absl::OkStatus();
}

CommandResult EdgeCluster::Gatectl(std::vector<std::string> args) const {
  args.insert(args.begin(), {kGatectlBinary, "--addr=" + control_address_});
  return RunCommand(args);
}

CommandResult EdgeCluster::Push(const std::string& json) const {
  const std::string path = UniqueTempPath("push") + ".json";
  WriteFile(path, json);
  return Gatectl({"push", path});
}

absl::StatusOr<HttpResult> EdgeCluster::GetUntil(
    const std::string& host, const std::string& target,
    const std::function<bool(const HttpResult&)>& done, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  absl::StatusOr<HttpResult> last = absl::DeadlineExceededError("no attempt");
  while (std::chrono::steady_clock::now() < deadline) {
    last = HttpGet(proxy_port_, host, target);
    if (last.ok() && done(*last)) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return last;
}

}  // namespace gatehouse::testing

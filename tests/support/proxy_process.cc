#include "tests/support/proxy_process.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/support/binaries.h"
#include "tests/support/edge_cluster.h"

namespace gatehouse::testing {
namespace {

}  // namespace

std::string UniqueTestPath(const std::string& name) {
  static std::atomic<int> counter{0};
  return TempPath(name + "-p" + std::to_string(counter++));
}

absl::StatusOr<OriginProcess> StartDemoOrigin(const std::string& name) {
  auto process = Subprocess::Start({kDemoOriginBinary, "--listen=127.0.0.1:0", "--name=" + name});
  if (!process.ok()) return process.status();
  auto ready = (*process)->WaitReady(kServerReadyTimeout);
  if (!ready.ok()) return ready.status();
  OriginProcess out;
  out.port = PortOf((*ready)["http"]);
  out.process = *std::move(process);
  return out;
}

absl::StatusOr<ProxyProcess> StartProxy(std::vector<std::string> flags,
                                        const std::string& binary) {
  flags.insert(flags.begin(), {binary, "--listen=127.0.0.1:0", "--admin=127.0.0.1:0"});
  auto process = Subprocess::Start(std::move(flags));
  if (!process.ok()) return process.status();
  auto ready = (*process)->WaitReady(kServerReadyTimeout);
  if (!ready.ok()) return ready.status();
  ProxyProcess out;
  out.port = PortOf((*ready)["http"]);
  out.admin_port = PortOf((*ready)["admin"]);
  if (const auto https = ready->find("https"); https != ready->end()) {
    // The first of a list: "127.0.0.1:1,127.0.0.1:2".
    out.https_port = PortOf(https->second.substr(0, https->second.find(',')));
  }
  out.process = *std::move(process);
  return out;
}

absl::StatusOr<HttpResult> ProxyProcess::GetUntil(
    const std::string& host, const std::string& target,
    const std::function<bool(const HttpResult&)>& done, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  absl::StatusOr<HttpResult> last = absl::DeadlineExceededError("no attempt");
  while (std::chrono::steady_clock::now() < deadline) {
    last = HttpGet(port, host, target);
    if (last.ok() && done(*last)) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return last;
}

double ProxyProcess::Metric(const std::string& name) const {
  auto metrics = HttpGet(admin_port, "admin", "/metrics");
  if (!metrics.ok()) return -1;
  const std::string& text = metrics->body;
  const std::string needle = "\n" + name + " ";
  const size_t at = text.find(needle);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + needle.size()));
}

double ProxyProcess::MetricUntil(const std::string& name, double want, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  double value = Metric(name);
  while (value != want && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    value = Metric(name);
  }
  return value;
}

CommandResult CompileSnapshot(const std::vector<std::string>& zone_jsons,
                              const std::string& output, uint64_t version,
                              const std::string& gatectl) {
  std::vector<std::string> argv = {gatectl, "compile"};
  for (const std::string& json : zone_jsons) {
    const std::string path = UniqueTestPath("zone") + ".json";
    WriteFile(path, json);
    argv.push_back(path);
  }
  argv.insert(argv.end(), {"-o", output});
  if (version != 0) argv.insert(argv.end(), {"-v", std::to_string(version)});
  return RunCommand(argv);
}

absl::StatusOr<ProxyProcess> StartProxyServing(const std::vector<std::string>& zone_jsons,
                                               std::vector<std::string> flags) {
  const std::string snapshot = UniqueTestPath("snapshot") + ".bin";
  const CommandResult compiled = CompileSnapshot(zone_jsons, snapshot);
  if (compiled.exit_code != 0) {
    return absl::InvalidArgumentError("gatectl compile failed: " + compiled.err);
  }
  flags.push_back("--snapshot-file=" + snapshot);
  return StartProxy(std::move(flags));
}

uint16_t UnusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace gatehouse::testing

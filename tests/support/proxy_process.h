#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/support/binaries.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"

namespace gatehouse::testing {

// A demo origin process on a loopback port picked at run time.
struct OriginProcess {
  std::unique_ptr<Subprocess> process;
  uint16_t port = 0;
};
absl::StatusOr<OriginProcess> StartDemoOrigin(const std::string& name);

// A proxy process with the given flags (listen and admin on port 0 are added).
struct ProxyProcess {
  std::unique_ptr<Subprocess> process;
  uint16_t port = 0;
  uint16_t admin_port = 0;
  uint16_t https_port = 0;  // the first --listen-tls listener's, if any

  // Repeats GET host+target until `done` accepts a response, up to `timeout_ms`.
  absl::StatusOr<HttpResult> GetUntil(const std::string& host, const std::string& target,
                                      const std::function<bool(const HttpResult&)>& done,
                                      int timeout_ms = 10000) const;
  // The value of an unlabelled metric from /metrics, or -1.
  double Metric(const std::string& name) const;
  // Reads Metric(name) until it is `want`, up to `timeout_ms`: the value read last. For gauges
  // the proxy updates after the client has its answer (a connection closes once the client has
  // gone).
  double MetricUntil(const std::string& name, double want, int timeout_ms = 5000) const;
};
// `binary`: another proxy build, relative to the runfiles (the example product's proxy).
absl::StatusOr<ProxyProcess> StartProxy(std::vector<std::string> flags,
                                        const std::string& binary = kProxyBinary);

// Runs `gatectl compile` on zone configs given as JSON text; writes the snapshot to `output`.
CommandResult CompileSnapshot(const std::vector<std::string>& zone_jsons,
                              const std::string& output, uint64_t version = 0,
                              const std::string& gatectl = kGatectlBinary);

// Compiles `zone_jsons` (as CompileSnapshot) into a snapshot file of its own and starts a proxy
// serving it with `flags`. A config that does not compile is an error carrying gatectl's message.
absl::StatusOr<ProxyProcess> StartProxyServing(const std::vector<std::string>& zone_jsons,
                                               std::vector<std::string> flags);

// A unique path under the test's temporary directory.
std::string UniqueTestPath(const std::string& name);

// A loopback port nothing listens on (bound, then released).
uint16_t UnusedPort();

}  // namespace gatehouse::testing

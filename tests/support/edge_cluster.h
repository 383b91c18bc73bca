#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"

namespace gatehouse::testing {

// The real binaries on loopback, on ports picked at run time: demo origins, a control plane and
// a proxy that follows it. Tests that use it depend on //tests/support:edge_binaries.
class EdgeCluster {
 public:
  struct Options {
    int origins = 2;
    int proxy_workers = 2;
    std::vector<std::string> extra_proxy_flags;
  };

  absl::Status Start(const Options& options);
  absl::Status Start() { return Start(Options{}); }

  uint16_t origin_port(size_t i) const { return origin_ports_.at(i); }
  uint16_t proxy_port() const { return proxy_port_; }
  uint16_t admin_port() const { return admin_port_; }
  const std::string& control_address() const { return control_address_; }

  // Runs gatectl against this cluster's control plane.
  CommandResult Gatectl(std::vector<std::string> args) const;
  // Writes `json` to a file and runs `gatectl push` on it.
  CommandResult Push(const std::string& json) const;

  // Repeats GET host+target until `done` accepts a response, up to `timeout_ms`; returns the last
  // response (or error).
  absl::StatusOr<HttpResult> GetUntil(const std::string& host, const std::string& target,
                                      const std::function<bool(const HttpResult&)>& done,
                                      int timeout_ms = 10000) const;

 private:
  std::vector<std::unique_ptr<Subprocess>> origins_;
  std::vector<uint16_t> origin_ports_;
  std::unique_ptr<Subprocess> control_;
  std::unique_ptr<Subprocess> proxy_;
  std::string control_address_;
  uint16_t proxy_port_ = 0;
  uint16_t admin_port_ = 0;
};

// The port of a "host:port" address.
uint16_t PortOf(const std::string& address);

}  // namespace gatehouse::testing

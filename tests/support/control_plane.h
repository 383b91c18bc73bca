#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "schemas/api.grpc.pb.h"
#include "tests/support/subprocess.h"

namespace gatehouse::testing {

// The real `control` binary on a loopback port picked at run time, with its own data directory,
// which a test can kill (-9) and restart on the same directory and port. Tests that use it
// depend on //tests/support:edge_binaries.
class ControlPlane {
 public:
  struct Options {
    std::string admin_token;  // empty: --insecure-no-auth (authentication disabled)
    std::vector<std::string> extra_flags;
  };

  absl::Status Start(const Options& options);
  // Starts it again on the same data directory (and port, when it is still free).
  absl::Status Restart();
  // The same, with `extra_flags` in place of the ones it was started with.
  absl::Status RestartWith(std::vector<std::string> extra_flags);
  void Kill9();

  const std::string& address() const { return address_; }
  const std::string& data_dir() const { return data_dir_; }

  // Runs gatectl against this control plane with `token` (none when empty).
  CommandResult Gatectl(std::vector<std::string> args, const std::string& token = "") const;

  // A context with `token` as bearer and a 10 s deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token);
  std::unique_ptr<api::v1::ConfigService::Stub> ConfigStub() const;
  std::unique_ptr<api::v1::SnapshotService::Stub> SnapshotStub() const;
  std::unique_ptr<api::v1::TokenService::Stub> TokenStub() const;
  std::unique_ptr<api::v1::ListService::Stub> ListStub() const;

 private:
  absl::Status Launch(const std::string& listen);

  Options options_;
  std::string data_dir_;
  std::string token_file_;
  std::string address_;
  std::unique_ptr<Subprocess> process_;
};

// The real `proxy` binary following a control plane, on ports picked at run time.
class ProxyProcess {
 public:
  // `token` empty: no --token-file.
  absl::Status Start(const std::string& control_address, const std::string& node_id,
                     const std::string& token = "");
  uint16_t port() const { return port_; }
  pid_t pid() const { return process_->pid(); }

 private:
  std::unique_ptr<Subprocess> process_;
  uint16_t port_ = 0;
};

// A zone config whose firewall answers GET /marker with 403 and body `marker`, so a test can see
// which version a proxy serves without any origin. Its only origin is never contacted.
std::string MarkerZoneJson(const std::string& zone, const std::string& marker);

// Writes `content` to a fresh file under the test's temporary directory; returns its path.
std::string WriteTempFile(const std::string& name, const std::string& content);

// Repeats GET http://127.0.0.1:port/marker with Host `zone` until the body is `marker`, up to
// `timeout_ms`. Returns the last body (or status line) seen.
std::string WaitForMarker(uint16_t port, const std::string& zone, const std::string& marker,
                          int timeout_ms = 10000);

}  // namespace gatehouse::testing

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "api/secrets_key.h"
#include "common/host_port.h"
#include "compiler/managed_rulesets.h"
#include "etcd/etcd_client.h"

namespace gatehouse::api {

// What a control plane runs with, checked and read by its caller (flags, files).
struct ControlOptions {
  HostPort listen;
  std::string data_dir;     // empty: configs and tokens in memory only
  // control --store etcd://…: configs and tokens in an etcd cluster shared by replicas, in place
  // of data_dir. Every replica follows the store and publishes what any of them stored.
  struct EtcdStore {
    etcd::ClientOptions client;
    std::string prefix = "/gatehouse/";  // several deployments may share one cluster
    std::string replica_name;            // its key under <prefix>replicas/; empty: host:port
  };
  std::optional<EtcdStore> etcd;
  std::string admin_token;  // empty: authentication disabled (--insecure-no-auth)
  std::string tls_cert_pem;  // with tls_key_pem: gRPC over TLS
  std::string tls_key_pem;
  std::string client_ca_pem;  // with TLS: mutual TLS, clients must show a cert this CA signed
  // Seals certificates' private keys in the store (--secrets-key-file); null: certificate
  // uploads are refused.
  std::shared_ptr<const SecretsKey> secrets_key;
  size_t max_config_bytes = 1 << 20;
  size_t max_zones = 100000;
  int compile_threads = 1;
  size_t max_queued_compiles = 8;
  // The managed rulesets zones may execute (the OWASP CRS, `--crs-dir`, `--crs-setup`,
  // `--no-managed-rulesets`). Compiled at start, or taken from the store by digest.
  compiler::ManagedRulesetOptions managed_rulesets;
};

// One running control plane: the stores, the compiled deployment and its publisher, and the
// gRPC server with the config, snapshot and token services.
class ControlInstance {
 public:
  // Opens the stores, compiles every stored zone and starts serving. An error means nothing
  // is left running.
  static absl::StatusOr<std::unique_ptr<ControlInstance>> Start(const ControlOptions& options);
  ~ControlInstance();
  ControlInstance(const ControlInstance&) = delete;
  ControlInstance& operator=(const ControlInstance&) = delete;

  // The address served (the port picked when 0 was asked for).
  const HostPort& bound() const;
  // Ends every Watch stream and stops the server, giving calls in progress a moment.
  void Shutdown();

 private:
  struct State;
  // The config and token stores options name.
  static absl::Status OpenStores(const ControlOptions& options, State* state);
  explicit ControlInstance(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace gatehouse::api

#pragma once

// One running proxy: its options (every flag of the `proxy` binary), and the pieces set up from
// them — snapshot store and sources, request handler, HTTP and admin servers, the control plane
// watcher and the upgrade coordinator — started in order, served until a stop signal or a
// successor's take-over, then drained and stopped.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/flags.h"
#include "common/grpc_client_tls.h"
#include "common/host_port.h"
#include "engine/phase_engine.h"
#include "geoip/geo_database_source.h"
#include "runtime/http/proxy_server.h"
#include "runtime/http/request_handler.h"
#include "runtime/http/simple_server.h"
#include "runtime/observability/access_log.h"
#include "runtime/observability/metrics.h"
#include "runtime/observability/shadow_ledger.h"
#include "runtime/restart/socket_activation.h"
#include "runtime/restart/upgrade.h"
#include "runtime/snapshot/control_plane_watcher.h"
#include "runtime/snapshot/snapshot_file_source.h"
#include "runtime/snapshot/snapshot_loader.h"
#include "runtime/snapshot/snapshot_store.h"
#include "runtime/tls/tls_termination.h"

namespace gatehouse::runtime {

// The proxy's flags, with their defaults.
struct ProxyOptions {
  ProxyOptions();  // the defaults that depend on the machine: node_id, workers

  std::string listen = "127.0.0.1:8080";
  bool proxy_protocol = false;
  std::string trusted_proxies;
  int64_t proxy_header_timeout_ms = 3000;
  std::vector<std::string> listen_tls;
  std::string tls_ciphers = tls::kDefaultCiphers;
  std::string tls_ciphersuites = tls::kDefaultCiphersuites;
  std::string tls_default_zone;
  int64_t tls_ticket_rotation_s = 3600;
  int64_t tls_handshake_timeout_ms = 5000;
  bool http2 = true;
  bool http2_cleartext = false;
  int64_t http2_max_concurrent_streams = 100;
  int64_t http2_reset_burst = 200;
  int64_t http2_reset_rate = 33;
  int64_t http2_control_frame_burst = 1000;
  int64_t http2_control_frame_rate = 100;
  int64_t http2_max_streams_per_connection = 100000;
  std::string log_level = "info";
  std::string admin = "127.0.0.1:9901";
  std::string control;
  std::string control_ca;  // TLS to the control plane, verified with this CA
  std::string control_cert;  // mutual TLS: this proxy's certificate and key
  std::string control_key;
  std::string token_file;
  std::string node_id;
  std::string snapshot_file;
  // Geolocation databases (MaxMind DB files) for the rules' ip.src.* fields; empty: none, and
  // those fields are empty.
  std::string geoip_db;
  std::string asn_db;
  std::string state_dir;
  std::string access_log_path;
  int64_t workers = 1;
  int64_t connect_timeout_ms = 3000;
  int64_t response_timeout_ms = 30000;
  int64_t header_timeout_ms = 10000;
  int64_t body_timeout_ms = 30000;
  int64_t body_deadline_ms = 60000;
  int64_t body_min_rate = 1024;
  int64_t idle_timeout_ms = 60000;
  int64_t max_connections = 10000;
  int64_t snapshot_poll_ms = 500;
  int64_t max_header_bytes = 32 * 1024;
  int64_t max_uri_bytes = 8 * 1024;
  int64_t max_body_bytes = 100ll << 20;
  std::string fallback;
  int64_t unknown_host_status = 421;
  std::string pid_file;
  int64_t drain_idle_ms = 1000;
  int64_t drain_timeout_ms = 30000;
  int64_t upgrade_timeout_ms = 30000;
  bool snapshot_header = false;
};

// Registers every flag of the `proxy` binary on `flags`, bound to `options`.
void AddProxyFlags(FlagSet& flags, ProxyOptions& options);

class ProxyInstance {
 public:
  // `argv`: the command line, for a successor started by an upgrade.
  ProxyInstance(ProxyOptions options, std::vector<std::string> argv);
  ~ProxyInstance();
  ProxyInstance(const ProxyInstance&) = delete;
  ProxyInstance& operator=(const ProxyInstance&) = delete;

  // Everything up to serving: checks the options, loads what snapshot there is, binds (or takes
  // over) the sockets, starts the servers and snapshot sources, installs the signal handlers,
  // and prints the "ready" line. Errors: InvalidArgument for a usage error (exit 2); Cancelled,
  // with no message, for a stop signal before a successor was ready; others (exit 1).
  absl::Status Start();

  // Serves until SIGINT / SIGTERM or until a successor took over (then drains first). SIGHUP
  // reloads --snapshot-file and the geolocation databases; SIGUSR2 starts an upgrade.
  void Run();

 private:
  absl::Status CheckOptions();
  absl::Status LoadSnapshots();
  absl::Status StartHttp();
  void AddSnapshotMetrics();
  void AddTlsMetrics();
  void AddHttp2Metrics();
  absl::Status StartAdmin();
  void StartSnapshotSources();
  absl::Status StartUpgrades();
  void PrintReady();
  // A successor serves the same sockets now: stop accepting, let connections finish.
  void Drain();
  void Stop();

  const ProxyOptions options_;
  const std::vector<std::string> argv_;
  // Set once a successor reported ready and the pid file names it.
  std::atomic<bool> replaced_{false};

  // Set up by Start, in this order (and destroyed in the reverse).
  absl::StatusOr<std::optional<InheritedListeners>> inherited_;
  std::vector<int> activated_;
  std::string token_;
  ClientTls control_tls_;
  SnapshotStore store_;
  std::unique_ptr<SnapshotLoader> loader_;
  std::unique_ptr<SnapshotFileSource> file_source_;
  std::unique_ptr<geoip::GeoDatabaseSource> geo_source_;
  std::unique_ptr<AccessLog> access_log_;
  RequestHandlerOptions handler_options_;
  ProxyMetrics metrics_;
  std::unique_ptr<const engine::PhaseEngine> engine_;
  ShadowLedger shadow_ledger_;
  std::unique_ptr<RequestHandler> handler_;
  std::unique_ptr<tls::TlsTermination> tls_;  // with --listen-tls
  std::unique_ptr<ProxyServer> server_;
  int inherited_admin_ = -1;
  std::unique_ptr<SimpleHttpServer> admin_server_;
  std::string admin_ready_;
  std::unique_ptr<ControlPlaneWatcher> watcher_;
  std::unique_ptr<UpgradeCoordinator> coordinator_;
};

}  // namespace gatehouse::runtime

// proxy: the Gatehouse data plane. Serves HTTP with the snapshot it receives from the control
// plane or reads from a file, swapping new snapshots in atomically under live traffic.
#include <unistd.h>

#include <climits>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <csignal>
#include <cstdlib>
#include <atomic>
#include <cstdio>
#include <thread>

#include "common/file_util.h"
#include "common/flags.h"
#include "common/host_port.h"
#include "common/logging.h"
#include "modules/sdk/registry.h"
#include "runtime/admin/admin_endpoints.h"
#include "runtime/engine/phase_engine.h"
#include "runtime/engine/shadow_ledger.h"
#include "runtime/http/proxy_server.h"
#include "runtime/http/request_handler.h"
#include "runtime/restart/socket_activation.h"
#include "runtime/restart/upgrade.h"
#include "runtime/observability/access_log.h"
#include "runtime/observability/metrics.h"
#include "runtime/snapshot/control_plane_watcher.h"
#include "runtime/snapshot/snapshot_file_source.h"
#include "runtime/snapshot/snapshot_loader.h"
#include "runtime/snapshot/snapshot_store.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_reload = 0;
volatile std::sig_atomic_t g_upgrade = 0;
std::atomic<bool> g_replaced{false};

void OnStopSignal(int) { g_stop = 1; }
void OnReloadSignal(int) { g_reload = 1; }
void OnUpgradeSignal(int) { g_upgrade = 1; }

// "http=N admin=M": how many of the handed-over sockets are the proxy's and the admin's.
std::pair<size_t, size_t> ParseListenerDescription(const std::string& description) {
  size_t http = 0;
  size_t admin = 0;
  std::sscanf(description.c_str(), "http=%zu admin=%zu", &http, &admin);
  return {http, admin};
}

// The path the successor is started from: the binary at the same path (a deploy replaces it).
std::string SelfPath(const char* argv0) {
  char resolved[PATH_MAX];
  return realpath(argv0, resolved) != nullptr ? std::string(resolved) : std::string(argv0);
}

std::string DefaultNodeId() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

// The state directory exists (created if missing, with its parents) and is a writable directory.
absl::Status PrepareStateDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (!std::filesystem::is_directory(dir)) {
    return absl::InvalidArgumentError(
        dir + " is not a directory" + (error ? " (" + error.message() + ")" : "") +
        ": give a directory, which is created if missing");
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return absl::PermissionDeniedError(dir + " is not writable by this user: " +
                                       std::strerror(errno));
  }
  return absl::OkStatus();
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "proxy: %s\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace runtime = gatehouse::runtime;
  std::string listen = "127.0.0.1:8080";
  std::string admin = "127.0.0.1:9901";
  std::string control;
  std::string token_file;
  std::string node_id = DefaultNodeId();
  std::string snapshot_file;
  std::string state_dir;
  std::string access_log_path;
  int64_t workers = std::max(1u, std::thread::hardware_concurrency());
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
  bool snapshot_header = false;
  gatehouse::FlagSet flags("proxy", "proxy [flags]",
                           "The Gatehouse data plane: an HTTP/1.1 reverse proxy that runs each "
                           "request through the zone's compiled rules.");
  flags.AddString("listen", &listen, "HTTP address to listen on, HOST:PORT (port 0 picks one).");
  flags.AddString("admin", &admin,
                  "Admin address (/metrics, /healthz, /readyz, /snapshot), HOST:PORT; empty: off.");
  flags.AddString("control", &control,
                  "Control plane gRPC address, HOST:PORT, to receive snapshots from; empty: none.");
  flags.AddString("token-file", &token_file, "File holding the control plane API token.");
  flags.AddString("node-id", &node_id, "This proxy's name in reports to the control plane.");
  flags.AddString("snapshot-file", &snapshot_file,
                  "Serve this snapshot file (written by `gatectl compile`); reloaded on SIGHUP "
                  "and when it changes.");
  flags.AddInt("snapshot-poll-ms", &snapshot_poll_ms,
               "How often --snapshot-file is checked for changes; 0: only on SIGHUP.");
  flags.AddString("state-dir", &state_dir,
                  "Directory where the last good snapshot is persisted, and served from at start "
                  "when the control plane is unreachable.");
  flags.AddString("access-log", &access_log_path, "Access log file (JSON lines); empty: off.");
  flags.AddInt("workers", &workers, "Worker threads, each with its own listening socket.");
  flags.AddInt("connect-timeout-ms", &connect_timeout_ms, "Origin connect timeout.");
  flags.AddInt("response-timeout-ms", &response_timeout_ms,
               "Origin response timeout (to the header, then between body reads).");
  flags.AddInt("header-timeout-ms", &header_timeout_ms,
               "Time a client has to send a whole request header once it started.");
  flags.AddInt("body-timeout-ms", &body_timeout_ms,
               "Time allowed for each read of a request body and each write of a response.");
  flags.AddInt("body-deadline-ms", &body_deadline_ms,
               "Time a whole request body may take, extended by one second for every "
               "--body-min-rate bytes received (408 past it).");
  flags.AddInt("body-min-rate", &body_min_rate,
               "Bytes per second a request body must average past --body-deadline-ms; 0: no "
               "extension (the deadline is total).");
  flags.AddInt("idle-timeout-ms", &idle_timeout_ms, "Keep-alive idle timeout between requests.");
  flags.AddInt("max-connections", &max_connections, "Client connections served at once.");
  flags.AddInt("max-header-bytes", &max_header_bytes, "Request header block limit (431).");
  flags.AddInt("max-uri-bytes", &max_uri_bytes, "Request target length limit (414).");
  flags.AddInt("max-body-bytes", &max_body_bytes,
               "Request body limit for zones that set none (413).");
  std::string fallback;
  flags.AddString("fallback", &fallback,
                  "A legacy proxy, HOST:PORT: hosts no zone serves, requests a rule marks not "
                  "handled, and shadowed zones go there unchanged (a zone may name its own).");
  int64_t unknown_host_status = 421;
  flags.AddInt("unknown-host-status", &unknown_host_status,
               "The answer for a Host no zone serves, when there is no --fallback.");
  std::string pid_file;
  int64_t drain_idle_ms = 1000;
  int64_t drain_timeout_ms = 30000;
  int64_t upgrade_timeout_ms = 30000;
  flags.AddString("pid-file", &pid_file,
                  "Write the pid here, and accept upgrades (SIGUSR2, `proxy upgrade --pid-file`) "
                  "on the coordination socket PATH.sock.");
  flags.AddInt("drain-idle-ms", &drain_idle_ms,
               "When replaced: a keep-alive connection is closed once it has waited this long "
               "for its next request (busy ones get Connection: close on their next response).");
  flags.AddInt("drain-timeout-ms", &drain_timeout_ms,
               "When replaced: how long in-flight requests and tunnels may run before exit.");
  flags.AddInt("upgrade-timeout-ms", &upgrade_timeout_ms,
               "How long a new instance has to report ready before the upgrade is abandoned.");
  flags.AddBool("snapshot-header", &snapshot_header,
                "Name the deployment-wide snapshot version in a gatehouse-snapshot response "
                "header (every zone's responses carry its own gatehouse-zone-version).");
  std::string log_level = "info";
  flags.AddString("log-level", &log_level,
                  "Least severe log lines written to stderr: debug, info, warning or error.");
  const std::vector<std::string> positional = flags.ParseOrExit(argc, argv);
  if (gatehouse::logging::Level level; gatehouse::logging::ParseLevel(log_level, &level)) {
    gatehouse::logging::SetMinLevel(level);
  } else {
    return Usage("--log-level must be debug, info, warning or error");
  }
  if (positional == std::vector<std::string>{"upgrade"}) {
    if (pid_file.empty()) return Usage("upgrade needs --pid-file");
    return runtime::RunUpgradeCommand(pid_file, std::chrono::milliseconds(upgrade_timeout_ms) +
                                                    std::chrono::seconds(5));
  }
  if (!positional.empty()) return Usage("the only command is `upgrade`");
  // Started by an upgrade: the predecessor hands over its listening sockets.
  auto inherited = runtime::TakeInheritedListeners();
  if (!inherited.ok()) {
    std::fprintf(stderr, "proxy: upgrade hand-over: %s\n",
                 std::string(inherited.status().message()).c_str());
    return 1;
  }
  const std::vector<int> activated = runtime::TakeSocketActivationFds();
  if (!control.empty()) {
    if (auto parsed = gatehouse::ParseHostPort(control, /*allow_zero_port=*/false); !parsed.ok()) {
      return Usage("--control: " + std::string(parsed.status().message()));
    }
  }
  if (control.empty() && snapshot_file.empty() && state_dir.empty()) {
    return Usage("no snapshot source: give --control, --snapshot-file or --state-dir");
  }
  if (workers < 1 || workers > 1024) {
    return Usage("--workers must be from 1 to 1024 (got " + std::to_string(workers) + ")");
  }
  if (!state_dir.empty()) {
    // Checked now rather than at the first persist, which may come hours later.
    if (auto status = PrepareStateDir(state_dir); !status.ok()) {
      return Usage("--state-dir: " + std::string(status.message()));
    }
  }
  std::string token;
  if (!token_file.empty()) {
    if (!gatehouse::ReadFile(token_file, &token)) {
      return Usage("--token-file: cannot read " + token_file);
    }
    token = gatehouse::TrimTrailingSpace(std::move(token));
  }

  runtime::SnapshotStore store;
  runtime::SnapshotLoader loader(store, state_dir);
  // Static stability: what was served last is served again at once, before (and whether or
  // not) the control plane answers.
  if (!state_dir.empty()) {
    if (auto status = loader.LoadPersisted(); status.ok()) {
      std::fprintf(stderr, "proxy: serving persisted snapshot %llu from %s\n",
                   static_cast<unsigned long long>(store.Current()->version()),
                   loader.persisted_path().c_str());
    }
  }
  std::unique_ptr<runtime::SnapshotFileSource> file_source;
  if (!snapshot_file.empty()) {
    file_source = std::make_unique<runtime::SnapshotFileSource>(
        snapshot_file, loader, std::chrono::milliseconds(snapshot_poll_ms));
    (void)file_source->LoadNow();  // a failure is logged; the source keeps watching the file
  }

  std::unique_ptr<runtime::AccessLog> access_log;
  if (!access_log_path.empty()) {
    auto opened = runtime::AccessLog::Open({access_log_path});
    if (!opened.ok()) {
      std::fprintf(stderr, "proxy: %s\n", std::string(opened.status().message()).c_str());
      return 1;
    }
    access_log = *std::move(opened);
  }

  runtime::RequestHandlerOptions handler_options;
  handler_options.upstream_pool.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
  handler_options.response_timeout = std::chrono::milliseconds(response_timeout_ms);
  handler_options.body_timeout = std::chrono::milliseconds(body_timeout_ms);
  handler_options.body_deadline = std::chrono::milliseconds(body_deadline_ms);
  handler_options.body_min_rate = static_cast<uint64_t>(std::max<int64_t>(body_min_rate, 0));
  handler_options.send_timeout = std::chrono::milliseconds(body_timeout_ms);
  handler_options.default_max_body_bytes = static_cast<uint64_t>(max_body_bytes);
  handler_options.snapshot_version_header = snapshot_header;
  handler_options.unknown_host_status = static_cast<int>(unknown_host_status);
  if (unknown_host_status < 400 || unknown_host_status > 599) {
    return Usage("--unknown-host-status must be from 400 to 599");
  }
  if (!fallback.empty()) {
    auto parsed = gatehouse::ParseHostPort(fallback, /*allow_zero_port=*/false);
    if (!parsed.ok()) return Usage("--fallback: " + std::string(parsed.status().message()));
    handler_options.fallback = *std::move(parsed);
  }
  runtime::ProxyMetrics metrics;
  // The linked products, checked as a set (an inconsistent set stops the process here).
  const runtime::PhaseEngine engine(gatehouse::sdk::ProductRegistry::Linked());
  runtime::ShadowLedger shadow_ledger;
  runtime::RequestHandler handler(engine, handler_options, &metrics, access_log.get(),
                                  &shadow_ledger);

  runtime::ProxyServerOptions server_options;
  server_options.listen = listen;
  server_options.workers = static_cast<int>(workers);
  server_options.header_timeout = std::chrono::milliseconds(header_timeout_ms);
  server_options.body_timeout = std::chrono::milliseconds(body_timeout_ms);
  server_options.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
  server_options.max_connections = max_connections;
  server_options.max_header_bytes = static_cast<uint32_t>(max_header_bytes);
  server_options.max_uri_bytes = static_cast<uint32_t>(max_uri_bytes);
  runtime::ProxyServer server(server_options, handler, store);
  std::vector<int> inherited_http;
  int inherited_admin = -1;
  if (inherited->has_value()) {
    const auto [http_count, admin_count] = ParseListenerDescription((*inherited)->description);
    const std::vector<int>& fds = (*inherited)->fds;
    inherited_http.assign(fds.begin(), fds.begin() + std::min(http_count, fds.size()));
    if (admin_count > 0 && fds.size() > http_count) inherited_admin = fds[http_count];
  }
  const absl::Status started = !inherited_http.empty() ? server.StartWithListeners(inherited_http)
                               : !activated.empty()    ? server.StartWithListeners(activated)
                                                       : server.Start();
  if (auto status = started; !status.ok()) {
    std::fprintf(stderr, "proxy: %s\n", std::string(status.message()).c_str());
    return 1;
  }

  metrics.AddGauge("gatehouse_snapshot_version", "Version of the snapshot being served.", [&] {
    const auto current = store.Served();  // by every worker
    return current == nullptr ? 0.0 : static_cast<double>(current->version());
  });
  metrics.AddCounter("gatehouse_snapshot_swaps_total", "Snapshots swapped in.",
                     [&] { return static_cast<double>(store.swap_count()); });
  metrics.AddCounter("gatehouse_snapshot_updates_refused_total",
                     "Snapshot updates refused as a whole (older than the one served within its "
                     "lineage, or not loadable), from any source.",
                     [&] { return static_cast<double>(store.refusals().total); });
  metrics.AddGauge("gatehouse_snapshot_updates_refused_in_a_row",
                   "Snapshot updates refused since the last one swapped in; not ready from 3.",
                   [&] { return static_cast<double>(store.refusals().in_a_row); });
  metrics.AddCounter("gatehouse_snapshot_load_failures_total",
                     "Snapshots from files (state dir, --snapshot-file) rejected.",
                     [&] { return static_cast<double>(loader.load_failures()); });
  metrics.AddCounter("gatehouse_snapshot_persist_failures_total",
                     "Applied snapshots that could not be persisted to the state directory.",
                     [&] { return static_cast<double>(loader.persist_failures()); });
  metrics.AddGauge("gatehouse_live_snapshots",
                   "Snapshots in memory: the served one and any still pinned by requests.",
                   [] { return static_cast<double>(runtime::LinkedSnapshot::LiveCount()); });
  metrics.AddGauge("gatehouse_open_connections", "Client connections open now.",
                   [&] { return static_cast<double>(server.open_connections()); });
  if (access_log != nullptr) {
    metrics.AddCounter("gatehouse_access_log_lines_total", "Access log lines written.",
                       [&] { return static_cast<double>(access_log->written()); });
    metrics.AddCounter("gatehouse_access_log_dropped_total",
                       "Access log lines dropped because a worker's buffer was full.",
                       [&] { return static_cast<double>(access_log->dropped()); });
  }
  std::unique_ptr<runtime::SimpleHttpServer> admin_server;
  std::string admin_ready;
  if (!admin.empty()) {
    admin_server = std::make_unique<runtime::SimpleHttpServer>(
        admin, runtime::MakeAdminHandler(store, metrics, shadow_ledger));
    const absl::Status bound =
        inherited_admin >= 0 ? admin_server->Adopt(inherited_admin) : admin_server->Bind();
    if (auto status = bound; !status.ok()) {
      std::fprintf(stderr, "proxy: --admin: %s\n", std::string(status.message()).c_str());
      return 1;
    }
    admin_server->Start();
    auto admin_address = *gatehouse::ParseHostPort(admin);
    admin_address.port = admin_server->port();
    admin_ready = " admin=" + admin_address.ToString();
  }

  std::unique_ptr<runtime::ControlPlaneWatcher> watcher;
  if (!control.empty()) {
    watcher = std::make_unique<runtime::ControlPlaneWatcher>(
        runtime::ControlPlaneWatcher::Options{control, node_id, token, 100, 5000}, store,
        [&loader](const gatehouse::snapshot::v1::Snapshot& applied) { loader.Persist(applied); });
    watcher->Start();
  }
  if (file_source != nullptr) file_source->Start();


  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGHUP, OnReloadSignal);
  std::signal(SIGUSR2, OnUpgradeSignal);
  std::signal(SIGPIPE, SIG_IGN);

  if (inherited->has_value()) {
    // Ready means serving a snapshot; until then the predecessor keeps the traffic.
    while (store.Served() == nullptr && !g_stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (g_stop) return 1;
  }
  std::unique_ptr<runtime::UpgradeCoordinator> coordinator;
  if (!pid_file.empty()) {
    // After an upgrade the predecessor already wrote this pid, before it answered.
    absl::Status written =
        inherited->has_value() ? absl::OkStatus() : runtime::WritePidFile(pid_file, getpid());
    if (!written.ok()) {
      std::fprintf(stderr, "proxy: --pid-file: %s\n", std::string(written.message()).c_str());
      return 1;
    }
    std::vector<std::string> successor_argv(argv, argv + argc);
    successor_argv[0] = SelfPath(argv[0]);
    coordinator = std::make_unique<runtime::UpgradeCoordinator>(
        runtime::UpgradeCoordinator::Options{runtime::CoordinationSocketPath(pid_file),
                                             successor_argv,
                                             std::chrono::milliseconds(upgrade_timeout_ms)},
        runtime::UpgradeCoordinator::Hooks{
            [&] {
              std::vector<int> fds = server.ListenerFds();
              const size_t http_count = fds.size();
              if (admin_server != nullptr) fds.push_back(admin_server->listener_fd());
              return std::make_pair(fds, "http=" + std::to_string(http_count) + " admin=" +
                                             std::to_string(admin_server != nullptr ? 1 : 0));
            },
            [&pid_file](pid_t successor) {
              // Before the deployer hears of success, the pid file names the successor.
              if (auto status = runtime::WritePidFile(pid_file, successor); !status.ok()) {
                std::fprintf(stderr, "proxy: --pid-file: %s\n",
                             std::string(status.message()).c_str());
              }
              g_replaced = true;
            }});
    if (auto status = coordinator->Start(); !status.ok()) {
      std::fprintf(stderr, "proxy: %s\n", std::string(status.message()).c_str());
      return 1;
    }
  }

  if (inherited->has_value()) {
    // The coordination socket is already this instance's: the next upgrade reaches it.
    if (auto reported = runtime::ReportReady(**inherited); !reported.ok()) {
      std::fprintf(stderr, "proxy: %s\n", std::string(reported.message()).c_str());
      return 1;
    }
  }
  auto address = *gatehouse::ParseHostPort(listen);
  address.port = server.port();
  std::printf("ready http=%s%s\n", address.ToString().c_str(), admin_ready.c_str());
  std::fflush(stdout);

  while (!g_stop && !g_replaced) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (g_reload) {
      g_reload = 0;
      if (file_source != nullptr) file_source->RequestReload();
    }
    if (g_upgrade) {
      g_upgrade = 0;
      if (coordinator != nullptr) {
        coordinator->TriggerAsync();
      } else {
        std::fprintf(stderr, "proxy: SIGUSR2 ignored: upgrades need --pid-file\n");
      }
    }
  }
  if (g_replaced) {
    // A successor serves the same sockets now: stop accepting, let connections finish.
    server.BeginDrain(std::chrono::milliseconds(drain_idle_ms));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_timeout_ms);
    while (server.open_connections() > 0 && std::chrono::steady_clock::now() < deadline &&
           !g_stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (coordinator != nullptr) coordinator->Stop();
  if (watcher != nullptr) watcher->Stop();
  if (file_source != nullptr) file_source->Stop();
  server.Stop();
  if (admin_server != nullptr) admin_server->Stop();
  return 0;
}

#include "runtime/proxy_instance.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "common/control_addresses.h"
#include "common/file_util.h"
#include "common/logging.h"
#include "modules/sdk/registry.h"
#include "runtime/admin/admin_endpoints.h"
#include "runtime/client_address/trusted_proxies.h"
#include "runtime/tls/certificate_report.h"

namespace gatehouse::runtime {
namespace {

// Set by the signal handlers, read by Start's wait and Run's loop.
volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_reload = 0;
volatile std::sig_atomic_t g_upgrade = 0;

void OnStopSignal(int) { g_stop = 1; }
void OnReloadSignal(int) { g_reload = 1; }
void OnUpgradeSignal(int) { g_upgrade = 1; }

// How many of the handed-over sockets are the proxy's, the admin's and the TLS listeners', in
// that order: "http=N admin=M tls=K". The TLS count comes last, so that a successor that does not
// know it (a rollback) still reads the first two right; a predecessor that does not send it hands
// over no TLS sockets.
struct HandedOverCounts {
  size_t http = 0;
  size_t admin = 0;
  size_t tls = 0;
};

HandedOverCounts ParseListenerDescription(const std::string& description) {
  HandedOverCounts counts;
  std::sscanf(description.c_str(), "http=%zu admin=%zu tls=%zu", &counts.http, &counts.admin,
              &counts.tls);
  return counts;
}

// The TLS sockets handed over, `per_address` to each --listen-tls address in order.
std::vector<std::vector<int>> GroupTlsSockets(const std::vector<int>& fds, size_t addresses) {
  std::vector<std::vector<int>> groups;
  if (addresses == 0 || fds.empty() || fds.size() % addresses != 0) return groups;
  const size_t per_address = fds.size() / addresses;
  for (size_t i = 0; i < addresses; ++i) {
    groups.emplace_back(fds.begin() + static_cast<std::ptrdiff_t>(i * per_address),
                        fds.begin() + static_cast<std::ptrdiff_t>((i + 1) * per_address));
  }
  return groups;
}

// The path the successor is started from: the binary at the same path (a deploy replaces it).
std::string SelfPath(const std::string& argv0) {
  char resolved[PATH_MAX];
  return realpath(argv0.c_str(), resolved) != nullptr ? std::string(resolved) : argv0;
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

// A usage error: the process exits 2.
absl::Status Usage(const std::string& message) { return absl::InvalidArgumentError(message); }

// A failure to start: the process exits 1 (never InvalidArgument, which means a usage error).
absl::Status Failed(absl::string_view message) { return absl::UnavailableError(message); }

}  // namespace

ProxyOptions::ProxyOptions()
    : node_id(DefaultNodeId()), workers(std::max(1u, std::thread::hardware_concurrency())) {}

void AddProxyFlags(FlagSet& flags, ProxyOptions& o) {
  flags.AddString("listen", &o.listen, "HTTP address to listen on, HOST:PORT (port 0 picks one).");
  flags.AddBool("proxy-protocol", &o.proxy_protocol,
                "The --listen listener expects a PROXY protocol header (v1 or v2) first on every "
                "connection, from a peer in --trusted-proxies; the source it names is the "
                "client. Other connections are closed unanswered.");
  flags.AddRepeated("listen-tls", &o.listen_tls,
                    "HTTPS address to listen on, HOST:PORT (repeatable; port 0 picks one): TLS "
                    "1.2 and 1.3, each zone's certificate chosen by SNI.");
  flags.AddString("tls-ciphers", &o.tls_ciphers,
                  "TLS 1.2 cipher list (OpenSSL syntax) of the --listen-tls listeners.");
  flags.AddString("tls-ciphersuites", &o.tls_ciphersuites,
                  "TLS 1.3 cipher suites (OpenSSL syntax) of the --listen-tls listeners.");
  flags.AddString("tls-default-zone", &o.tls_default_zone,
                  "The zone whose certificate answers handshakes without SNI or for a name no "
                  "certificate covers; empty: those handshakes fail (unrecognized_name).");
  flags.AddInt("tls-ticket-rotation-s", &o.tls_ticket_rotation_s,
               "Seconds a session ticket key encrypts new tickets before a new random key "
               "replaces it; tickets resume for twice this.");
  flags.AddInt("tls-handshake-timeout-ms", &o.tls_handshake_timeout_ms,
               "A TLS handshake not complete within this is closed.");
  flags.AddBool("http2", &o.http2,
                "HTTP/2 on the --listen-tls listeners: ALPN offers h2 before http/1.1 "
                "(--http2=false: HTTP/1.1 only).");
  flags.AddBool("http2-cleartext", &o.http2_cleartext,
                "HTTP/2 with prior knowledge (h2c) on the --listen listener: a connection that "
                "starts with the HTTP/2 preface speaks HTTP/2, any other HTTP/1.1.");
  flags.AddInt("http2-max-concurrent-streams", &o.http2_max_concurrent_streams,
               "Streams one HTTP/2 connection may have open at once; more are refused "
               "(REFUSED_STREAM).");
  flags.AddInt("http2-reset-burst", &o.http2_reset_burst,
               "Stream resets (RST_STREAM) an HTTP/2 client may send at once before "
               "--http2-reset-rate applies; past both the connection is closed with GOAWAY "
               "(rapid reset, CVE-2023-44487).");
  flags.AddInt("http2-reset-rate", &o.http2_reset_rate,
               "Stream resets a second an HTTP/2 client may send past --http2-reset-burst.");
  flags.AddInt("http2-control-frame-burst", &o.http2_control_frame_burst,
               "PING, SETTINGS, PRIORITY and empty DATA frames an HTTP/2 client may send at once "
               "before --http2-control-frame-rate applies; past both: GOAWAY "
               "(ENHANCE_YOUR_CALM).");
  flags.AddInt("http2-control-frame-rate", &o.http2_control_frame_rate,
               "Such frames a second past --http2-control-frame-burst.");
  flags.AddInt("http2-max-streams-per-connection", &o.http2_max_streams_per_connection,
               "Streams one HTTP/2 connection may open in all; then GOAWAY, and the client "
               "goes on on a new connection.");
  flags.AddString("trusted-proxies", &o.trusted_proxies,
                  "The load balancers in front, as CIDRs or addresses (IPv4, IPv6), "
                  "comma-separated: they may send PROXY protocol headers, and the client of a "
                  "request from one is the rightmost X-Forwarded-For address that is not one of "
                  "them. Empty: the TCP peer is the client.");
  flags.AddInt("proxy-header-timeout-ms", &o.proxy_header_timeout_ms,
               "Time a --proxy-protocol connection has to send its whole PROXY header.");
  flags.AddString("admin", &o.admin,
                  "Admin address (/metrics, /healthz, /readyz, /snapshot), HOST:PORT; empty: off.");
  flags.AddString("control", &o.control,
                  "Control plane gRPC address, HOST:PORT, to receive snapshots from; several "
                  "replicas as IP:PORT,IP:PORT,... (the proxy moves to another when one goes); "
                  "empty: none.");
  flags.AddString("control-ca", &o.control_ca,
                  "PEM CA certificate(s) the control plane's certificate must chain to: reach "
                  "it over TLS. Without it the channel is plaintext.");
  flags.AddString("control-cert", &o.control_cert,
                  "PEM client certificate shown to a control plane that requires one (its "
                  "--client-ca): mutual TLS. With --control-key and --control-ca.");
  flags.AddString("control-key", &o.control_key, "PEM private key of --control-cert.");
  flags.AddString("token-file", &o.token_file, "File holding the control plane API token.");
  flags.AddString("node-id", &o.node_id, "This proxy's name in reports to the control plane.");
  flags.AddString("snapshot-file", &o.snapshot_file,
                  "Serve this snapshot file (written by `gatectl compile`); reloaded on SIGHUP "
                  "and when it changes.");
  flags.AddString("geoip-db", &o.geoip_db,
                  "MaxMind DB file (GeoIP2/GeoLite2 City or Country) for the rules' ip.src.* "
                  "geolocation fields; reloaded on SIGHUP and when it changes. Empty: those "
                  "fields are empty.");
  flags.AddString("asn-db", &o.asn_db, "MaxMind DB ASN file for ip.src.asnum (with --geoip-db).");
  flags.AddInt("snapshot-poll-ms", &o.snapshot_poll_ms,
               "How often --snapshot-file is checked for changes; 0: only on SIGHUP.");
  flags.AddString("state-dir", &o.state_dir,
                  "Directory where the last good snapshot is persisted, and served from at start "
                  "when the control plane is unreachable.");
  flags.AddString("access-log", &o.access_log_path, "Access log file (JSON lines); empty: off.");
  flags.AddInt("workers", &o.workers, "Worker threads, each with its own listening socket.");
  flags.AddInt("connect-timeout-ms", &o.connect_timeout_ms, "Origin connect timeout.");
  flags.AddInt("response-timeout-ms", &o.response_timeout_ms,
               "Origin response timeout (to the header, then between body reads).");
  flags.AddInt("header-timeout-ms", &o.header_timeout_ms,
               "Time a client has to send a whole request header once it started.");
  flags.AddInt("body-timeout-ms", &o.body_timeout_ms,
               "Time allowed for each read of a request body and each write of a response.");
  flags.AddInt("body-deadline-ms", &o.body_deadline_ms,
               "Time a whole request body may take, extended by one second for every "
               "--body-min-rate bytes received (408 past it).");
  flags.AddInt("body-min-rate", &o.body_min_rate,
               "Bytes per second a request body must average past --body-deadline-ms; 0: no "
               "extension (the deadline is total).");
  flags.AddInt("idle-timeout-ms", &o.idle_timeout_ms, "Keep-alive idle timeout between requests.");
  flags.AddInt("max-connections", &o.max_connections, "Client connections served at once.");
  flags.AddInt("max-header-bytes", &o.max_header_bytes, "Request header block limit (431).");
  flags.AddInt("max-uri-bytes", &o.max_uri_bytes, "Request target length limit (414).");
  flags.AddInt("max-body-bytes", &o.max_body_bytes,
               "Request body limit for zones that set none (413).");
  flags.AddString("fallback", &o.fallback,
                  "A legacy proxy, HOST:PORT: hosts no zone serves, requests a rule marks not "
                  "handled, and shadowed zones go there unchanged (a zone may name its own).");
  flags.AddInt("unknown-host-status", &o.unknown_host_status,
               "The answer for a Host no zone serves, when there is no --fallback.");
  flags.AddString("pid-file", &o.pid_file,
                  "Write the pid here, and accept upgrades (SIGUSR2, `proxy upgrade --pid-file`) "
                  "on the coordination socket PATH.sock.");
  flags.AddInt("drain-idle-ms", &o.drain_idle_ms,
               "When replaced: a keep-alive connection is closed once it has waited this long "
               "for its next request (busy ones get Connection: close on their next response).");
  flags.AddInt("drain-timeout-ms", &o.drain_timeout_ms,
               "When replaced: how long in-flight requests and tunnels may run before exit.");
  flags.AddInt("upgrade-timeout-ms", &o.upgrade_timeout_ms,
               "How long a new instance has to report ready before the upgrade is abandoned.");
  flags.AddBool("snapshot-header", &o.snapshot_header,
                "Name the deployment-wide snapshot version in a gatehouse-snapshot response "
                "header (every zone's responses carry its own gatehouse-zone-version).");
  flags.AddString("log-level", &o.log_level,
                  "Least severe log lines written to stderr: debug, info, warning or error.");
}

ProxyInstance::ProxyInstance(ProxyOptions options, std::vector<std::string> argv)
    : options_(std::move(options)), argv_(std::move(argv)) {}

ProxyInstance::~ProxyInstance() = default;

absl::Status ProxyInstance::Start() {
  // Started by an upgrade: the predecessor hands over its listening sockets.
  inherited_ = TakeInheritedListeners();
  if (!inherited_.ok()) {
    return Failed("upgrade hand-over: " + std::string(inherited_.status().message()));
  }
  activated_ = TakeSocketActivationFds();
  if (auto status = CheckOptions(); !status.ok()) return status;
  if (auto status = LoadSnapshots(); !status.ok()) return status;
  if (auto status = StartHttp(); !status.ok()) return status;
  AddSnapshotMetrics();
  if (auto status = StartAdmin(); !status.ok()) return status;
  StartSnapshotSources();

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGHUP, OnReloadSignal);
  std::signal(SIGUSR2, OnUpgradeSignal);
  std::signal(SIGPIPE, SIG_IGN);

  if (inherited_->has_value()) {
    // Ready means serving a snapshot; until then the predecessor keeps the traffic.
    while (store_.Served() == nullptr && !g_stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (g_stop) return absl::CancelledError();
  }
  if (auto status = StartUpgrades(); !status.ok()) return status;
  if (inherited_->has_value()) {
    // The coordination socket is already this instance's: the next upgrade reaches it.
    if (auto reported = ReportReady(**inherited_); !reported.ok()) {
      return Failed(reported.message());
    }
  }
  PrintReady();
  return absl::OkStatus();
}

absl::Status ProxyInstance::CheckOptions() {
  if (logging::Level level; logging::ParseLevel(options_.log_level, &level)) {
    logging::SetMinLevel(level);
  } else {
    return Usage("--log-level must be debug, info, warning or error");
  }
  if (!options_.control.empty()) {
    if (auto target = ControlChannelTarget(options_.control); !target.ok()) {
      return Usage("--control: " + std::string(target.status().message()));
    }
  }
  if (options_.control.empty() && options_.snapshot_file.empty() && options_.state_dir.empty()) {
    return Usage("no snapshot source: give --control, --snapshot-file or --state-dir");
  }
  if (options_.control.empty() &&
      !(options_.control_ca.empty() && options_.control_cert.empty() &&
        options_.control_key.empty())) {
    return Usage("--control-ca, --control-cert and --control-key need --control");
  }
  // Read and checked now: a bad file stops the start naming it, instead of a proxy that
  // retries a handshake that cannot succeed.
  if (auto tls = ClientTls::Load({options_.control_ca, options_.control_cert,
                                  options_.control_key, "control-ca", "control-cert",
                                  "control-key"});
      tls.ok()) {
    control_tls_ = *std::move(tls);
  } else {
    return Usage(std::string(tls.status().message()));
  }
  if (auto trusted = TrustedProxies::Parse(options_.trusted_proxies); trusted.ok()) {
    handler_options_.trusted_proxies = *std::move(trusted);
  } else {
    return Usage("--trusted-proxies: " + std::string(trusted.status().message()));
  }
  if (options_.proxy_protocol && handler_options_.trusted_proxies.empty()) {
    return Usage("--proxy-protocol needs --trusted-proxies: the peers allowed to send the header");
  }
  if (options_.proxy_header_timeout_ms < 1) {
    return Usage("--proxy-header-timeout-ms must be positive");
  }
  if (options_.listen_tls.empty() &&
      !options_.tls_default_zone.empty()) {
    return Usage("--tls-default-zone needs --listen-tls");
  }
  if (options_.tls_ticket_rotation_s < 1 || options_.tls_handshake_timeout_ms < 1) {
    return Usage("--tls-ticket-rotation-s and --tls-handshake-timeout-ms must be positive");
  }
  for (const auto& [flag, value] :
       {std::pair<const char*, int64_t>{"--http2-max-concurrent-streams",
                                        options_.http2_max_concurrent_streams},
        {"--http2-reset-burst", options_.http2_reset_burst},
        {"--http2-reset-rate", options_.http2_reset_rate},
        {"--http2-control-frame-burst", options_.http2_control_frame_burst},
        {"--http2-control-frame-rate", options_.http2_control_frame_rate},
        {"--http2-max-streams-per-connection", options_.http2_max_streams_per_connection}}) {
    if (value < 1 || value > (int64_t{1} << 31) - 1) {
      return Usage(std::string(flag) + " must be from 1 to 2^31-1");
    }
  }
  if (options_.workers < 1 || options_.workers > 1024) {
    return Usage("--workers must be from 1 to 1024 (got " + std::to_string(options_.workers) +
                 ")");
  }
  if (!options_.state_dir.empty()) {
    // Checked now rather than at the first persist, which may come hours later.
    if (auto status = PrepareStateDir(options_.state_dir); !status.ok()) {
      return Usage("--state-dir: " + std::string(status.message()));
    }
  }
  if (!options_.token_file.empty()) {
    if (!ReadFile(options_.token_file, &token_)) {
      return Usage("--token-file: cannot read " + options_.token_file);
    }
    token_ = TrimTrailingSpace(std::move(token_));
  }
  return absl::OkStatus();
}

absl::Status ProxyInstance::LoadSnapshots() {
  loader_ = std::make_unique<SnapshotLoader>(store_, options_.state_dir);
  // Static stability: what was served last is served again at once, before (and whether or
  // not) the control plane answers.
  if (!options_.state_dir.empty()) {
    if (auto status = loader_->LoadPersisted(); status.ok()) {
      GH_LOG(INFO) << "serving persisted snapshot " << store_.Current()->version() << " from "
                   << loader_->persisted_path();
    }
  }
  if (!options_.snapshot_file.empty()) {
    file_source_ = std::make_unique<SnapshotFileSource>(
        options_.snapshot_file, *loader_, std::chrono::milliseconds(options_.snapshot_poll_ms));
    (void)file_source_->LoadNow();  // a failure is logged; the source keeps watching the file
  }
  return absl::OkStatus();
}

absl::Status ProxyInstance::StartHttp() {
  if (!options_.access_log_path.empty()) {
    auto opened = AccessLog::Open({options_.access_log_path});
    if (!opened.ok()) return Failed(opened.status().message());
    access_log_ = *std::move(opened);
  }

  RequestHandlerOptions& handler = handler_options_;
  handler.upstream_pool.connect_timeout = std::chrono::milliseconds(options_.connect_timeout_ms);
  handler.response_timeout = std::chrono::milliseconds(options_.response_timeout_ms);
  handler.body_timeout = std::chrono::milliseconds(options_.body_timeout_ms);
  handler.body_deadline = std::chrono::milliseconds(options_.body_deadline_ms);
  handler.body_min_rate = static_cast<uint64_t>(std::max<int64_t>(options_.body_min_rate, 0));
  handler.send_timeout = std::chrono::milliseconds(options_.body_timeout_ms);
  handler.default_max_body_bytes = static_cast<uint64_t>(options_.max_body_bytes);
  handler.snapshot_version_header = options_.snapshot_header;
  handler.unknown_host_status = static_cast<int>(options_.unknown_host_status);
  if (options_.unknown_host_status < 400 || options_.unknown_host_status > 599) {
    return Usage("--unknown-host-status must be from 400 to 599");
  }
  if (!options_.fallback.empty()) {
    auto parsed = ParseHostPort(options_.fallback, /*allow_zero_port=*/false);
    if (!parsed.ok()) return Usage("--fallback: " + std::string(parsed.status().message()));
    handler.fallback = *std::move(parsed);
  }
  if (!options_.asn_db.empty() && options_.geoip_db.empty()) {
    return Usage("--asn-db needs --geoip-db");
  }
  if (!options_.geoip_db.empty()) {
    // Polled like --snapshot-file (every 500 ms when that is 0: the databases have no other
    // source of updates but SIGHUP).
    geo_source_ = std::make_unique<geoip::GeoDatabaseSource>(
        geoip::GeoDatabasePaths{options_.geoip_db, options_.asn_db},
        std::chrono::milliseconds(options_.snapshot_poll_ms > 0 ? options_.snapshot_poll_ms : 500));
    // A database that cannot be read at start is a configuration mistake: refuse to start.
    if (absl::Status loaded = geo_source_->LoadNow(); !loaded.ok()) {
      return Failed(loaded.message());
    }
    geo_source_->Start();
    handler.geo = geo_source_.get();
  }
  // The linked products, checked as a set (an inconsistent set stops the process here).
  engine_ = std::make_unique<const engine::PhaseEngine>(sdk::ProductRegistry::Linked());
  handler_ = std::make_unique<RequestHandler>(*engine_, handler_options_, &metrics_,
                                              access_log_.get(), &shadow_ledger_);

  ProxyServerOptions server_options;
  server_options.listen = options_.listen;
  server_options.workers = static_cast<int>(options_.workers);
  server_options.header_timeout = std::chrono::milliseconds(options_.header_timeout_ms);
  server_options.body_timeout = std::chrono::milliseconds(options_.body_timeout_ms);
  server_options.idle_timeout = std::chrono::milliseconds(options_.idle_timeout_ms);
  server_options.max_connections = options_.max_connections;
  server_options.max_header_bytes = static_cast<uint32_t>(options_.max_header_bytes);
  server_options.max_uri_bytes = static_cast<uint32_t>(options_.max_uri_bytes);
  server_options.proxy_protocol = options_.proxy_protocol;
  server_options.proxy_header_timeout = std::chrono::milliseconds(options_.proxy_header_timeout_ms);
  server_options.http2 = options_.http2;
  server_options.http2_cleartext = options_.http2_cleartext;
  http2::Http2Options& http2 = server_options.http2_options;
  http2.max_concurrent_streams = static_cast<uint32_t>(options_.http2_max_concurrent_streams);
  http2.max_header_list_bytes = static_cast<uint32_t>(options_.max_header_bytes);
  http2.reset_burst = static_cast<uint32_t>(options_.http2_reset_burst);
  http2.reset_rate = static_cast<uint32_t>(options_.http2_reset_rate);
  http2.control_burst = static_cast<uint32_t>(options_.http2_control_frame_burst);
  http2.control_rate = static_cast<uint32_t>(options_.http2_control_frame_rate);
  http2.max_streams_per_connection =
      static_cast<uint32_t>(options_.http2_max_streams_per_connection);
  http2.idle_timeout = std::chrono::milliseconds(options_.idle_timeout_ms);
  http2.send_timeout = std::chrono::milliseconds(options_.body_timeout_ms);
  if (!options_.listen_tls.empty()) {
    tls::TlsTerminationOptions tls_options;
    tls_options.ciphers = options_.tls_ciphers;
    tls_options.ciphersuites = options_.tls_ciphersuites;
    tls_options.default_zone = options_.tls_default_zone;
    tls_options.ticket_rotation = std::chrono::seconds(options_.tls_ticket_rotation_s);
    tls_options.http2 = options_.http2;
    auto termination = tls::TlsTermination::Create(tls_options);
    if (!termination.ok()) return Usage(std::string(termination.status().message()));
    tls_ = *std::move(termination);
    server_options.listen_tls = options_.listen_tls;
    server_options.tls = tls_.get();
    server_options.handshake_timeout = std::chrono::milliseconds(options_.tls_handshake_timeout_ms);
  }
  server_ = std::make_unique<ProxyServer>(server_options, *handler_, store_);
  ProxyServer::ListeningSockets inherited;
  if (inherited_->has_value()) {
    const HandedOverCounts counts = ParseListenerDescription((*inherited_)->description);
    const std::vector<int>& fds = (*inherited_)->fds;
    if (counts.http + counts.admin + counts.tls <= fds.size()) {
      inherited.http.assign(fds.begin(), fds.begin() + static_cast<std::ptrdiff_t>(counts.http));
      if (counts.admin > 0) inherited_admin_ = fds[counts.http];
      const auto tls_begin = fds.begin() + static_cast<std::ptrdiff_t>(counts.http + counts.admin);
      inherited.tls = GroupTlsSockets(
          std::vector<int>(tls_begin, tls_begin + static_cast<std::ptrdiff_t>(counts.tls)),
          options_.listen_tls.size());
    }
  }
  const absl::Status started = !inherited.http.empty() ? server_->StartWithListeners(inherited)
                               : !activated_.empty()
                                   ? server_->StartWithListeners({activated_, {}})
                                   : server_->Start();
  if (!started.ok()) return Failed(started.message());
  return absl::OkStatus();
}

void ProxyInstance::AddSnapshotMetrics() {
  metrics_.AddGauge("gatehouse_snapshot_version", "Version of the snapshot being served.", [this] {
    const auto current = store_.Served();  // by every worker
    return current == nullptr ? 0.0 : static_cast<double>(current->version());
  });
  metrics_.AddCounter("gatehouse_snapshot_swaps_total", "Snapshots swapped in.",
                      [this] { return static_cast<double>(store_.swap_count()); });
  metrics_.AddCounter("gatehouse_snapshot_updates_refused_total",
                      "Snapshot updates refused as a whole (older than the one served within its "
                      "lineage, or not loadable), from any source.",
                      [this] { return static_cast<double>(store_.refusals().total); });
  metrics_.AddGauge("gatehouse_snapshot_updates_refused_in_a_row",
                    "Snapshot updates refused since the last one swapped in; not ready from 3.",
                    [this] { return static_cast<double>(store_.refusals().in_a_row); });
  metrics_.AddCounter("gatehouse_snapshot_load_failures_total",
                      "Snapshots from files (state dir, --snapshot-file) rejected.",
                      [this] { return static_cast<double>(loader_->load_failures()); });
  metrics_.AddCounter("gatehouse_snapshot_persist_failures_total",
                      "Applied snapshots that could not be persisted to the state directory.",
                      [this] { return static_cast<double>(loader_->persist_failures()); });
  metrics_.AddGauge("gatehouse_live_snapshots",
                    "Snapshots in memory: the served one and any still pinned by requests.",
                    [] { return static_cast<double>(LinkedSnapshot::LiveCount()); });
  metrics_.AddGauge("gatehouse_open_connections", "Client connections open now.",
                    [this] { return static_cast<double>(server_->open_connections()); });
  metrics_.AddCounter("gatehouse_proxy_protocol_refused_total",
                      "Connections closed unanswered for their PROXY protocol header: from a peer "
                      "not in --trusted-proxies, malformed, or not whole in time.",
                      [this] { return static_cast<double>(server_->proxy_headers_refused()); });
  if (tls_ != nullptr) AddTlsMetrics();
  AddHttp2Metrics();
  if (access_log_ != nullptr) {
    metrics_.AddCounter("gatehouse_access_log_lines_total", "Access log lines written.",
                        [this] { return static_cast<double>(access_log_->written()); });
    metrics_.AddCounter("gatehouse_access_log_dropped_total",
                        "Access log lines dropped because a worker's buffer was full.",
                        [this] { return static_cast<double>(access_log_->dropped()); });
  }
}

void ProxyInstance::AddHttp2Metrics() {
  const http2::Http2Counters& counters = server_->http2_counters();
  metrics_.AddGauge("gatehouse_http2_connections", "HTTP/2 client connections open.",
                    [&counters] { return static_cast<double>(counters.connections.load()); });
  metrics_.AddCounter("gatehouse_http2_streams_total", "HTTP/2 streams opened by clients.",
                      [&counters] { return static_cast<double>(counters.streams.load()); });
  metrics_.AddCounter(
      "gatehouse_http2_goaway_errors_total",
      "HTTP/2 connections closed with an error GOAWAY: a protocol error, a flood of control "
      "frames or resets (rapid reset), a header block over its CONTINUATION limit.",
      [&counters] { return static_cast<double>(counters.goaway_errors.load()); });
  metrics_.AddCounter(
      "gatehouse_http2_malformed_streams_total",
      "HTTP/2 streams reset (PROTOCOL_ERROR) for a malformed request.",
      [&counters] { return static_cast<double>(counters.malformed_streams.load()); });
}

void ProxyInstance::AddTlsMetrics() {
  metrics_.AddCounter("gatehouse_tls_handshakes_total", "TLS handshakes completed.",
                      [this] { return static_cast<double>(server_->handshakes_completed()); });
  metrics_.AddCounter("gatehouse_tls_handshakes_resumed_total",
                      "TLS handshakes that resumed a session (a ticket).",
                      [this] { return static_cast<double>(server_->handshakes_resumed()); });
  metrics_.AddCounter("gatehouse_tls_handshakes_failed_total",
                      "TLS connections closed before their handshake completed: no certificate "
                      "for the name, nothing in common, not TLS, or not done in time.",
                      [this] { return static_cast<double>(server_->handshakes_failed()); });
  metrics_.AddCounter("gatehouse_tls_ticket_key_rotations_total",
                      "Session ticket key rotations since start.",
                      [this] { return static_cast<double>(tls_->ticket_keys().rotations()); });
  // Read from the served snapshot at each scrape (its certificates' metadata, no PEM).
  const auto report = [this] {
    const auto served = store_.Served();
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    return served == nullptr ? tls::CertificateReport{} : tls::ReportCertificates(*served, now);
  };
  metrics_.AddGauge("gatehouse_tls_certificates", "Certificates in the served snapshot.",
                    [report] { return static_cast<double>(report().certificates); });
  metrics_.AddGauge("gatehouse_tls_certificates_expiring_soon",
                    "Certificates of the served snapshot expiring within 14 days (not yet "
                    "expired).",
                    [report] { return static_cast<double>(report().expiring_soon); });
  metrics_.AddGauge("gatehouse_tls_certificates_expired",
                    "Certificates of the served snapshot past their not-after.",
                    [report] { return static_cast<double>(report().expired); });
  metrics_.AddGauge("gatehouse_tls_certificate_soonest_not_after_seconds",
                    "Unix time of the earliest not-after of the served certificates (0: none).",
                    [report] { return static_cast<double>(report().soonest_not_after); });
  metrics_.AddGauge("gatehouse_tls_zones_without_keys",
                    "Zones whose certificates came without private keys (a control channel "
                    "without TLS) and are not served.",
                    [report] { return static_cast<double>(report().zones_without_keys.size()); });
}

absl::Status ProxyInstance::StartAdmin() {
  if (options_.admin.empty()) return absl::OkStatus();
  admin_server_ = std::make_unique<SimpleHttpServer>(
      options_.admin,
      MakeAdminHandler(store_, metrics_, shadow_ledger_,
                       options_.control.empty() ? "" : std::string(control_tls_.mode_name())));
  const absl::Status bound =
      inherited_admin_ >= 0 ? admin_server_->Adopt(inherited_admin_) : admin_server_->Bind();
  if (!bound.ok()) return Failed("--admin: " + std::string(bound.message()));
  admin_server_->Start();
  auto admin_address = *ParseHostPort(options_.admin);
  admin_address.port = admin_server_->port();
  admin_ready_ = " admin=" + admin_address.ToString();
  return absl::OkStatus();
}

void ProxyInstance::StartSnapshotSources() {
  if (!options_.control.empty()) {
    switch (control_tls_.mode()) {
      case ClientTls::Mode::kPlaintext:
        GH_LOG(WARNING) << "control plane " << options_.control
                        << " over plaintext (no --control-ca): neither encrypted nor "
                           "authenticated; use TLS off loopback";
        break;
      case ClientTls::Mode::kTls:
        GH_LOG(INFO) << "control plane " << options_.control
                     << " over TLS, its certificate checked against --control-ca";
        break;
      case ClientTls::Mode::kMutualTls:
        GH_LOG(INFO) << "control plane " << options_.control
                     << " over mutual TLS (--control-ca, --control-cert)";
        break;
    }
    // Only with a state directory is the served snapshot kept and written: without one, an
    // update costs no more than linking what changed.
    ControlPlaneWatcher::AppliedCallback persist;
    if (!options_.state_dir.empty()) {
      persist = [this](uint64_t version, const std::string& payload) {
        loader_->PersistPayload(version, payload);
      };
    }
    watcher_ = std::make_unique<ControlPlaneWatcher>(
        // Checked in CheckOptions. Several replicas: the channel moves to the next when the one
        // in use goes, and the stream reconnects with backoff and jitter.
        ControlPlaneWatcher::Options{*ControlChannelTarget(options_.control), options_.node_id,
                                     token_, 100, 5000, control_tls_.Credentials()},
        store_, std::move(persist));
    watcher_->Start();
  }
  if (file_source_ != nullptr) file_source_->Start();
}

absl::Status ProxyInstance::StartUpgrades() {
  if (options_.pid_file.empty()) return absl::OkStatus();
  // After an upgrade the predecessor already wrote this pid, before it answered.
  const absl::Status written = inherited_->has_value()
                                   ? absl::OkStatus()
                                   : WritePidFile(options_.pid_file, getpid());
  if (!written.ok()) return Failed("--pid-file: " + std::string(written.message()));
  std::vector<std::string> successor_argv = argv_;
  successor_argv[0] = SelfPath(argv_[0]);
  coordinator_ = std::make_unique<UpgradeCoordinator>(
      UpgradeCoordinator::Options{CoordinationSocketPath(options_.pid_file), successor_argv,
                                  std::chrono::milliseconds(options_.upgrade_timeout_ms)},
      UpgradeCoordinator::Hooks{
          [this] {
            const ProxyServer::ListeningSockets sockets = server_->Listeners();
            std::vector<int> fds = sockets.http;
            if (admin_server_ != nullptr) fds.push_back(admin_server_->listener_fd());
            size_t tls_count = 0;
            for (const std::vector<int>& address : sockets.tls) {
              fds.insert(fds.end(), address.begin(), address.end());
              tls_count += address.size();
            }
            return std::make_pair(fds, "http=" + std::to_string(sockets.http.size()) +
                                           " admin=" +
                                           std::to_string(admin_server_ != nullptr ? 1 : 0) +
                                           " tls=" + std::to_string(tls_count));
          },
          [this](pid_t successor) {
            // Before the deployer hears of success, the pid file names the successor.
            if (auto status = WritePidFile(options_.pid_file, successor); !status.ok()) {
              GH_LOG(ERROR) << "--pid-file: " << status.message();
            }
            replaced_ = true;
          }});
  if (auto status = coordinator_->Start(); !status.ok()) return Failed(status.message());
  return absl::OkStatus();
}

void ProxyInstance::PrintReady() {
  auto address = *ParseHostPort(options_.listen);
  address.port = server_->port();
  std::string https;
  for (size_t i = 0; i < options_.listen_tls.size(); ++i) {
    auto tls_address = *ParseHostPort(options_.listen_tls[i]);
    tls_address.port = server_->tls_ports()[i];
    https += (i == 0 ? " https=" : ",") + tls_address.ToString();
  }
  std::printf("ready http=%s%s%s\n", address.ToString().c_str(), https.c_str(),
              admin_ready_.c_str());
  std::fflush(stdout);
}

void ProxyInstance::Run() {
  while (!g_stop && !replaced_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (g_reload) {
      g_reload = 0;
      if (file_source_ != nullptr) file_source_->RequestReload();
      if (geo_source_ != nullptr) geo_source_->RequestReload();
    }
    if (g_upgrade) {
      g_upgrade = 0;
      if (coordinator_ != nullptr) {
        coordinator_->TriggerAsync();
      } else {
        GH_LOG(WARNING) << "SIGUSR2 ignored: upgrades need --pid-file";
      }
    }
  }
  if (replaced_) Drain();
  Stop();
}

void ProxyInstance::Drain() {
  server_->BeginDrain(std::chrono::milliseconds(options_.drain_idle_ms));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.drain_timeout_ms);
  while (!server_->Drained() && std::chrono::steady_clock::now() < deadline && !g_stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void ProxyInstance::Stop() {
  if (coordinator_ != nullptr) coordinator_->Stop();
  if (watcher_ != nullptr) watcher_->Stop();
  if (file_source_ != nullptr) file_source_->Stop();
  if (geo_source_ != nullptr) geo_source_->Stop();
  server_->Stop();
  if (admin_server_ != nullptr) admin_server_->Stop();
}

}  // namespace gatehouse::runtime

// control: the Gatehouse control plane. Serves ConfigService and SnapshotService over gRPC.
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <memory>
#include <thread>

#include "api/authenticator_impl.h"
#include "api/compile_scheduler.h"
#include "api/config_controller.h"
#include "api/config_service_impl.h"
#include "api/malformed_request_interceptor.h"
#include "api/memory_config_store.h"
#include "api/proxy_registry.h"
#include "api/snapshot_publisher.h"
#include "api/snapshot_service_impl.h"
#include "api/sqlite_config_store.h"
#include "api/sqlite_token_store.h"
#include "api/token_service_impl.h"
#include "common/file_util.h"
#include "common/flags.h"
#include "common/host_port.h"
#include "common/listen_check.h"
#include "common/logging.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpc/grpc.h"
#include "grpcpp/grpcpp.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

// The admin token from --admin-token-file or GATEHOUSE_ADMIN_TOKEN; empty only with
// --insecure-no-auth, which is refused unless the control plane listens on loopback alone.
absl::StatusOr<std::string> AdminToken(const std::string& file, bool insecure_no_auth,
                                       const gatehouse::HostPort& listen) {
  const char* env = std::getenv("GATEHOUSE_ADMIN_TOKEN");
  if (insecure_no_auth) {
    if (!file.empty() || env != nullptr) {
      return absl::InvalidArgumentError(
          "--insecure-no-auth contradicts the admin token given (--admin-token-file or "
          "GATEHOUSE_ADMIN_TOKEN): drop one");
    }
    if (!gatehouse::IsLoopbackHost(listen.host)) {
      return absl::InvalidArgumentError("--insecure-no-auth is refused with --listen=" +
                                        listen.ToString() +
                                        ": without authentication listen on 127.0.0.1 only");
    }
    return std::string();
  }
  std::string token;
  if (!file.empty()) {
    if (!gatehouse::ReadFile(file, &token)) {
      return absl::InvalidArgumentError("cannot read --admin-token-file " + file);
    }
    token = gatehouse::TrimTrailingSpace(token);
    if (token.empty()) {
      return absl::InvalidArgumentError("--admin-token-file " + file +
                                        " is empty: put the admin token in it");
    }
    return token;
  }
  if (env != nullptr) {
    token = gatehouse::TrimTrailingSpace(env);
    if (token.empty()) {
      return absl::InvalidArgumentError(
          "GATEHOUSE_ADMIN_TOKEN is set but empty: set it to the admin token, or unset it and "
          "pass --insecure-no-auth for a loopback development control plane");
    }
    return token;
  }
  return absl::InvalidArgumentError(
      "no admin token: give --admin-token-file PATH (or env GATEHOUSE_ADMIN_TOKEN), or "
      "--insecure-no-auth for a loopback development control plane");
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:50051";
  const char* home = std::getenv("HOME");
  std::string data_dir = std::string(home != nullptr ? home : ".") + "/.local/state/gatehouse/control";
  gatehouse::FlagSet flags("control", "control [flags]",
                           "The Gatehouse control plane: accepts zone configs over gRPC, compiles "
                           "them, stores every version and streams snapshots to proxies.");
  flags.AddString("listen", &listen, "gRPC address to listen on, HOST:PORT (port 0 picks one).");
  flags.AddString("data-dir", &data_dir,
                  "Directory of the durable config store (SQLite); empty keeps configs in memory only.");
  std::string admin_token_file;
  std::string tls_cert;
  std::string tls_key;
  int64_t max_config_bytes = 1 << 20;
  int64_t max_zones = 100000;
  bool insecure_no_auth = false;
  flags.AddString("admin-token-file", &admin_token_file,
                  "File holding the admin token (else env GATEHOUSE_ADMIN_TOKEN). One of the two, "
                  "or --insecure-no-auth, is required.");
  flags.AddBool("insecure-no-auth", &insecure_no_auth,
                "Run WITHOUT authentication: every caller is the admin. Only with a loopback "
                "--listen; for development and demos.");
  flags.AddString("tls-cert", &tls_cert, "PEM certificate chain: serve gRPC over TLS.");
  flags.AddString("tls-key", &tls_key, "PEM private key of --tls-cert.");
  flags.AddInt("max-config-bytes", &max_config_bytes,
               "Largest zone config accepted; larger is RESOURCE_EXHAUSTED.");
  flags.AddInt("max-zones", &max_zones, "Most zones the deployment may hold.");
  int64_t compile_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  int64_t max_queued_compiles = 8;
  flags.AddInt("compile-threads", &compile_threads,
               "Threads that compile pushed configs (off the request threads, taking turns "
               "between tokens).");
  flags.AddInt("max-queued-compiles", &max_queued_compiles,
               "Compiles one token may have waiting; more is RESOURCE_EXHAUSTED.");
  std::string log_level = "info";
  flags.AddString("log-level", &log_level,
                  "Least severe log lines written to stderr: debug, info, warning or error.");
  if (!flags.ParseOrExit(argc, argv).empty()) {
    std::fprintf(stderr, "control: takes no positional arguments\n");
    return 2;
  }
  if (gatehouse::logging::Level level; gatehouse::logging::ParseLevel(log_level, &level)) {
    gatehouse::logging::SetMinLevel(level);
  } else {
    std::fprintf(stderr, "control: --log-level must be debug, info, warning or error\n");
    return 2;
  }
  const auto address = gatehouse::ParseHostPort(listen);
  if (!address.ok()) {
    std::fprintf(stderr, "control: --listen: %s\n", std::string(address.status().message()).c_str());
    return 2;
  }

  auto admin_token = AdminToken(admin_token_file, insecure_no_auth, *address);
  if (!admin_token.ok()) {
    std::fprintf(stderr, "control: %s\n", std::string(admin_token.status().message()).c_str());
    return 2;
  }
  if (tls_cert.empty() != tls_key.empty()) {
    std::fprintf(stderr, "control: --tls-cert and --tls-key go together\n");
    return 2;
  }
  std::string tls_cert_pem;
  std::string tls_key_pem;
  if (!tls_cert.empty() && (!gatehouse::ReadFile(tls_cert, &tls_cert_pem) ||
                            !gatehouse::ReadFile(tls_key, &tls_key_pem))) {
    std::fprintf(stderr, "control: cannot read --tls-cert or --tls-key\n");
    return 2;
  }

  std::unique_ptr<gatehouse::api::ConfigStore> store;
  if (data_dir.empty()) {
    store = std::make_unique<gatehouse::api::MemoryConfigStore>();
  } else {
    auto opened = gatehouse::api::SqliteConfigStore::Open(data_dir);
    if (!opened.ok()) {
      std::fprintf(stderr, "control: %s\n", std::string(opened.status().message()).c_str());
      return 1;
    }
    store = *std::move(opened);
  }
  auto tokens = gatehouse::api::SqliteTokenStore::Open(
      data_dir.empty() ? ":memory:" : data_dir + "/gatehouse.db");
  if (!tokens.ok()) {
    std::fprintf(stderr, "control: %s\n", std::string(tokens.status().message()).c_str());
    return 1;
  }
  gatehouse::api::AuthenticatorImpl authenticator(*admin_token, **tokens);
  if (!authenticator.enabled()) {
    std::fprintf(stderr,
                 "control: WARNING: --insecure-no-auth: authentication is DISABLED and every "
                 "caller is the admin (loopback development only).\n");
  }

  const auto load_started = std::chrono::steady_clock::now();
  gatehouse::api::SnapshotPublisher publisher(store->Lineage());
  gatehouse::api::ControllerLimits limits;
  limits.max_config_bytes = static_cast<size_t>(max_config_bytes);
  limits.max_zones = static_cast<size_t>(max_zones);
  if (compile_threads < 1 || max_queued_compiles < 1) {
    std::fprintf(stderr,
                 "control: --compile-threads and --max-queued-compiles must be at least 1\n");
    return 2;
  }
  gatehouse::api::CompileScheduler scheduler(
      {static_cast<int>(compile_threads), static_cast<size_t>(max_queued_compiles)});
  gatehouse::api::ConfigController controller(*store, publisher, {}, limits, &scheduler);
  if (auto status = controller.LoadFromStore(); !status.ok()) {
    std::fprintf(stderr, "control: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  const auto load_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - load_started)
                           .count();
  GH_LOG(INFO) << "loaded " << publisher.Current()->zones.size() << " zones at snapshot "
               << publisher.Current()->version << " in " << load_ms << " ms";
  // Stores written before host names were checked may hold overlapping claims: say so, rather
  // than let the proxies' order decide (they serve a name claimed twice by neither zone).
  for (const auto& overlap : controller.HostOverlaps()) {
    GH_LOG(WARNING) << "host name claims overlap: zone " << overlap.zone << " claims \""
                    << overlap.conflict.claim << "\", zone " << overlap.conflict.other_zone
                    << " claims \"" << overlap.conflict.other_claim
                    << "\"; fix with `gatectl push --transfer-hostnames` (admin) or by editing "
                       "one zone";
  }
  gatehouse::api::ProxyRegistry proxies;
  gatehouse::api::ConfigServiceImpl config_service(controller, *store, authenticator, proxies);
  gatehouse::api::SnapshotServiceImpl snapshot_service(publisher, authenticator, proxies);
  gatehouse::api::TokenServiceImpl token_service(
      **tokens, authenticator, [&snapshot_service] { snapshot_service.TokensRevoked(); });

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!tls_cert_pem.empty()) {
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({tls_key_pem, tls_cert_pem});
    credentials = grpc::SslServerCredentials(ssl);
  }
  builder.AddListeningPort(listen, credentials, &port);
  // gRPC binds with SO_REUSEPORT by default, so a second control plane on a busy port would
  // start and take a share of the connections with its own stale state. Fail instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // A config at the limit still fits, with room for the rest of the request.
  builder.SetMaxReceiveMessageSize(static_cast<int>(max_config_bytes) + (64 << 10));
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<gatehouse::api::MalformedRequestInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&config_service);
  builder.RegisterService(&snapshot_service);
  builder.RegisterService(&token_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "control: cannot listen on %s: %s\n", listen.c_str(),
                 gatehouse::BindProblem(*address).c_str());
    return 1;
  }
  gatehouse::HostPort bound = *address;
  bound.port = static_cast<uint16_t>(port);
  std::printf("ready grpc=%s\n", bound.ToString().c_str());
  std::fflush(stdout);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  publisher.Shutdown();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

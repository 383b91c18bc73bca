// proxy: the Gatehouse data plane. Serves HTTP with the snapshot it receives from the control
// plane, swapping new snapshots in atomically under live traffic.
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <cstdio>
#include <thread>

#include "common/flags.h"
#include "common/host_port.h"
#include "runtime/admin/admin_endpoints.h"
#include "runtime/observability/metrics.h"
#include "runtime/http/proxy_server.h"
#include "runtime/http/request_handler.h"
#include "runtime/snapshot/control_plane_watcher.h"
#include "runtime/snapshot/snapshot_store.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

std::string DefaultNodeId() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:8080";
  std::string admin = "127.0.0.1:9901";
  std::string control = "127.0.0.1:50051";
  std::string node_id = DefaultNodeId();
  int64_t workers = std::max(1u, std::thread::hardware_concurrency());
  int64_t connect_timeout_ms = 3000;
  int64_t response_timeout_ms = 30000;
  bool snapshot_header = true;
  std::string token_file;
  gatehouse::FlagSet flags("proxy", "proxy [flags]",
                           "The Gatehouse data plane: an HTTP/1.1 reverse proxy that runs each "
                           "request through the zone's compiled rules.");
  flags.AddString("listen", &listen, "HTTP address to listen on, HOST:PORT (port 0 picks one).");
  flags.AddString("admin", &admin,
                  "Admin address (/metrics, /healthz, /readyz, /snapshot), HOST:PORT; empty: off.");
  flags.AddString("control", &control,
                  "Control plane gRPC address, HOST:PORT, to receive snapshots from.");
  flags.AddString("node-id", &node_id, "This proxy's name in reports to the control plane.");
  flags.AddInt("workers", &workers, "Worker threads, each with its own listening socket.");
  flags.AddInt("connect-timeout-ms", &connect_timeout_ms, "Origin connect timeout.");
  flags.AddInt("response-timeout-ms", &response_timeout_ms, "Origin response timeout.");
  flags.AddBool("snapshot-header", &snapshot_header,
                "Name the serving snapshot version in a gatehouse-snapshot response header.");
  flags.AddString("token-file", &token_file, "File holding this proxy's node token (watch).");
  if (!flags.ParseOrExit(argc, argv).empty()) {
    std::fprintf(stderr, "proxy: takes no positional arguments\n");
    return 2;
  }
  if (auto parsed = gatehouse::ParseHostPort(control, /*allow_zero_port=*/false); !parsed.ok()) {
    std::fprintf(stderr, "proxy: --control: %s\n", std::string(parsed.status().message()).c_str());
    return 2;
  }

  gatehouse::runtime::SnapshotStore store;
  gatehouse::runtime::RequestHandlerOptions handler_options;
  handler_options.upstream.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
  handler_options.upstream.response_timeout = std::chrono::milliseconds(response_timeout_ms);
  handler_options.snapshot_version_header = snapshot_header;
  gatehouse::runtime::ProxyMetrics metrics;
  gatehouse::runtime::RequestHandler handler(store, handler_options, &metrics);

  gatehouse::runtime::ProxyServerOptions server_options;
  server_options.listen = listen;
  server_options.workers = static_cast<int>(workers);
  gatehouse::runtime::ProxyServer server(server_options, handler);
  if (auto status = server.Start(); !status.ok()) {
    std::fprintf(stderr, "proxy: %s\n", std::string(status.message()).c_str());
    return 1;
  }

  metrics.AddGauge("gatehouse_snapshot_version", "Version of the snapshot being served.", [&] {
    const auto current = store.Current();
    return current == nullptr ? 0.0 : static_cast<double>(current->version());
  });
  metrics.AddCounter("gatehouse_snapshot_swaps_total", "Snapshots swapped in.",
                     [&] { return static_cast<double>(store.swap_count()); });
  metrics.AddGauge("gatehouse_live_snapshots",
                   "Snapshots in memory: the served one and any still pinned by requests.",
                   [] { return static_cast<double>(gatehouse::runtime::LinkedSnapshot::LiveCount()); });
  std::unique_ptr<gatehouse::runtime::SimpleHttpServer> admin_server;
  std::string admin_ready;
  if (!admin.empty()) {
    admin_server = std::make_unique<gatehouse::runtime::SimpleHttpServer>(
        admin, gatehouse::runtime::MakeAdminHandler(store, metrics));
    if (auto status = admin_server->Bind(); !status.ok()) {
      std::fprintf(stderr, "proxy: --admin: %s\n", std::string(status.message()).c_str());
      return 1;
    }
    admin_server->Start();
    auto admin_address = *gatehouse::ParseHostPort(admin);
    admin_address.port = admin_server->port();
    admin_ready = " admin=" + admin_address.ToString();
  }

  std::string token;
  if (!token_file.empty() && !std::getline(std::ifstream(token_file), token)) {
    std::fprintf(stderr, "proxy: cannot read --token-file %s\n", token_file.c_str());
    return 2;
  }
  gatehouse::runtime::ControlPlaneWatcher watcher({control, node_id, token, 100, 5000}, store,
                                                  nullptr);
  watcher.Start();

  auto address = *gatehouse::ParseHostPort(listen);
  address.port = server.port();
  std::printf("ready http=%s%s\n", address.ToString().c_str(), admin_ready.c_str());
  std::fflush(stdout);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  watcher.Stop();
  server.Stop();
  if (admin_server != nullptr) admin_server->Stop();
  return 0;
}

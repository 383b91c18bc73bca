// proxy: the Gatehouse data plane. Serves HTTP with the snapshot it receives from the control
// plane, swapping new snapshots in atomically under live traffic.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <thread>

#include "common/flags.h"
#include "common/host_port.h"
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
  std::string control = "127.0.0.1:50051";
  std::string node_id = DefaultNodeId();
  int64_t workers = std::max(1u, std::thread::hardware_concurrency());
  int64_t connect_timeout_ms = 3000;
  int64_t response_timeout_ms = 30000;
  bool snapshot_header = true;
  gatehouse::FlagSet flags("proxy", "proxy [flags]",
                           "The Gatehouse data plane: an HTTP/1.1 reverse proxy that runs each "
                           "request through the zone's compiled rules.");
  flags.AddString("listen", &listen, "HTTP address to listen on, HOST:PORT (port 0 picks one).");
  flags.AddString("control", &control,
                  "Control plane gRPC address, HOST:PORT, to receive snapshots from.");
  flags.AddString("node-id", &node_id, "This proxy's name in reports to the control plane.");
  flags.AddInt("workers", &workers, "Worker threads, each with its own listening socket.");
  flags.AddInt("connect-timeout-ms", &connect_timeout_ms, "Origin connect timeout.");
  flags.AddInt("response-timeout-ms", &response_timeout_ms, "Origin response timeout.");
  flags.AddBool("snapshot-header", &snapshot_header,
                "Name the serving snapshot version in a gatehouse-snapshot response header.");
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
  gatehouse::runtime::RequestHandler handler(store, handler_options);

  gatehouse::runtime::ProxyServerOptions server_options;
  server_options.listen = listen;
  server_options.workers = static_cast<int>(workers);
  gatehouse::runtime::ProxyServer server(server_options, handler);
  if (auto status = server.Start(); !status.ok()) {
    std::fprintf(stderr, "proxy: %s\n", std::string(status.message()).c_str());
    return 1;
  }

  gatehouse::runtime::ControlPlaneWatcher watcher({control, node_id, "", 100, 5000}, store,
                                                  nullptr);
  watcher.Start();

  auto address = *gatehouse::ParseHostPort(listen);
  address.port = server.port();
  std::printf("ready http=%s\n", address.ToString().c_str());
  std::fflush(stdout);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  watcher.Stop();
  server.Stop();
  return 0;
}

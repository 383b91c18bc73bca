// control: the Gatehouse control plane. Serves ConfigService and SnapshotService over gRPC.
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <memory>
#include <thread>

#include "api/config_controller.h"
#include "api/config_service_impl.h"
#include "api/memory_config_store.h"
#include "api/snapshot_publisher.h"
#include "api/snapshot_service_impl.h"
#include "api/sqlite_config_store.h"
#include "common/flags.h"
#include "common/host_port.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/grpcpp.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

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
  if (!flags.ParseOrExit(argc, argv).empty()) {
    std::fprintf(stderr, "control: takes no positional arguments\n");
    return 2;
  }
  if (auto address = gatehouse::ParseHostPort(listen); !address.ok()) {
    std::fprintf(stderr, "control: --listen: %s\n", std::string(address.status().message()).c_str());
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
  gatehouse::api::SnapshotPublisher publisher;
  gatehouse::api::ConfigController controller(*store, publisher);
  if (auto status = controller.LoadFromStore(); !status.ok()) {
    std::fprintf(stderr, "control: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  gatehouse::api::ConfigServiceImpl config_service(controller, *store);
  gatehouse::api::SnapshotServiceImpl snapshot_service(publisher);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&config_service);
  builder.RegisterService(&snapshot_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "control: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  auto address = *gatehouse::ParseHostPort(listen);
  address.port = static_cast<uint16_t>(port);
  std::printf("ready grpc=%s\n", address.ToString().c_str());
  std::fflush(stdout);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  publisher.Shutdown();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

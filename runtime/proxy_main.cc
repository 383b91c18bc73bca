// proxy: the Gatehouse data plane. Serves HTTP with the snapshot it receives from the control
// plane or reads from a file, swapping new snapshots in atomically under live traffic.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/flags.h"
#include "runtime/proxy_instance.h"
#include "runtime/restart/upgrade.h"

namespace {

int Usage(const std::string& message) {
  std::fprintf(stderr, "proxy: %s\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace runtime = gatehouse::runtime;
  runtime::ProxyOptions options;
  gatehouse::FlagSet flags("proxy", "proxy [flags]",
                           "The Gatehouse data plane: an HTTP/1.1 reverse proxy that runs each "
                           "request through the zone's compiled rules.");
  runtime::AddProxyFlags(flags, options);
  const std::vector<std::string> positional = flags.ParseOrExit(argc, argv);
  if (positional == std::vector<std::string>{"upgrade"}) {
    if (options.pid_file.empty()) return Usage("upgrade needs --pid-file");
    return runtime::RunUpgradeCommand(options.pid_file,
                                      std::chrono::milliseconds(options.upgrade_timeout_ms) +
                                          std::chrono::seconds(5));
  }
  if (!positional.empty()) return Usage("the only command is `upgrade`");

  runtime::ProxyInstance proxy(std::move(options), std::vector<std::string>(argv, argv + argc));
  if (const absl::Status started = proxy.Start(); !started.ok()) {
    // A stop signal while a successor waited for its snapshot: nothing to say.
    if (absl::IsCancelled(started)) return 1;
    if (absl::IsInvalidArgument(started)) return Usage(std::string(started.message()));
    std::fprintf(stderr, "proxy: %s\n", std::string(started.message()).c_str());
    return 1;
  }
  proxy.Run();
  return 0;
}

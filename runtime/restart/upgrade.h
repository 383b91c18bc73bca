#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::runtime {

// A binary upgrade without a refused connection, after nginx's SIGUSR2 and shellflip:
//
//   old proxy                                   new proxy (same argv, GATEHOUSE_UPGRADE_FD=n)
//   ─ spawn the binary ──────────────────────►  TakeInheritedListeners(): the listening sockets
//   ─ SendFds(listeners) ────────────────────►  serve them; load the snapshot
//   ◄──────────────────────────── "ready PID" ─  ReportReady()
//   stop accepting, drain, exit
//
// The old instance keeps serving until the new one reports ready; if it exits or stays silent
// past the timeout, the upgrade fails and nothing changed. A deployer observes the outcome with
// `proxy upgrade --pid-file PATH`, which talks to the coordination socket "<pid file>.sock".

// The environment variable that tells a new instance which descriptor leads to its predecessor.
inline constexpr char kUpgradeFdVariable[] = "GATEHOUSE_UPGRADE_FD";

// In the running proxy: performs upgrades, one at a time, on request from the coordination
// socket or from SIGUSR2 (TriggerAsync).
class UpgradeCoordinator {
 public:
  struct Options {
    std::string socket_path;            // the coordination socket; empty: none
    std::vector<std::string> argv;      // the new instance's command line (argv[0] the binary)
    std::chrono::milliseconds ready_timeout{30000};
  };
  struct Hooks {
    // The listening sockets to hand over, in an order the new instance understands, and a
    // description of them (e.g. "http=3 admin=1").
    std::function<std::pair<std::vector<int>, std::string>()> listeners;
    // Called once the new instance is ready: stop accepting and drain.
    std::function<void(pid_t new_pid)> on_replaced;
  };

  UpgradeCoordinator(Options options, Hooks hooks);
  ~UpgradeCoordinator();

  // Binds the coordination socket (when one is configured) and serves it on a thread.
  absl::Status Start();
  void Stop();

  // Starts an upgrade on a thread (SIGUSR2); the result goes to stderr.
  void TriggerAsync();

  // Runs one upgrade now: the new instance's pid, or why it failed. FAILED_PRECONDITION when
  // another upgrade is running.
  absl::StatusOr<pid_t> Upgrade();

 private:
  void Serve();
  // Binds the coordination socket path to a new listening socket (replacing listen_fd_).
  absl::Status Bind();
  absl::StatusOr<pid_t> SpawnAndHandOver();

  const Options options_;
  const Hooks hooks_;
  std::mutex running_;                 // held for the whole of one upgrade
  std::atomic<bool> replaced_{false};  // after success no second upgrade starts
  std::atomic<int> listen_fd_{-1};  // replaced by Bind after a failed upgrade
  std::atomic<bool> stopping_{false};
  std::thread server_;
  std::vector<std::thread> triggered_;
};

// In a new instance: the listening sockets handed over by its predecessor, with their
// description, or nullopt when this process was not started by an upgrade.
struct InheritedListeners {
  int channel = -1;  // to the predecessor; ReportReady writes to it
  std::vector<int> fds;
  std::string description;
};
absl::StatusOr<std::optional<InheritedListeners>> TakeInheritedListeners();

// Tells the predecessor this instance serves; closes the channel.
absl::Status ReportReady(InheritedListeners& inherited);

// `proxy upgrade --pid-file PATH`: asks the running proxy for an upgrade and waits for the
// outcome. Returns the process exit code and prints the outcome.
int RunUpgradeCommand(const std::string& pid_file, std::chrono::milliseconds timeout);

// The coordination socket of a pid file.
std::string CoordinationSocketPath(const std::string& pid_file);

// Writes `pid` to `path` atomically (temp file and rename).
absl::Status WritePidFile(const std::string& path, pid_t pid);

}  // namespace gatehouse::runtime

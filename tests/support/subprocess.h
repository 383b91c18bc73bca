#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::testing {

// A real child process for integration tests. Its stdout is piped to the test; its stderr goes
// to the test's own stderr (the test log). The destructor stops it (SIGTERM, then SIGKILL).
class Subprocess {
 public:
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(std::vector<std::string> argv);
  ~Subprocess();

  // Reads stdout until the "ready key=value ..." line every Gatehouse server prints once it
  // listens, and returns its pairs (e.g. {"http": "127.0.0.1:41234"}).
  absl::StatusOr<std::map<std::string, std::string>> WaitReady(std::chrono::milliseconds timeout);

  void Signal(int signal);
  // Waits for exit and returns the exit status (128 + signal when killed by one).
  int Wait();
  pid_t pid() const { return pid_; }

 private:
  Subprocess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  pid_t pid_;
  int stdout_fd_;
  bool exited_ = false;
  int exit_status_ = 0;
  std::string pending_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  bool timed_out = false;  // killed at the deadline
};

// Runs a command to completion, killing it (SIGKILL) if it runs past `timeout`.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A path under the test's private temporary directory.
std::string TempPath(const std::string& name);

// Writes `content` to `path`, replacing it.
void WriteFile(const std::string& path, const std::string& content);

}  // namespace gatehouse::testing

#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <fstream>
#include <thread>

extern char** environ;

namespace gatehouse::testing {
namespace {

std::vector<char*> ToArgv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return argv;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string ReadAll(int fd) {
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(std::vector<std::string> args) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  std::vector<char*> argv = ToArgv(args);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (error != 0) {
    close(out[0]);
    return absl::InternalError("cannot start " + args[0] + ": " + std::strerror(error));
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, out[0]));
}

Subprocess::~Subprocess() {
  if (!exited_) {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100 && !exited_; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!exited_) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  close(stdout_fd_);
}

absl::StatusOr<std::map<std::string, std::string>> Subprocess::WaitReady(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t newline;
    while ((newline = pending_.find('\n')) != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      if (line.rfind("ready ", 0) != 0) continue;
      std::map<std::string, std::string> pairs;
      size_t start = 6;
      while (start < line.size()) {
        size_t end = line.find(' ', start);
        if (end == std::string::npos) end = line.size();
        const std::string pair = line.substr(start, end - start);
        const size_t eq = pair.find('=');
        if (eq != std::string::npos) pairs[pair.substr(0, eq)] = pair.substr(eq + 1);
        start = end + 1;
      }
      return pairs;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return absl::DeadlineExceededError("no ready line in time");
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[1024];
    const ssize_t n = read(stdout_fd_, buffer, sizeof(buffer));
    if (n <= 0) return absl::UnavailableError("process exited before it was ready");
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

void Subprocess::Signal(int signal) {
  if (!exited_) kill(pid_, signal);
}

int Subprocess::Wait() {
  if (!exited_) {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    exit_status_ = DecodeStatus(status);
  }
  return exit_status_;
}

CommandResult RunCommand(const std::vector<std::string>& command,
                         std::chrono::milliseconds timeout) {
  CommandResult result;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  std::vector<std::string> args = command;
  std::vector<char*> argv = ToArgv(args);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  if (error == 0) {
    // A command that hangs is killed at the deadline, so a stall fails the test instead of
    // holding it until Bazel's timeout.
    std::mutex mutex;
    std::condition_variable finished_cv;
    bool finished = false;
    std::thread watchdog([&] {
      std::unique_lock lock(mutex);
      if (!finished_cv.wait_for(lock, timeout, [&] { return finished; })) {
        result.timed_out = true;
        kill(pid, SIGKILL);
      }
    });
    // Drain stderr on a thread so neither pipe can fill and block the child.
    std::thread err_reader([&] { result.err = ReadAll(err[0]); });
    result.out = ReadAll(out[0]);
    err_reader.join();
    int status = 0;
    waitpid(pid, &status, 0);
    {
      std::lock_guard lock(mutex);
      finished = true;
    }
    finished_cv.notify_all();
    watchdog.join();
    result.exit_code = DecodeStatus(status);
    if (result.timed_out) {
      result.err += "\n(timed out after " + std::to_string(timeout.count()) + " ms)";
    }
  }
  close(out[0]);
  close(err[0]);
  return result;
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

}  // namespace gatehouse::testing

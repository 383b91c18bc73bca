#include "runtime/restart/upgrade.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "common/logging.h"
#include "runtime/restart/fd_passing.h"

extern char** environ;

namespace gatehouse::runtime {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

sockaddr_un UnixAddress(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  return address;
}

// Reads one line (without the newline) within `timeout`.
absl::StatusOr<std::string> ReadLine(int fd, std::chrono::milliseconds timeout) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return absl::DeadlineExceededError("no answer in time");
    pollfd waiting{fd, POLLIN, 0};
    const int ready = poll(&waiting, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char c;
    const ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::UnavailableError("the connection closed");
    if (c == '\n') return line;
    line += c;
    if (line.size() > 4096) return absl::OutOfRangeError("line too long");
  }
}

void WriteLine(int fd, const std::string& line) {
  const std::string out = line + "\n";
  (void)!write(fd, out.data(), out.size());
}

}  // namespace

std::string CoordinationSocketPath(const std::string& pid_file) { return pid_file + ".sock"; }

absl::Status WritePidFile(const std::string& path, pid_t pid) {
  const std::string temp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temp, std::ios::trunc);
    out << pid << "\n";
    if (!out.flush()) return absl::UnavailableError("cannot write " + temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(Errno("rename to " + path));
  }
  return absl::OkStatus();
}

UpgradeCoordinator::UpgradeCoordinator(Options options, Hooks hooks)
    : options_(std::move(options)), hooks_(std::move(hooks)) {}

UpgradeCoordinator::~UpgradeCoordinator() { Stop(); }

absl::Status UpgradeCoordinator::Bind() {
  if (options_.socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    return absl::InvalidArgumentError("coordination socket path " + options_.socket_path +
                                      " is longer than a Unix socket path may be");
  }
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::UnavailableError(Errno("socket"));
  // The path may hold an earlier instance's socket; this instance owns the path now. Bind to a
  // temporary name and rename it over the path, so a client never finds the path missing.
  const std::string temporary = options_.socket_path + "." + std::to_string(getpid());
  unlink(temporary.c_str());
  const sockaddr_un address = UnixAddress(temporary);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, 8) != 0 || std::rename(temporary.c_str(), options_.socket_path.c_str()) != 0) {
    const absl::Status status =
        absl::UnavailableError(Errno("coordination socket " + options_.socket_path));
    close(fd);
    unlink(temporary.c_str());
    return status;
  }
  const int previous = listen_fd_.exchange(fd);
  if (previous >= 0) close(previous);
  return absl::OkStatus();
}

absl::Status UpgradeCoordinator::Start() {
  if (options_.socket_path.empty()) return absl::OkStatus();
  if (auto status = Bind(); !status.ok()) return status;
  server_ = std::thread([this] { Serve(); });
  return absl::OkStatus();
}

void UpgradeCoordinator::Stop() {
  stopping_ = true;
  if (listen_fd_ >= 0) shutdown(listen_fd_, SHUT_RDWR);
  if (server_.joinable()) server_.join();
  for (std::thread& thread : triggered_) {
    if (thread.joinable()) thread.join();
  }
  triggered_.clear();
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
  }
}

void UpgradeCoordinator::Serve() {
  while (!stopping_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (poll(&waiting, 1, 200) <= 0) continue;
    const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    auto request = ReadLine(client, std::chrono::seconds(5));
    if (request.ok() && *request == "upgrade") {
      auto result = Upgrade();
      WriteLine(client, result.ok() ? "ok " + std::to_string(*result)
                                    : "error " + std::string(result.status().message()));
    } else {
      WriteLine(client, "error expected \"upgrade\"");
    }
    close(client);
  }
}

void UpgradeCoordinator::TriggerAsync() {
  triggered_.emplace_back([this] {
    auto result = Upgrade();
    if (result.ok()) {
      GH_LOG(INFO) << "upgraded: pid " << *result << " now serves";
    } else {
      GH_LOG(ERROR) << "upgrade failed, still serving: " << result.status().message();
    }
  });
}

absl::StatusOr<pid_t> UpgradeCoordinator::Upgrade() {
  std::unique_lock lock(running_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return absl::FailedPreconditionError("an upgrade is already running");
  }
  if (replaced_) return absl::FailedPreconditionError("this instance was already replaced");
  auto pid = SpawnAndHandOver();
  if (pid.ok()) {
    replaced_ = true;
    hooks_.on_replaced(*pid);
  } else if (!options_.socket_path.empty()) {
    // The failed instance may have taken the coordination socket's path: take it back, so the
    // next upgrade reaches this instance.
    if (auto status = Bind(); !status.ok()) {
      GH_LOG(ERROR) << status.message();
    }
  }
  return pid;
}

absl::StatusOr<pid_t> UpgradeCoordinator::SpawnAndHandOver() {
  if (options_.argv.empty()) return absl::FailedPreconditionError("no command line to start");
  int channel[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0) {
    return absl::UnavailableError(Errno("socketpair"));
  }
  // The child's end survives exec: dup2 onto itself clears close-on-exec (glibc >= 2.29).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, channel[1], channel[1]);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, kUpgradeFdVariable, std::strlen(kUpgradeFdVariable)) != 0) {
      env_strings.emplace_back(*e);
    }
  }
  env_strings.push_back(std::string(kUpgradeFdVariable) + "=" + std::to_string(channel[1]));
  std::vector<char*> env;
  for (auto& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  std::vector<std::string> args = options_.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(channel[1]);
  if (spawned != 0) {
    close(channel[0]);
    return absl::UnavailableError("cannot start " + args[0] + ": " + std::strerror(spawned));
  }
  // Why the new instance did not become ready: how it ended if it ended (given a moment to be
  // reaped), else `why`, and then it is killed. Either way this instance keeps serving.
  const auto fail = [&](const std::string& why) -> absl::Status {
    close(channel[0]);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return absl::UnavailableError("the new instance exited with status " +
                                      std::to_string(code) + " before it was ready");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return absl::UnavailableError(why);
  };
  const auto [fds, description] = hooks_.listeners();
  if (auto sent = SendFds(channel[0], fds, "listeners " + description); !sent.ok()) {
    return fail("handing over the listeners: " + std::string(sent.message()));
  }
  auto answer = ReadLine(channel[0], options_.ready_timeout);
  if (!answer.ok()) {
    return fail("the new instance did not report ready: " + std::string(answer.status().message()));
  }
  if (answer->rfind("ready ", 0) != 0) {
    return fail("the new instance said \"" + *answer + "\"");
  }
  close(channel[0]);
  return pid;
}

absl::StatusOr<std::optional<InheritedListeners>> TakeInheritedListeners() {
  const char* value = std::getenv(kUpgradeFdVariable);
  if (value == nullptr) return std::optional<InheritedListeners>();
  InheritedListeners inherited;
  inherited.channel = std::atoi(value);
  unsetenv(kUpgradeFdVariable);
  fcntl(inherited.channel, F_SETFD, FD_CLOEXEC);
  auto received = ReceiveFds(inherited.channel, std::chrono::seconds(10));
  if (!received.ok()) return received.status();
  if (received->message.rfind("listeners ", 0) != 0) {
    return absl::InvalidArgumentError("unexpected hand-over message \"" + received->message + "\"");
  }
  inherited.fds = std::move(received->fds);
  inherited.description = received->message.substr(10);
  return std::optional<InheritedListeners>(std::move(inherited));
}

absl::Status ReportReady(InheritedListeners& inherited) {
  const std::string line = "ready " + std::to_string(getpid()) + "\n";
  const ssize_t n = write(inherited.channel, line.data(), line.size());
  close(inherited.channel);
  inherited.channel = -1;
  if (n != static_cast<ssize_t>(line.size())) return absl::UnavailableError("cannot report ready");
  return absl::OkStatus();
}

int RunUpgradeCommand(const std::string& pid_file, std::chrono::milliseconds timeout) {
  const std::string path = CoordinationSocketPath(pid_file);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_un address = UnixAddress(path);
  if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    std::fprintf(stderr, "proxy upgrade: no running proxy at %s: %s\n", path.c_str(),
                 std::strerror(errno));
    if (fd >= 0) close(fd);
    return 1;
  }
  WriteLine(fd, "upgrade");
  auto answer = ReadLine(fd, timeout);
  close(fd);
  if (!answer.ok()) {
    std::fprintf(stderr, "proxy upgrade: %s\n", std::string(answer.status().message()).c_str());
    return 1;
  }
  if (answer->rfind("ok ", 0) == 0) {
    std::printf("upgraded: pid %s serves\n", answer->substr(3).c_str());
    return 0;
  }
  std::fprintf(stderr, "proxy upgrade: %s\n",
               answer->rfind("error ", 0) == 0 ? answer->substr(6).c_str() : answer->c_str());
  return 1;
}

}  // namespace gatehouse::runtime

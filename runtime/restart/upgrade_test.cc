#include "runtime/restart/upgrade.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

constexpr char kChild[] = "runtime/restart/upgrade_test_child";

int LoopbackListener(uint16_t* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  listen(fd, 16);
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  *port = ntohs(address.sin_port);
  return fd;
}

std::string ReadGreeting(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return "";
  // A stalled child fails the test instead of hanging it.
  const timeval deadline{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &deadline, sizeof(deadline));
  char buffer[16] = {};
  const ssize_t n = read(fd, buffer, sizeof(buffer));
  close(fd);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
}

class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override { listener_ = LoopbackListener(&port_); }
  void TearDown() override { close(listener_); }

  UpgradeCoordinator::Hooks Hooks() {
    return {[this] { return std::make_pair(std::vector<int>{listener_}, std::string("http=1")); },
            [this](pid_t pid) { replaced_by_ = pid; }};
  }

  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<pid_t> replaced_by_{0};
};

TEST_F(UpgradeTest, NewInstanceServesTheHandedOverSocket) {
  UpgradeCoordinator coordinator({"", {kChild, "serve"}, std::chrono::seconds(10)}, Hooks());
  auto pid = coordinator.Upgrade();
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_EQ(replaced_by_, *pid);
  // Even with this process's copy closed, the new instance accepts on the same port.
  close(listener_);
  listener_ = -1;
  EXPECT_EQ(ReadGreeting(port_), "hello");
  int status = 0;
  waitpid(*pid, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(coordinator.Upgrade().status().code(), absl::StatusCode::kFailedPrecondition)
      << "an instance that was replaced does not upgrade again";
}

TEST_F(UpgradeTest, ANewInstanceThatFailsLeavesTheOldOneInCharge) {
  UpgradeCoordinator coordinator({"", {kChild, "fail"}, std::chrono::seconds(10)}, Hooks());
  auto pid = coordinator.Upgrade();
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(std::string(pid.status().message()).find("exited with status 3"), std::string::npos)
      << pid.status();
  EXPECT_EQ(replaced_by_, 0);

  UpgradeCoordinator missing({"", {"/nonexistent/proxy"}, std::chrono::seconds(1)}, Hooks());
  EXPECT_FALSE(missing.Upgrade().ok());
  EXPECT_EQ(replaced_by_, 0);
}

TEST_F(UpgradeTest, SilentInstanceTimesOutAndOneUpgradeAtATime) {
  UpgradeCoordinator coordinator({"", {kChild, "silent"}, std::chrono::milliseconds(1500)},
                                 Hooks());
  std::thread first([&] {
    auto pid = coordinator.Upgrade();
    EXPECT_FALSE(pid.ok());
    EXPECT_NE(std::string(pid.status().message()).find("did not report ready"),
              std::string::npos)
        << pid.status();
  });
  // Wait until the first upgrade holds the lock, then ask for a second.
  absl::Status second;
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    second = coordinator.Upgrade().status();
    if (second.code() == absl::StatusCode::kFailedPrecondition) break;
  }
  EXPECT_EQ(second.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(second.message()).find("already running"), std::string::npos);
  first.join();
  EXPECT_EQ(replaced_by_, 0);
}

TEST_F(UpgradeTest, UpgradeCommandReportsTheOutcome) {
  // Unix socket paths are short (108 bytes); TEST_TMPDIR can be longer.
  const std::string pid_file = "/tmp/gatehouse-upgrade-test-" + std::to_string(getpid()) + ".pid";
  ASSERT_TRUE(WritePidFile(pid_file, getpid()).ok());
  {
    UpgradeCoordinator failing(
        {CoordinationSocketPath(pid_file), {kChild, "fail"}, std::chrono::seconds(10)}, Hooks());
    ASSERT_TRUE(failing.Start().ok());
    EXPECT_EQ(RunUpgradeCommand(pid_file, std::chrono::seconds(20)), 1);
  }
  UpgradeCoordinator coordinator(
      {CoordinationSocketPath(pid_file), {kChild, "serve"}, std::chrono::seconds(10)}, Hooks());
  ASSERT_TRUE(coordinator.Start().ok());
  EXPECT_EQ(RunUpgradeCommand(pid_file, std::chrono::seconds(20)), 0);
  EXPECT_NE(replaced_by_, 0);
  EXPECT_EQ(ReadGreeting(port_), "hello");
  int status = 0;
  waitpid(replaced_by_, &status, 0);
  coordinator.Stop();
  EXPECT_EQ(RunUpgradeCommand(pid_file + ".nobody", std::chrono::seconds(1)), 1);
  unlink(pid_file.c_str());
  unlink(CoordinationSocketPath(pid_file).c_str());
}

}  // namespace
}  // namespace gatehouse::runtime

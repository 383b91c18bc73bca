#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "runtime/restart/fd_passing.h"
#include "runtime/restart/socket_activation.h"

namespace gatehouse::runtime {
namespace {

int LoopbackListener() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  listen(fd, 16);
  return fd;
}

uint16_t PortOf(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

TEST(FdPassingTest, ListeningSocketsCrossAUnixSocketAndStillAccept) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  const int first = LoopbackListener();
  const int second = LoopbackListener();
  ASSERT_TRUE(SendFds(pair[0], {first, second}, "listeners 2").ok());
  auto received = ReceiveFds(pair[1], std::chrono::seconds(2));
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(received->message, "listeners 2");
  ASSERT_EQ(received->fds.size(), 2u);
  // Same sockets: the same port, and close-on-exec set on the received copies.
  EXPECT_EQ(PortOf(received->fds[0]), PortOf(first));
  EXPECT_EQ(PortOf(received->fds[1]), PortOf(second));
  EXPECT_NE(fcntl(received->fds[0], F_GETFD) & FD_CLOEXEC, 0);
  // The sender closes its copies; a client still connects, and the receiver accepts it.
  close(first);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(PortOf(received->fds[0]));
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const int accepted = accept(received->fds[0], nullptr, nullptr);
  EXPECT_GE(accepted, 0);
  for (int fd : {client, accepted, second, received->fds[0], received->fds[1], pair[0], pair[1]}) {
    close(fd);
  }
}

TEST(FdPassingTest, MessageWithoutDescriptorsAndTimeout) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  EXPECT_EQ(ReceiveFds(pair[1], std::chrono::milliseconds(10)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE(SendFds(pair[0], {}, "ready").ok());
  auto received = ReceiveFds(pair[1], std::chrono::seconds(2));
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(received->message, "ready");
  EXPECT_TRUE(received->fds.empty());
  close(pair[0]);
  EXPECT_FALSE(ReceiveFds(pair[1], std::chrono::seconds(2)).ok()) << "peer closed";
  close(pair[1]);
  EXPECT_FALSE(SendFds(-1, {}, "x").ok());
  EXPECT_FALSE(SendFds(0, {}, "").ok());
}

TEST(SocketActivationTest, OnlyForThisProcess) {
  setenv("LISTEN_PID", std::to_string(getpid() + 1).c_str(), 1);
  setenv("LISTEN_FDS", "1", 1);
  EXPECT_TRUE(TakeSocketActivationFds().empty());
  EXPECT_EQ(std::getenv("LISTEN_FDS"), nullptr) << "cleared either way";

  // Put a listener at descriptor 3 as systemd would.
  const int listener = LoopbackListener();
  const int saved = fcntl(3, F_DUPFD_CLOEXEC, 100);  // keep whatever was at 3
  ASSERT_GE(dup2(listener, 3), 0);
  setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
  setenv("LISTEN_FDS", "1", 1);
  const std::vector<int> fds = TakeSocketActivationFds();
  ASSERT_EQ(fds, std::vector<int>{3});
  EXPECT_EQ(PortOf(3), PortOf(listener));
  EXPECT_NE(fcntl(3, F_GETFD) & FD_CLOEXEC, 0);
  if (saved >= 0) {
    dup2(saved, 3);
    close(saved);
  } else {
    close(3);
  }
  close(listener);
}

}  // namespace
}  // namespace gatehouse::runtime

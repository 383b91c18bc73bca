#include "runtime/http/socket_deadline.h"

#include <chrono>

#include "boost/asio/io_context.hpp"
#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

using std::chrono::milliseconds;

// A connected pair of loopback sockets on a port the kernel picks.
struct SocketPair {
  explicit SocketPair(asio::io_context& context) : client(context), server(context) {
    tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
  tcp::socket client;
  tcp::socket server;
};

class SocketDeadlineTest : public ::testing::Test {
 protected:
  SocketDeadlineTest() { sweeper_.Start(context_.get_executor()); }
  ~SocketDeadlineTest() override { sweeper_.Stop(); }

  // Starts a read that completes only by cancellation (the peer sends nothing).
  void StartRead(tcp::socket& socket, beast::error_code& result, bool& done) {
    socket.async_read_some(asio::buffer(byte_, 1), [&](const beast::error_code& error, size_t) {
      result = error;
      done = true;
    });
  }

  DeadlineSweeper sweeper_;  // outlives the context, as in a worker
  asio::io_context context_;
  char byte_[1];
};

TEST_F(SocketDeadlineTest, CancelsThePendingOperationWhenDue) {
  SocketPair pair(context_);
  SocketDeadline deadline(sweeper_, &pair.server);
  beast::error_code error;
  bool done = false;
  const auto start = std::chrono::steady_clock::now();
  deadline.Arm(milliseconds(50));
  StartRead(pair.server, error, done);
  context_.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(done);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(50));
  EXPECT_TRUE(deadline.fired());
  EXPECT_EQ(error, asio::error::operation_aborted);
  deadline.Disarm(error);
  EXPECT_EQ(error, beast::error::timeout);
  // The socket stays open: the proxy can still answer (408) on it.
  EXPECT_TRUE(pair.server.is_open());
}

TEST_F(SocketDeadlineTest, DisarmedDeadlineNeverFires) {
  SocketPair pair(context_);
  SocketDeadline deadline(sweeper_, &pair.server);
  deadline.Arm(milliseconds(20));
  deadline.Disarm();
  beast::error_code error;
  bool done = false;
  StartRead(pair.server, error, done);
  context_.run_for(milliseconds(150));
  EXPECT_FALSE(done);
  EXPECT_FALSE(deadline.fired());
  beast::error_code read_error = asio::error::eof;
  deadline.Disarm(read_error);
  EXPECT_EQ(read_error, asio::error::eof);  // not a timeout: the deadline did not cancel it
}

TEST_F(SocketDeadlineTest, AnEarlierDeadlineArmedLaterStillFiresFirst) {
  SocketPair slow(context_);
  SocketPair fast(context_);
  SocketDeadline slow_deadline(sweeper_, &slow.server);
  SocketDeadline fast_deadline(sweeper_, &fast.server);
  slow_deadline.Arm(std::chrono::seconds(30));
  fast_deadline.Arm(milliseconds(30));
  beast::error_code slow_error, fast_error;
  bool slow_done = false, fast_done = false;
  StartRead(slow.server, slow_error, slow_done);
  fast.server.async_read_some(asio::buffer(byte_, 1), [&](const beast::error_code& error, size_t) {
    fast_error = error;
    fast_done = true;
  });
  context_.run_for(milliseconds(500));
  EXPECT_TRUE(fast_done);
  EXPECT_TRUE(fast_deadline.fired());
  EXPECT_FALSE(slow_done);
  EXPECT_FALSE(slow_deadline.fired());
}

TEST_F(SocketDeadlineTest, DeadlinesUnregisterWhenDestroyed) {
  SocketPair pair(context_);
  SocketDeadline kept(sweeper_, &pair.server);
  {
    SocketDeadline first(sweeper_, &pair.server);
    SocketDeadline second(sweeper_, &pair.server);
    first.Arm(milliseconds(10));
    second.Arm(milliseconds(10));
  }
  // The sweep after their due time walks only what is still registered.
  kept.Arm(milliseconds(40));
  beast::error_code error;
  bool done = false;
  StartRead(pair.server, error, done);
  context_.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(done);
  EXPECT_TRUE(kept.fired());
}

TEST_F(SocketDeadlineTest, WatchFollowsANewSocket) {
  SocketPair first(context_);
  SocketPair second(context_);
  SocketDeadline deadline(sweeper_, nullptr);
  deadline.Watch(first.server);
  deadline.Watch(second.server);
  deadline.Arm(milliseconds(20));
  beast::error_code error;
  bool done = false;
  StartRead(second.server, error, done);
  context_.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(done);
  EXPECT_EQ(error, asio::error::operation_aborted);
}

}  // namespace
}  // namespace gatehouse::runtime

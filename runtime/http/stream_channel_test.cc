#include "runtime/http/stream_channel.h"

#include <string>

#include "boost/asio/io_context.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/write.hpp"
#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

// Runs what is ready (the io_context stops each time it runs out of work).
void Poll(asio::io_context& context) {
  context.restart();
  context.poll();
}

TEST(StreamChannelTest, ReadsWhatIsSuppliedThenEof) {
  asio::io_context context;
  int drained = 0;
  StreamChannel channel(context.get_executor(), 8, nullptr, nullptr, [&] { ++drained; });
  std::string got;
  beast::error_code last;
  char data[4];
  std::function<void()> read = [&] {
    channel.async_read_some(asio::buffer(data), [&](beast::error_code error, size_t n) {
      got.append(data, n);
      last = error;
      if (!error) read();
    });
  };
  read();
  Poll(context);
  EXPECT_TRUE(got.empty());  // waits for bytes
  channel.Supply("hello");
  Poll(context);
  EXPECT_EQ(got, "hello");
  EXPECT_GE(drained, 1);
  channel.EndInput();
  Poll(context);
  EXPECT_EQ(last, asio::error::eof);
}

TEST(StreamChannelTest, AFullOutputHoldsTheWriterBack) {
  asio::io_context context;
  int outputs = 0;
  StreamChannel channel(
      context.get_executor(), 4, nullptr, [&] { ++outputs; }, nullptr);
  bool written = false;
  asio::async_write(channel, asio::buffer(std::string_view("abcdefgh")),
                    [&](beast::error_code error, size_t n) {
                      EXPECT_FALSE(error);
                      EXPECT_EQ(n, 8u);
                      written = true;
                    });
  Poll(context);
  EXPECT_FALSE(written);
  EXPECT_EQ(channel.output().size(), 4u);
  channel.output().consume(4);
  channel.OutputTaken();
  Poll(context);
  EXPECT_TRUE(written);
  EXPECT_EQ(outputs, 2);
}

TEST(StreamChannelTest, AHeadGoesToTheProtocolAndTheBodyEndsAfterItsLastBytes) {
  asio::io_context context;
  int status = 0;
  std::string fields;
  int outputs = 0;
  StreamChannel channel(
      context.get_executor(), 16,
      [&](const ResponseFields& head) {
        status = head.status;
        for (const auto& [name, value] : head.fields) fields.append(name).append("=").append(value);
      },
      [&] { ++outputs; }, nullptr);
  ResponseFields head{.status = 200, .fields = {{"content-type", "text/plain"}}};
  channel.SubmitHead(head);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(fields, "content-type=text/plain");
  EXPECT_EQ(channel.output().size(), 0u);  // no HTTP/1.1 head among the bytes

  channel.EndBodyAfter(5);
  asio::async_write(channel, asio::buffer(std::string_view("abc")),
                    [](beast::error_code, size_t) {});
  Poll(context);
  EXPECT_FALSE(channel.output_ended());
  asio::async_write(channel, asio::buffer(std::string_view("de")),
                    [](beast::error_code, size_t) {});
  Poll(context);
  EXPECT_TRUE(channel.output_ended());
  EXPECT_EQ(channel.output().size(), 5u);
  EXPECT_EQ(outputs, 2);
}

TEST(StreamChannelTest, ABodylessResponseEndsAtOnce) {
  asio::io_context context;
  int outputs = 0;
  StreamChannel channel(
      context.get_executor(), 16, nullptr, [&] { ++outputs; }, nullptr);
  channel.EndBodyAfter(0);
  EXPECT_TRUE(channel.output_ended());
  EXPECT_EQ(outputs, 1);  // the protocol learns it (a deferred body ends)
}

TEST(StreamChannelTest, CancelAndResetFailPendingOperations) {
  asio::io_context context;
  StreamChannel channel(context.get_executor(), 4, nullptr, nullptr, nullptr);
  char data[4];
  beast::error_code read_error;
  channel.async_read_some(asio::buffer(data),
                          [&](beast::error_code error, size_t) { read_error = error; });
  channel.CancelPending();
  Poll(context);
  EXPECT_EQ(read_error, asio::error::operation_aborted);
  channel.Reset();
  beast::error_code write_error;
  channel.async_write_some(asio::buffer(std::string_view("x")),
                           [&](beast::error_code error, size_t) { write_error = error; });
  Poll(context);
  EXPECT_EQ(write_error, asio::error::connection_reset);
}

}  // namespace
}  // namespace gatehouse::runtime

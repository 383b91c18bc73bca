#include "runtime/http/downstream_request.h"

#include <optional>
#include <string>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/io_context.hpp"
#include "gtest/gtest.h"
#include "runtime/http/buffered_parse.h"
#include "runtime/http/client_stream.h"

namespace gatehouse::runtime {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr BodyTimeouts kTimeouts{milliseconds(30000), milliseconds(60000), 1024};

// A request whose bytes are all in the connection's buffer, its header parsed, on a stream that
// was never connected: a read that has to wait for the socket fails at once, as if the client
// had gone away. No socket is opened.
class BufferedRequest {
 public:
  explicit BufferedRequest(std::string_view bytes, size_t buffer_limit = 64 * 1024)
      : buffer_(buffer_limit) {
    parser_.body_limit(boost::none);
    const size_t n = asio::buffer_copy(buffer_.prepare(bytes.size()),
                                       asio::buffer(bytes.data(), bytes.size()));
    buffer_.commit(n);
    beast::error_code error;
    EXPECT_TRUE(ParseBufferedHeader(parser_, buffer_, error));
    EXPECT_FALSE(error) << error.message();
  }

  DownstreamBody Body(uint64_t limit = 1 << 20,
                      Clock::time_point started = Clock::now()) {
    return DownstreamBody(stream_, deadline_, buffer_, parser_, BodyDeadline(started, kTimeouts),
                          limit);
  }

  // Runs `task` to its end.
  template <typename T>
  T Run(asio::awaitable<T> task) {
    std::optional<T> result;
    asio::co_spawn(io_, std::move(task), [&](std::exception_ptr failure, T value) {
      if (failure) std::rethrow_exception(failure);
      result = std::move(value);
    });
    io_.run();
    io_.restart();
    return *std::move(result);
  }

  // Reads the rest of the body piece by piece; `result` tells how it ended.
  std::string ReadAll(DownstreamBody& body, BodyReadResult& result) {
    std::string out;
    char piece[4];
    while (!body.done() && result.ok()) {
      const size_t n = Run(body.ReadPiece(piece, sizeof(piece), result));
      out.append(piece, n);
    }
    return out;
  }

 private:
  asio::io_context io_;
  beast::tcp_stream tcp_{io_};
  ClientStream stream_{tcp_};
  DeadlineSweeper sweeper_;  // never started: no deadline fires
  SocketDeadline deadline_{sweeper_, nullptr};
  beast::flat_buffer buffer_;
  RequestParser parser_;
};

TEST(DownstreamBodyTest, ReadsAContentLengthBodyFromTheBuffer) {
  BufferedRequest request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  DownstreamBody body = request.Body();
  std::string prefix;
  const BodyReadResult result = request.Run(body.ReadPrefix(64, milliseconds(1000), prefix));
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(prefix, "hello");
  EXPECT_TRUE(body.done());
  EXPECT_EQ(body.received(), 5u);
}

TEST(DownstreamBodyTest, ThePrefixIsBoundedAndTheRestStreams) {
  BufferedRequest request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabcdefghij");
  DownstreamBody body = request.Body();
  std::string prefix;
  EXPECT_TRUE(request.Run(body.ReadPrefix(4, milliseconds(1000), prefix)).ok());
  EXPECT_EQ(prefix, "abcd");
  EXPECT_FALSE(body.done());
  BodyReadResult result;
  EXPECT_EQ(request.ReadAll(body, result), "efghij");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(body.received(), 10u);
}

TEST(DownstreamBodyTest, ReadsAChunkedBodyWithoutItsFraming) {
  BufferedRequest request(
      "POST / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n");
  DownstreamBody body = request.Body();
  BodyReadResult result;
  std::string trailers;
  EXPECT_EQ(body.Trailers(trailers), "");  // not read yet
  EXPECT_EQ(request.ReadAll(body, result), "helloabc");
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(body.done());
  EXPECT_EQ(body.received(), 8u);
  // The trailer section, apart from the header's fields.
  EXPECT_EQ(body.Trailers(trailers), "X-Trailer: 1\r\n");
}

TEST(DownstreamBodyTest, ABodyPastTheLimitIsRefused) {
  BufferedRequest request(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n");
  DownstreamBody body = request.Body(/*limit=*/5);
  BodyReadResult result;
  request.ReadAll(body, result);
  ASSERT_TRUE(result.refusal.has_value());
  EXPECT_EQ(result.refusal->status, http::status::payload_too_large);
  EXPECT_FALSE(result.client_gone);
}

TEST(DownstreamBodyTest, APrefixPastTheLimitIsRefused) {
  BufferedRequest request(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n");
  DownstreamBody body = request.Body(/*limit=*/5);
  std::string prefix;
  const BodyReadResult result = request.Run(body.ReadPrefix(64, milliseconds(1000), prefix));
  ASSERT_TRUE(result.refusal.has_value());
  EXPECT_EQ(result.refusal->action, "body_too_large");
}

TEST(DownstreamBodyTest, AMalformedChunkIsABadRequest) {
  BufferedRequest request(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  DownstreamBody body = request.Body();
  BodyReadResult result;
  request.ReadAll(body, result);
  ASSERT_TRUE(result.refusal.has_value());
  EXPECT_EQ(result.refusal->status, http::status::bad_request);
  EXPECT_EQ(result.refusal->text, "Malformed request body.\n");
}

TEST(DownstreamBodyTest, AClientThatStopsSendingHasGone) {
  BufferedRequest request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
  DownstreamBody body = request.Body();
  BodyReadResult result;
  EXPECT_EQ(request.ReadAll(body, result), "abc");
  EXPECT_TRUE(result.client_gone);
  EXPECT_FALSE(result.refusal.has_value());
}

TEST(DownstreamBodyTest, PastTheBodyDeadlineAReadThatMustWaitTimesOut) {
  BufferedRequest request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
  DownstreamBody body = request.Body(1 << 20, Clock::now() - std::chrono::seconds(61));
  BodyReadResult result;
  // What is buffered is still read; only the wait for more is refused.
  EXPECT_EQ(request.ReadAll(body, result), "abc");
  ASSERT_TRUE(result.refusal.has_value());
  EXPECT_EQ(result.refusal->status, http::status::request_timeout);
  EXPECT_EQ(result.refusal->action, "body_timeout");
}

TEST(DownstreamBodyTest, ExpectContinueIsAnsweredBeforeTheBodyIsRead) {
  BufferedRequest request(
      "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc");
  DownstreamBody body = request.Body();
  std::string prefix;
  // The 100 Continue cannot be written on a stream that was never connected: the client is
  // taken for gone before any byte of the body is read.
  const BodyReadResult result = request.Run(body.ReadPrefix(64, milliseconds(1000), prefix));
  EXPECT_TRUE(result.client_gone);
  EXPECT_EQ(body.received(), 0u);
}

TEST(DownstreamBodyTest, NoBodyReadsNothing) {
  BufferedRequest request("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n");
  DownstreamBody body = request.Body();
  std::string prefix = "stale";
  EXPECT_TRUE(request.Run(body.ReadPrefix(64, milliseconds(1000), prefix)).ok());
  EXPECT_EQ(prefix, "");
  EXPECT_TRUE(body.done());
}

TEST(BodyDeadlineTest, EachReadIsBoundedByWhatIsLeftOfTheWholeBodysTime) {
  const Clock::time_point start = Clock::now();
  const BodyDeadline deadline(start, kTimeouts);
  EXPECT_EQ(deadline.NextRead(0, start), milliseconds(30000));
  EXPECT_EQ(deadline.NextRead(0, start + std::chrono::seconds(50)), milliseconds(10000));
  // One second more for every 1,024 bytes received.
  EXPECT_EQ(deadline.NextRead(10 * 1024, start + std::chrono::seconds(50)), milliseconds(20000));
  EXPECT_LE(deadline.NextRead(0, start + std::chrono::seconds(61)).count(), 0);
  const BodyDeadline total(start, {milliseconds(30000), milliseconds(60000), 0});
  EXPECT_EQ(total.NextRead(1 << 30, start + std::chrono::seconds(50)), milliseconds(10000));
}

TEST(BodyReadRefusalTest, WhatAFailedReadMeans) {
  beast::flat_buffer buffer;
  auto put = [&](std::string_view pending) {
    buffer.clear();
    buffer.commit(asio::buffer_copy(buffer.prepare(pending.size()),
                                    asio::buffer(pending.data(), pending.size())));
  };
  put("fffffffffffffffffffff");
  EXPECT_EQ(BodyReadRefusal(http::error::buffer_overflow, buffer)->text,
            "Chunk header too large.\n");
  put("\r\n0\r\nX-Long: aaaaaaaaaaaaaaaa");
  EXPECT_EQ(BodyReadRefusal(http::error::buffer_overflow, buffer)->status,
            http::status::request_header_fields_too_large);
  put("00;ext=aaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(BodyReadRefusal(http::error::buffer_overflow, buffer)->action, "trailer_too_large");
  EXPECT_EQ(BodyReadRefusal(beast::error::timeout, buffer)->status,
            http::status::request_timeout);
  EXPECT_EQ(BodyReadRefusal(http::error::bad_chunk, buffer)->status, http::status::bad_request);
  EXPECT_FALSE(BodyReadRefusal(asio::error::connection_reset, buffer).has_value());
}

}  // namespace
}  // namespace gatehouse::runtime

#include "runtime/http/tls_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/ssl/error.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "gtest/gtest.h"
#include "tests/support/test_pki.h"

namespace gatehouse::runtime {
namespace {

constexpr auto kDeadline = std::chrono::seconds(10);

struct SslCtxFree {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using SslCtx = std::unique_ptr<SSL_CTX, SslCtxFree>;

// The bytes a test sends: a pattern a reader can check at any offset.
std::string Pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + (i * 7) % 26);
  return out;
}

// A blocking OpenSSL client on a loopback connection, in its own thread, every socket call
// bounded by a 5 s timeout so that a stall fails the test instead of hanging it.
class TlsClient {
 public:
  explicit TlsClient(uint16_t port) {
    context_.reset(SSL_CTX_new(TLS_client_method()));
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ssl_ = SSL_new(context_.get());
    SSL_set_fd(ssl_, fd_);
  }
  ~TlsClient() {
    SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
  }

  int fd() const { return fd_; }
  bool Handshake() { return connected_ && SSL_connect(ssl_) == 1; }
  bool Write(const std::string& data) {
    size_t written = 0;
    return SSL_write_ex(ssl_, data.data(), data.size(), &written) == 1 && written == data.size();
  }
  // Reads until `size` bytes or the end.
  std::string Read(size_t size) {
    std::string out(size, '\0');
    size_t have = 0;
    while (have < size) {
      size_t n = 0;
      if (SSL_read_ex(ssl_, out.data() + have, size - have, &n) != 1) break;
      have += n;
    }
    out.resize(have);
    return out;
  }
  // The server's close_notify arrived.
  bool ReadsCloseNotify() {
    char byte;
    size_t n = 0;
    return SSL_read_ex(ssl_, &byte, 1, &n) != 1 && SSL_get_error(ssl_, 0) == SSL_ERROR_ZERO_RETURN;
  }
  void SendCloseNotify() { SSL_shutdown(ssl_); }
  void Cut() {
    ::close(fd_);
    fd_ = -1;
  }

 private:
  SslCtx context_;
  int fd_ = -1;
  bool connected_ = false;
  SSL* ssl_ = nullptr;
};

class TlsStreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = testing::MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new testing::TestPki(*std::move(pki));
  }
  static void TearDownTestSuite() { delete pki_; }

  void SetUp() override {
    server_context_.reset(SSL_CTX_new(TLS_server_method()));
    ASSERT_EQ(SSL_CTX_use_certificate_chain_file(server_context_.get(), pki_->server_cert.c_str()),
              1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey_file(server_context_.get(), pki_->server_key.c_str(),
                                          SSL_FILETYPE_PEM),
              1);
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // Accepts one connection and runs `serve` on it while `client` runs in a thread; both must
  // finish within the deadline.
  void Run(std::function<asio::awaitable<void>(tcp::socket)> serve,
           std::function<void(TlsClient&)> client) {
    bool served = false;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
          co_await serve(std::move(socket));
          served = true;
        },
        asio::detached);
    std::thread client_thread([&] {
      TlsClient tls_client(port());
      client(tls_client);
    });
    io_.run_for(kDeadline);
    client_thread.join();
    EXPECT_TRUE(served) << "the server side did not finish within the deadline";
  }

  SSL* NewServerSsl() { return SSL_new(server_context_.get()); }

  static testing::TestPki* pki_;
  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  SslCtx server_context_;
};
testing::TestPki* TlsStreamTest::pki_ = nullptr;

TEST_F(TlsStreamTest, HandshakeReadWriteAndCloseNotifyBothWays) {
  const std::string request = "GET / HTTP/1.1\r\n\r\n";
  const std::string response = Pattern(4 << 20);  // far more than the socket buffers hold
  std::string received;
  beast::error_code read_after_close;
  Run(
      [&](tcp::socket socket) -> asio::awaitable<void> {
        TlsStream stream(beast::tcp_stream(std::move(socket)), NewServerSsl());
        beast::error_code error;
        co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, error));
        EXPECT_FALSE(error) << error.message();
        received.resize(request.size());
        co_await asio::async_read(stream, asio::buffer(received),
                                  asio::redirect_error(asio::use_awaitable, error));
        EXPECT_FALSE(error) << error.message();
        co_await asio::async_write(stream, asio::buffer(response),
                                   asio::redirect_error(asio::use_awaitable, error));
        EXPECT_FALSE(error) << error.message();
        char byte;
        co_await stream.async_read_some(
            asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, read_after_close));
        co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, error));
        EXPECT_FALSE(error) << error.message();
      },
      [&](TlsClient& client) {
        ASSERT_TRUE(client.Handshake());
        ASSERT_TRUE(client.Write(request));
        EXPECT_TRUE(client.Read(response.size()) == response);
        client.SendCloseNotify();
        EXPECT_TRUE(client.ReadsCloseNotify());
      });
  EXPECT_EQ(received, request);
  EXPECT_EQ(read_after_close, asio::error::eof);
}

TEST_F(TlsStreamTest, BytesReadBeforeTheHandshakeStartIt) {
  std::string echoed;
  Run(
      [&](tcp::socket socket) -> asio::awaitable<void> {
        // What a PROXY protocol reader leaves: the first bytes of the ClientHello.
        char first[7];
        co_await asio::async_read(socket, asio::buffer(first), asio::use_awaitable);
        TlsStream stream(beast::tcp_stream(std::move(socket)), NewServerSsl());
        stream.PrependReceived(std::string_view(first, sizeof(first)));
        beast::error_code error;
        co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, error));
        EXPECT_FALSE(error) << error.message();
        echoed.resize(5);
        co_await asio::async_read(stream, asio::buffer(echoed),
                                  asio::redirect_error(asio::use_awaitable, error));
        co_await asio::async_write(stream, asio::buffer(echoed),
                                   asio::redirect_error(asio::use_awaitable, error));
      },
      [&](TlsClient& client) {
        ASSERT_TRUE(client.Handshake());
        ASSERT_TRUE(client.Write("hello"));
        EXPECT_EQ(client.Read(5), "hello");
      });
  EXPECT_EQ(echoed, "hello");
}

TEST_F(TlsStreamTest, ACutWithoutCloseNotifyIsATruncatedStream) {
  beast::error_code error;
  Run(
      [&](tcp::socket socket) -> asio::awaitable<void> {
        TlsStream stream(beast::tcp_stream(std::move(socket)), NewServerSsl());
        co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, error));
        EXPECT_FALSE(error) << error.message();
        co_await asio::async_write(stream, asio::buffer("x", 1),
                                   asio::redirect_error(asio::use_awaitable, error));
        char byte;
        co_await stream.async_read_some(asio::buffer(&byte, 1),
                                        asio::redirect_error(asio::use_awaitable, error));
      },
      [&](TlsClient& client) {
        ASSERT_TRUE(client.Handshake());
        // Read all the server sent (its session tickets too): a close with unread bytes would
        // be a reset, not an end.
        EXPECT_EQ(client.Read(1), "x");
        client.Cut();
      });
  EXPECT_EQ(error, asio::ssl::error::stream_truncated) << error.message();
}

TEST_F(TlsStreamTest, WriteNowTakesWhatTheSocketTakesAndTheRestWaits) {
  const std::string response = Pattern(16 << 20);
  size_t written_now = 0;
  beast::error_code now_error;
  beast::error_code rest_error;
  Run(
      [&](tcp::socket socket) -> asio::awaitable<void> {
        TlsStream stream(beast::tcp_stream(std::move(socket)), NewServerSsl());
        beast::error_code error;
        co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, error));
        const asio::const_buffer buffers[] = {asio::buffer(response.data(), 100),
                                              asio::buffer(response) + 100};
        written_now = stream.WriteNow(buffers, now_error);
        co_await asio::async_write(stream, asio::buffer(response) + written_now,
                                   asio::redirect_error(asio::use_awaitable, rest_error));
      },
      [&](TlsClient& client) {
        ASSERT_TRUE(client.Handshake());
        // Not reading yet: the server's socket fills.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        EXPECT_TRUE(client.Read(response.size()) == response);
      });
  EXPECT_FALSE(now_error) << now_error.message();
  EXPECT_GT(written_now, 100u);
  EXPECT_LT(written_now, response.size());
  EXPECT_FALSE(rest_error) << rest_error.message();
}

TEST_F(TlsStreamTest, ADeadlineCancelsAWaitingRead) {
  beast::error_code error;
  Run(
      [&](tcp::socket socket) -> asio::awaitable<void> {
        TlsStream stream(beast::tcp_stream(std::move(socket)), NewServerSsl());
        co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, error));
        asio::steady_timer timer(stream.get_executor(), std::chrono::milliseconds(50));
        timer.async_wait([&](beast::error_code) { stream.next_layer().socket().cancel(); });
        char byte;
        co_await stream.async_read_some(asio::buffer(&byte, 1),
                                        asio::redirect_error(asio::use_awaitable, error));
      },
      [&](TlsClient& client) {
        ASSERT_TRUE(client.Handshake());
        // Silent until the server gives up.
        EXPECT_EQ(client.Read(1), "");
      });
  EXPECT_EQ(error, asio::error::operation_aborted) << error.message();
}

}  // namespace
}  // namespace gatehouse::runtime

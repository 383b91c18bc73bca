#include "runtime/http/tunnel.h"

#include <memory>

#include "boost/asio/experimental/awaitable_operators.hpp"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "runtime/http/client_stream.h"

namespace gatehouse::runtime {
namespace {

constexpr size_t kTunnelChunk = 16 * 1024;

auto Redirect(beast::error_code& error) { return asio::redirect_error(asio::use_awaitable, error); }

// The TCP connection under a stream (under TLS, on a client's TLS connection).
beast::tcp_stream& Tcp(beast::tcp_stream& stream) { return stream; }
beast::tcp_stream& Tcp(ClientStream& stream) { return stream.tcp(); }

// Copies bytes one way until either side ends it.
template <typename From, typename To>
asio::awaitable<void> Pump(From& from, To& to, std::chrono::milliseconds idle_timeout) {
  std::unique_ptr<char[]> chunk(new char[kTunnelChunk]);
  beast::error_code error;
  for (;;) {
    Tcp(from).expires_after(idle_timeout);
    const size_t n = co_await from.async_read_some(asio::buffer(chunk.get(), kTunnelChunk),
                                                   Redirect(error));
    if (n > 0) {
      Tcp(to).expires_after(idle_timeout);
      beast::error_code write_error;
      co_await asio::async_write(to, asio::buffer(chunk.get(), n), Redirect(write_error));
      if (write_error) error = write_error;
    }
    if (error) break;
  }
  beast::error_code ignored;
  if (error == asio::error::eof) {
    // Half-close: the other direction may still have bytes to deliver.
    Tcp(to).socket().shutdown(tcp::socket::shutdown_send, ignored);
  } else {
    Tcp(to).socket().close(ignored);
    Tcp(from).socket().close(ignored);
  }
}

}  // namespace

asio::awaitable<void> RunTunnel(ClientStream& client, beast::flat_buffer& client_buffered,
                                beast::tcp_stream& origin, beast::flat_buffer& origin_buffered,
                                std::chrono::milliseconds idle_timeout) {
  beast::error_code error;
  if (origin_buffered.size() > 0) {
    client.tcp().expires_after(idle_timeout);
    co_await asio::async_write(client, origin_buffered.data(), Redirect(error));
    origin_buffered.consume(origin_buffered.size());
  }
  if (!error && client_buffered.size() > 0) {
    origin.expires_after(idle_timeout);
    co_await asio::async_write(origin, client_buffered.data(), Redirect(error));
    client_buffered.consume(client_buffered.size());
  }
  if (error) co_return;
  using namespace asio::experimental::awaitable_operators;
  co_await (Pump(client, origin, idle_timeout) && Pump(origin, client, idle_timeout));
}

}  // namespace gatehouse::runtime

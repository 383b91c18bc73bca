#pragma once

// One client connection speaking HTTP/2 (RFC 9113), with libnghttp2 as the framing, HPACK and
// flow-control layer. Every stream is one request served by the same request path as an
// HTTP/1.1 request (RequestHandler::Handle): the stream's channel carries the request in as
// HTTP/1.1 bytes; the response's heads come out as fields (submitted as HEADERS at once) and
// its body as bytes, under HTTP/2 flow control both ways.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>

#include "boost/asio/steady_timer.hpp"
#include "runtime/http/client_exchange.h"
#include "runtime/http/client_stream.h"
#include "runtime/http/http_types.h"
#include "runtime/http/request_handler.h"
#include "runtime/http/socket_deadline.h"
#include "runtime/http/wire_format.h"
#include "runtime/http2/frame_budget.h"

struct nghttp2_session;

namespace gatehouse::runtime::http2 {

struct Http2Options {
  // SETTINGS_MAX_CONCURRENT_STREAMS: streams open at once; more are refused (REFUSED_STREAM).
  uint32_t max_concurrent_streams = 100;
  // A request's header list (RFC 9113's measure) past this is answered 431; it is also
  // SETTINGS_MAX_HEADER_LIST_SIZE.
  uint32_t max_header_list_bytes = 32 * 1024;
  // SETTINGS_HEADER_TABLE_SIZE: the HPACK dynamic table the client's encoder may use.
  uint32_t header_table_bytes = 4096;
  // SETTINGS_INITIAL_WINDOW_SIZE: a stream's request body bytes held before the request path
  // reads them; the connection's window is this times `max_concurrent_streams`, capped.
  uint32_t stream_window_bytes = 64 * 1024;
  // Stream resets a client may send (CVE-2023-44487, rapid reset): `reset_burst` at once, then
  // `reset_rate` a second; past it the connection gets GOAWAY.
  uint32_t reset_burst = 200;
  uint32_t reset_rate = 33;
  // Frames that carry no request (PING, SETTINGS, PRIORITY, empty DATA): `control_burst` at
  // once, then `control_rate` a second; past it GOAWAY (ENHANCE_YOUR_CALM).
  uint32_t control_burst = 1000;
  uint32_t control_rate = 100;
  // CONTINUATION frames one header block may take.
  uint32_t max_continuations = 8;
  // Streams one connection may open in all; then GOAWAY, and the client opens a new
  // connection (bounds what one connection holds, and the stream-id space).
  uint32_t max_streams_per_connection = 100000;
  // A connection with no open stream is closed after this.
  std::chrono::milliseconds idle_timeout{60000};
  // Each write to the client; a client that stops reading is closed after this.
  std::chrono::milliseconds send_timeout{30000};
};

// The 24 bytes every HTTP/2 connection starts with (RFC 9113 §3.4).
inline constexpr std::string_view kConnectionPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// Counters of one server's HTTP/2 connections, updated from its workers.
struct Http2Counters {
  std::atomic<int64_t> connections{0};
  std::atomic<int64_t> streams{0};
  // Connections closed by GOAWAY for a flood, a rapid reset or a protocol error.
  std::atomic<int64_t> goaway_errors{0};
  // Streams reset for a malformed request.
  std::atomic<int64_t> malformed_streams{0};
};

class Http2Connection {
 public:
  // Everything referred to must outlive Serve's completion.
  Http2Connection(ClientStream& stream, const Http2Options& options, RequestHandler& handler,
                  WorkerContext& worker, const ClientInfo& client, const bool& closing,
                  Http2Counters& counters);
  ~Http2Connection();
  Http2Connection(const Http2Connection&) = delete;
  Http2Connection& operator=(const Http2Connection&) = delete;

  // Serves the connection until it closes: `received` holds bytes already read (the preface,
  // on a cleartext connection). Returns once every stream's request has finished.
  asio::awaitable<void> Serve(beast::flat_buffer& received);

  // Graceful close (the server drains): a GOAWAY that announces it, then after `grace` one with
  // the last stream taken, so requests already sent are served and the client retries nothing
  // that was processed. The announcement waits for the connection's first stream (up to
  // `grace`): a connection accepted just before the drain is owed its first requests, and a
  // client told to go away before it opened a stream may fail them unsent (h2load does).
  // Call repeatedly (each drain tick).
  void Drain(std::chrono::milliseconds grace);

 private:
  struct Stream;
  friend struct Callbacks;

  // The write loop, then the end of writing noted.
  asio::awaitable<void> Write();
  // The socket's reads, fed to the session.
  asio::awaitable<void> ReadLoop(beast::flat_buffer& received);
  // The session's frames, written to the socket.
  asio::awaitable<void> WriteLoop();
  // One stream's request, through the request path.
  asio::awaitable<void> ServeStream(std::shared_ptr<Stream> stream);
  // The write loop has something to send, or the connection may be done.
  void Wake();
  // A response head from the request path (an interim one, or the final one).
  void OnResponseHead(Stream& stream, const ResponseFields& head);
  // The stream's response body has bytes, or its end: a deferred DATA frame goes on.
  void OnResponseOutput(Stream& stream);
  // Resets the streams whose response has waited on a closed flow-control window (the
  // client's) for the send timeout: a client that opens no window holds nothing for long.
  void ResetStalledStreams();
  // Closes the connection for a client's abuse: GOAWAY with `error_code`.
  void Terminate(uint32_t error_code);

  // nghttp2's callbacks.
  int OnBeginFrame(const void* header);
  int OnBeginHeaders(int32_t stream_id);
  int OnHeader(int32_t stream_id, std::string_view name, std::string_view value);
  int OnTrailer(int32_t stream_id, std::string_view name, std::string_view value);
  int OnFrameReceived(const void* frame);
  int OnDataChunk(int32_t stream_id, std::string_view data);
  int OnStreamClose(int32_t stream_id, uint32_t error_code);
  long ReadResponseBody(int32_t stream_id, uint8_t* to, size_t length, uint32_t* flags);
  // Resets a stream the client is still sending once its answer is whole and sent.
  void StopReadingIfAnswered(Stream& stream);
  Stream* Find(int32_t stream_id);
  // This side sent RST_STREAM on the stream.
  void OnResetSent(int32_t stream_id);

  ClientStream& stream_;
  const Http2Options& options_;
  RequestHandler& handler_;
  WorkerContext& worker_;
  const ClientInfo& client_;
  const bool& closing_;
  Http2Counters& counters_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::shared_ptr<Stream>> streams_;
  SocketDeadline read_deadline_;
  SocketDeadline write_deadline_;
  asio::steady_timer wake_;
  bool wake_pending_ = false;
  bool closed_ = false;  // the socket is done: streams are reset, nothing more is sent
  bool writing_ = true;
  int handlers_running_ = 0;  // streams whose request path has not finished
  // False once the connection is destroyed: a stream's request path ending later (its frame
  // destroyed with the io_context) leaves it alone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  uint32_t streams_opened_ = 0;
  int32_t highest_stream_id_ = 0;    // of the client's HEADERS frames
  std::set<int32_t> reset_streams_;  // the latest this side reset
  FrameBudget control_budget_;
  std::optional<std::chrono::steady_clock::time_point> drain_began_at_;
  std::optional<std::chrono::steady_clock::time_point> drain_notice_at_;
  bool drain_goaway_sent_ = false;
};

}  // namespace gatehouse::runtime::http2

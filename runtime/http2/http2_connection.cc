#include "runtime/http2/http2_connection.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/string.hpp"
#include "boost/beast/http/read.hpp"
#include "runtime/http/stream_channel.h"
#include "runtime/http2/request_head.h"

namespace gatehouse::runtime::http2 {
namespace {

auto Redirect(beast::error_code& error) { return asio::redirect_error(asio::use_awaitable, error); }

// Response bytes a stream's channel holds before the request path's write waits: the stream's
// backpressure, with HTTP/2 flow control behind it.
constexpr size_t kStreamOutputRoom = 64 * 1024;
// Frames gathered into one socket write.
constexpr size_t kWriteBatch = 64 * 1024;
// The connection's receive window: what all streams' unread request bodies may hold together.
constexpr uint32_t kMaxConnectionWindow = 1 << 20;
// Entries one SETTINGS frame may carry (there are 6 settings defined; more is abuse).
constexpr size_t kMaxSettingsEntries = 32;
// SETTINGS and PING acknowledgements queued unsent (a client that sends them and does not read
// the answers): past it the session fails as flooded.
constexpr size_t kMaxOutboundAcks = 1000;
// The highest stream id (RFC 9113 §5.1.1: 31 bits).
constexpr int32_t kMaxStreamId = 0x7fffffff;
// Stream ids reset by this side remembered, whose late frames are not the client's error.
constexpr size_t kRememberedResets = 1024;

constexpr Refusal kHeaderListTooLarge{http::status::request_header_fields_too_large,
                                      "Request header fields too large.\n", "header_too_large"};
constexpr Refusal kMalformedHead{http::status::bad_request, "Malformed request.\n", "bad_request"};

nghttp2_nv NameValue(std::string_view name, std::string_view value,
                     uint8_t flags = NGHTTP2_NV_FLAG_NONE) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          flags};
}

// How a response field goes into HPACK: a value unique to its response (the ray ID) is never
// indexed, since in the dynamic table it would only evict fields that repeat (and cost an
// insertion and an eviction per response: bench/RESULTS.md).
uint8_t IndexingOf(std::string_view name) {
  return beast::iequals(name, kRayHeader) ? NGHTTP2_NV_FLAG_NO_INDEX : NGHTTP2_NV_FLAG_NONE;
}

}  // namespace

struct Http2Connection::Stream {
  Stream(Http2Connection& connection, int32_t id)
      : id(id),
        head(connection.options_.max_header_list_bytes),
        channel(
            connection.stream_.get_executor(), kStreamOutputRoom,
            [&connection, this](const ResponseFields& head) {
              connection.OnResponseHead(*this, head);
            },
            [&connection, this] { connection.OnResponseOutput(*this); },
            [&connection, this] {
              // The request path read what was supplied: the client may send that much more.
              if (closed || unconsumed == 0) return;
              nghttp2_session_consume(connection.session_, this->id, unconsumed);
              unconsumed = 0;
              connection.Wake();
            }) {}

  const int32_t id;
  RequestHeadBuilder head;
  StreamChannel channel;
  ConnectionBuffers buffers;
  std::optional<Refusal> refusal;  // answered without reading the request (431)
  bool malformed = false;          // reset with PROTOCOL_ERROR
  bool started = false;            // the request path serves it
  bool request_ended = false;      // the client ended the stream
  bool response_submitted = false;
  bool deferred = false;      // the body's next DATA waits for the request path's bytes
  bool handler_done = false;  // the request path is done with it
  bool answered = false;      // the request path returned from handling it
  bool body_sent = false;     // nghttp2 read the response's end (or the response has no body)
  bool closed = false;        // nghttp2 closed it
  uint64_t unconsumed = 0;    // DATA bytes supplied and not yet read by the request path
  // When the response last moved (its head submitted, a DATA frame's bytes taken).
  std::chrono::steady_clock::time_point progress = std::chrono::steady_clock::now();
};

// nghttp2's C callbacks, forwarding to the connection.
struct Callbacks {
  static Http2Connection& Of(void* user_data) { return *static_cast<Http2Connection*>(user_data); }
  static int BeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    return Of(user_data).OnBeginHeaders(frame->hd.stream_id);
  }
  static int Header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                    size_t name_length, const uint8_t* value, size_t value_length, uint8_t,
                    void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    const std::string_view name_view(reinterpret_cast<const char*>(name), name_length);
    const std::string_view value_view(reinterpret_cast<const char*>(value), value_length);
    if (frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      return Of(user_data).OnHeader(frame->hd.stream_id, name_view, value_view);
    }
    // A header block after the request's (nghttp2 lets through only one that ends the stream):
    // its trailer section.
    if (frame->headers.cat == NGHTTP2_HCAT_HEADERS) {
      return Of(user_data).OnTrailer(frame->hd.stream_id, name_view, value_view);
    }
    return 0;
  }
  static int BeginFrame(nghttp2_session*, const nghttp2_frame_hd* header, void* user_data) {
    return Of(user_data).OnBeginFrame(header);
  }
  static int FrameReceived(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    return Of(user_data).OnFrameReceived(frame);
  }
  static int DataChunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                       size_t length, void* user_data) {
    return Of(user_data).OnDataChunk(stream_id,
                                     std::string_view(reinterpret_cast<const char*>(data), length));
  }
  static int StreamClose(nghttp2_session*, int32_t stream_id, uint32_t error_code,
                         void* user_data) {
    return Of(user_data).OnStreamClose(stream_id, error_code);
  }
  static int FrameSent(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    Http2Counters& counters = Of(user_data).counters_;
    if (frame->hd.type == NGHTTP2_RST_STREAM) Of(user_data).OnResetSent(frame->hd.stream_id);
    if (frame->hd.type == NGHTTP2_GOAWAY && frame->goaway.error_code != NGHTTP2_NO_ERROR) {
      counters.goaway_errors.fetch_add(1, std::memory_order_relaxed);
    }
    // Malformed requests, refused here or by nghttp2's own checks of the message.
    if (frame->hd.type == NGHTTP2_RST_STREAM &&
        frame->rst_stream.error_code == NGHTTP2_PROTOCOL_ERROR) {
      counters.malformed_streams.fetch_add(1, std::memory_order_relaxed);
    }
    return 0;
  }
  static ssize_t ReadBody(nghttp2_session*, int32_t stream_id, uint8_t* to, size_t length,
                          uint32_t* flags, nghttp2_data_source*, void* user_data) {
    return Of(user_data).ReadResponseBody(stream_id, to, length, flags);
  }
};

Http2Connection::Http2Connection(ClientStream& stream, const Http2Options& options,
                                 RequestHandler& handler, WorkerContext& worker,
                                 const ClientInfo& client, const bool& closing,
                                 Http2Counters& counters)
    : stream_(stream),
      options_(options),
      handler_(handler),
      worker_(worker),
      client_(client),
      closing_(closing),
      counters_(counters),
      read_deadline_(worker.deadlines, &stream.tcp().socket()),
      write_deadline_(worker.deadlines, &stream.tcp().socket()),
      wake_(stream.get_executor()),
      control_budget_(options.control_burst, options.control_rate) {
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, Callbacks::BeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, Callbacks::Header);
  nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks, Callbacks::BeginFrame);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, Callbacks::FrameReceived);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, Callbacks::DataChunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, Callbacks::StreamClose);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, Callbacks::FrameSent);
  nghttp2_option* option = nullptr;
  nghttp2_option_new(&option);
  // The request path's reads reopen the windows (nghttp2_session_consume): a body is held only
  // as far as the windows allow, never buffered whole.
  nghttp2_option_set_no_auto_window_update(option, 1);
  nghttp2_option_set_max_settings(option, kMaxSettingsEntries);
  nghttp2_option_set_max_outbound_ack(option, kMaxOutboundAcks);
  nghttp2_option_set_stream_reset_rate_limit(option, options.reset_burst, options.reset_rate);
  nghttp2_option_set_max_continuations(option, options.max_continuations);
  nghttp2_option_set_max_deflate_dynamic_table_size(option, 4096);
  nghttp2_session_server_new2(&session_, callbacks, this, option);
  nghttp2_option_del(option);
  nghttp2_session_callbacks_del(callbacks);

  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, options.stream_window_bytes},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, options.max_header_list_bytes},
      {NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, options.header_table_bytes},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  const uint64_t window = std::min<uint64_t>(
      uint64_t{options.stream_window_bytes} * options.max_concurrent_streams, kMaxConnectionWindow);
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                        static_cast<int32_t>(std::max<uint64_t>(window, 65535)));
  counters_.connections.fetch_add(1, std::memory_order_relaxed);
}

Http2Connection::~Http2Connection() {
  *alive_ = false;
  nghttp2_session_del(session_);
  counters_.connections.fetch_sub(1, std::memory_order_relaxed);
}

Http2Connection::Stream* Http2Connection::Find(int32_t stream_id) {
  const auto found = streams_.find(stream_id);
  return found == streams_.end() ? nullptr : found->second.get();
}

void Http2Connection::Wake() {
  wake_pending_ = true;
  wake_.cancel();
}

void Http2Connection::Terminate(uint32_t error_code) {
  nghttp2_session_terminate_session(session_, error_code);
  Wake();
}

asio::awaitable<void> Http2Connection::Serve(beast::flat_buffer& received) {
  asio::co_spawn(stream_.get_executor(), Write(), asio::detached);
  co_await ReadLoop(received);
  closed_ = true;
  // Every stream's request path fails fast from here on; each is waited for, as it refers to
  // this connection (bounded by the request path's own deadlines).
  for (auto& [id, stream] : streams_) stream->channel.Reset();
  Wake();
  beast::error_code ignored;
  while (writing_ || handlers_running_ > 0) {
    if (!wake_pending_) {
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(Redirect(ignored));
    }
    wake_pending_ = false;
  }
  streams_.clear();
}

asio::awaitable<void> Http2Connection::Write() {
  co_await WriteLoop();
  writing_ = false;
  Wake();
}

asio::awaitable<void> Http2Connection::ReadLoop(beast::flat_buffer& received) {
  beast::error_code error;
  auto feed = [this](const void* data, size_t size) {
    const ssize_t used =
        nghttp2_session_mem_recv(session_, static_cast<const uint8_t*>(data), size);
    // A fatal error: nothing more is read. A client that sent no preface, or that does not
    // read what it asked for (flooded), is owed nothing; other errors get their GOAWAY.
    if (used == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS) {
      Terminate(NGHTTP2_ENHANCE_YOUR_CALM);
    } else if (used < 0 && used != NGHTTP2_ERR_BAD_CLIENT_MAGIC && used != NGHTTP2_ERR_FLOODED) {
      Terminate(NGHTTP2_PROTOCOL_ERROR);
    }
    Wake();
    return used >= 0;
  };
  if (received.size() > 0 && !feed(received.data().data(), received.size())) co_return;
  received.consume(received.size());
  char data[16 * 1024];
  while (!closed_ && nghttp2_session_want_read(session_) != 0) {
    if (streams_.empty()) {
      read_deadline_.Arm(options_.idle_timeout);
    } else {
      read_deadline_.Disarm();
    }
    const size_t n = co_await stream_.async_read_some(asio::buffer(data), Redirect(error));
    const bool timed_out = read_deadline_.fired();
    read_deadline_.Disarm(error);
    if (error) {
      if (timed_out && streams_.empty()) Terminate(NGHTTP2_NO_ERROR);  // idle: a polite GOAWAY
      break;
    }
    if (!feed(data, n)) break;
  }
}

asio::awaitable<void> Http2Connection::WriteLoop() {
  beast::error_code error;
  std::string out;
  for (;;) {
    out.clear();
    bool failed = false;
    while (out.size() < kWriteBatch) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) failed = true;
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    if (!out.empty()) {
      write_deadline_.Arm(options_.send_timeout);
      co_await asio::async_write(stream_, asio::buffer(out), Redirect(error));
      write_deadline_.Disarm(error);
      if (error) break;
      continue;
    }
    if (failed) break;
    if (nghttp2_session_want_write(session_) == 0 &&
        (closed_ || nghttp2_session_want_read(session_) == 0)) {
      break;
    }
    ResetStalledStreams();
    if (!wake_pending_) {
      // With streams open, wake now and then to find stalled ones.
      if (streams_.empty()) {
        wake_.expires_at(asio::steady_timer::time_point::max());
      } else {
        wake_.expires_after(std::clamp<std::chrono::milliseconds>(
            options_.send_timeout / 4, std::chrono::milliseconds(10), std::chrono::seconds(1)));
      }
      co_await wake_.async_wait(Redirect(error));
    }
    wake_pending_ = false;
  }
  // The reader may be waiting for bytes that no longer matter.
  closed_ = true;
  stream_.tcp().socket().cancel(error);
}

int Http2Connection::OnBeginFrame(const void* header) {
  const nghttp2_frame_hd& frame = *static_cast<const nghttp2_frame_hd*>(header);
  if (frame.type != NGHTTP2_HEADERS || frame.stream_id % 2 == 0) return 0;
  if (frame.stream_id > highest_stream_id_) {
    highest_stream_id_ = frame.stream_id;
    return 0;
  }
  // A lower id on a stream that is not open (trailers come on open ones): a new stream's id
  // must be above every id the client used before (RFC 9113 §5.1.1). nghttp2 would ignore it;
  // the client is told. Late frames are no error on a stream this side reset, nor on one past
  // a GOAWAY's last stream (never taken).
  if (frame.stream_id <= nghttp2_session_get_last_proc_stream_id(session_) &&
      nghttp2_session_find_stream(session_, frame.stream_id) == nullptr &&
      !reset_streams_.contains(frame.stream_id)) {
    Terminate(NGHTTP2_PROTOCOL_ERROR);
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
  return 0;
}

void Http2Connection::OnResetSent(int32_t stream_id) {
  reset_streams_.insert(stream_id);
  // The oldest first: a late frame comes soon after the reset, if at all.
  if (reset_streams_.size() > kRememberedResets) reset_streams_.erase(reset_streams_.begin());
}

int Http2Connection::OnBeginHeaders(int32_t stream_id) {
  if (closed_) return 0;
  if (++streams_opened_ > options_.max_streams_per_connection) {
    // Past the GOAWAY below: the client raced it.
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_REFUSED_STREAM);
    return 0;
  }
  // Enough for one connection, or the last stream id there is: this stream is the last one
  // taken, and the client goes on on a new connection.
  if (streams_opened_ == options_.max_streams_per_connection || stream_id == kMaxStreamId) {
    nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_NO_ERROR, nullptr, 0);
    Wake();
  }
  // nghttp2 refuses streams past the limit once the client acknowledged SETTINGS; before that,
  // here. Streams the client reset whose request path is still running count too: resetting
  // does not free the work a request started (CVE-2023-44487).
  if (streams_.size() >= options_.max_concurrent_streams ||
      handlers_running_ >= 2 * static_cast<int64_t>(options_.max_concurrent_streams)) {
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_REFUSED_STREAM);
    return 0;
  }
  auto stream = std::make_shared<Stream>(*this, stream_id);
  streams_.emplace(stream_id, std::move(stream));
  counters_.streams.fetch_add(1, std::memory_order_relaxed);
  return 0;
}

int Http2Connection::OnHeader(int32_t stream_id, std::string_view name, std::string_view value) {
  Stream* stream = Find(stream_id);
  if (stream == nullptr || stream->malformed || stream->started) return 0;
  const absl::Status added = stream->head.Add(name, value);
  if (absl::IsResourceExhausted(added)) {
    // Answered (431) once the block is whole, as an HTTP/1.1 header too large is.
    stream->refusal = kHeaderListTooLarge;
  } else if (!added.ok()) {
    stream->malformed = true;
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_PROTOCOL_ERROR);
  }
  return 0;
}

int Http2Connection::OnTrailer(int32_t stream_id, std::string_view name, std::string_view value) {
  Stream* stream = Find(stream_id);
  if (stream == nullptr || stream->malformed || !stream->started) return 0;
  if (const absl::Status added = stream->head.AddTrailer(name, value); !added.ok()) {
    // The request cannot reach the origin whole: its body is never ended, and the stream is
    // reset (the request path then sees the client gone and the origin a cut body).
    stream->malformed = true;
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_PROTOCOL_ERROR);
  }
  return 0;
}

int Http2Connection::OnFrameReceived(const void* received) {
  const nghttp2_frame& frame = *static_cast<const nghttp2_frame*>(received);
  const bool end_stream = (frame.hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  Stream* stream = Find(frame.hd.stream_id);
  switch (frame.hd.type) {
    case NGHTTP2_HEADERS:
      if (stream == nullptr || stream->malformed) return 0;
      if (frame.headers.cat == NGHTTP2_HCAT_REQUEST && !stream->started) {
        if (!stream->refusal.has_value()) {
          absl::StatusOr<std::string> head = stream->head.Finish(!end_stream);
          if (absl::IsResourceExhausted(head.status())) {
            stream->refusal = kHeaderListTooLarge;
          } else if (!head.ok()) {
            stream->malformed = true;
            nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream->id,
                                      NGHTTP2_PROTOCOL_ERROR);
            return 0;
          } else {
            stream->channel.Supply(*head);
          }
        }
        stream->started = true;
        ++handlers_running_;
        asio::co_spawn(stream_.get_executor(), ServeStream(streams_[stream->id]), asio::detached);
      }
      break;
    case NGHTTP2_DATA:
      // An empty DATA frame that does not end the stream carries nothing (CVE-2019-9518).
      if (frame.hd.length == 0 && !end_stream && !control_budget_.Spend()) {
        Terminate(NGHTTP2_ENHANCE_YOUR_CALM);
        return 0;
      }
      break;
    case NGHTTP2_PING:
    case NGHTTP2_SETTINGS:
      if ((frame.hd.flags & NGHTTP2_FLAG_ACK) == 0 && !control_budget_.Spend()) {
        Terminate(NGHTTP2_ENHANCE_YOUR_CALM);
      }
      return 0;
    case NGHTTP2_PRIORITY:
      if (!control_budget_.Spend()) Terminate(NGHTTP2_ENHANCE_YOUR_CALM);
      return 0;
    default:
      return 0;
  }
  if (end_stream && stream != nullptr && !stream->malformed && !stream->request_ended) {
    stream->request_ended = true;
    // A body of known length cannot carry trailer fields to an HTTP/1.1 origin: they are
    // dropped (RFC 9110 §6.5.1), once checked.
    if (stream->head.chunked()) stream->channel.Supply(stream->head.LastChunk());
    stream->channel.EndInput();
  }
  return 0;
}

int Http2Connection::OnDataChunk(int32_t stream_id, std::string_view data) {
  Stream* stream = Find(stream_id);
  if (stream == nullptr || stream->malformed || stream->refusal.has_value()) {
    // Nobody reads it: its window reopens at once.
    nghttp2_session_consume(session_, stream_id, data.size());
    return 0;
  }
  if (data.empty()) return 0;
  stream->unconsumed += data.size();
  if (stream->head.chunked()) {
    char size_line[20];
    const int length = std::snprintf(size_line, sizeof(size_line), "%zx\r\n", data.size());
    stream->channel.Supply(std::string_view(size_line, static_cast<size_t>(length)));
    stream->channel.Supply(data);
    stream->channel.Supply("\r\n");
  } else {
    stream->channel.Supply(data);
  }
  return 0;
}

int Http2Connection::OnStreamClose(int32_t stream_id, uint32_t error_code) {
  const auto found = streams_.find(stream_id);
  if (found == streams_.end()) return 0;
  Stream& stream = *found->second;
  stream.closed = true;
  // What the request path never read still counts against the connection's window.
  if (stream.unconsumed > 0) {
    nghttp2_session_consume_connection(session_, stream.unconsumed);
    stream.unconsumed = 0;
  }
  stream.channel.Reset();
  streams_.erase(found);
  return 0;
}

asio::awaitable<void> Http2Connection::ServeStream(std::shared_ptr<Stream> stream) {
  struct Finished {
    Http2Connection& connection;
    Stream& stream;
    std::shared_ptr<bool> alive;
    ~Finished() {
      if (!*alive) return;
      --connection.handlers_running_;
      stream.handler_done = true;
      if (!connection.closed_ && !stream.closed) {
        if (!stream.response_submitted) {
          // The request path gave no answer (the client went away mid-body, say).
          nghttp2_submit_rst_stream(connection.session_, NGHTTP2_FLAG_NONE, stream.id,
                                    NGHTTP2_INTERNAL_ERROR);
        } else if (stream.deferred) {
          // The body's end, or its cut: the data callback tells which.
          stream.deferred = false;
          nghttp2_session_resume_data(connection.session_, stream.id);
        }
      }
      connection.Wake();
    }
  } finished{*this, *stream, alive_};
  if (stream->channel.reset()) co_return;  // reset before it started (a rapid reset)

  RequestParser parser;
  parser.header_limit(options_.max_header_list_bytes + 1024);
  parser.body_limit(boost::none);  // streamed; the request path applies the zone's limit
  beast::flat_buffer buffer;
  SocketDeadline deadline(worker_.deadlines, nullptr);
  deadline.Watch(stream->channel);
  ClientStream client_stream(stream->channel);
  ClientExchange exchange{client_stream, deadline, buffer,          parser,
                          client_,       worker_,  stream->buffers, closing_};
  if (stream->refusal.has_value()) {
    co_await handler_.RefuseUnread(exchange, *stream->refusal);
    co_return;
  }
  beast::error_code error;
  co_await http::async_read_header(client_stream, buffer, parser, Redirect(error));
  if (error) {
    if (!stream->channel.reset()) co_await handler_.RefuseUnread(exchange, kMalformedHead);
    co_return;
  }
  co_await handler_.Handle(exchange);
  stream->answered = true;
  StopReadingIfAnswered(*stream);
}

void Http2Connection::StopReadingIfAnswered(Stream& stream) {
  // A complete answer to a request the client is still sending: the rest is not wanted
  // (RFC 9113 §8.1). Only once nghttp2 has read the answer's end: the RST_STREAM, a control
  // frame, would otherwise go out before the body's DATA frames still queued (a block or a 413
  // answered mid-upload, or a closed window, would reach the client without its body).
  if (closed_ || stream.closed || stream.request_ended || !stream.answered || !stream.body_sent) {
    return;
  }
  nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream.id, NGHTTP2_NO_ERROR);
  Wake();
}

void Http2Connection::OnResponseHead(Stream& stream, const ResponseFields& head) {
  if (closed_ || stream.closed || stream.response_submitted) return;
  char status[4];
  const auto status_end = std::to_chars(status, status + sizeof(status), head.status).ptr;
  absl::InlinedVector<nghttp2_nv, 24> fields;
  fields.push_back(
      NameValue(":status", std::string_view(status, static_cast<size_t>(status_end - status))));
  // nghttp2 copies the fields and lower-cases their names.
  for (const auto& [name, value] : head.fields) {
    fields.push_back(NameValue(name, value, IndexingOf(name)));
  }
  if (head.status / 100 == 1) {
    nghttp2_submit_headers(session_, NGHTTP2_FLAG_NONE, stream.id, nullptr, fields.data(),
                           fields.size(), nullptr);
  } else {
    nghttp2_data_provider body{};
    body.read_callback = Callbacks::ReadBody;
    nghttp2_submit_response(session_, stream.id, fields.data(), fields.size(),
                            head.has_body ? &body : nullptr);
    stream.response_submitted = true;
    stream.body_sent = !head.has_body;  // the HEADERS frame ends the stream
    stream.progress = std::chrono::steady_clock::now();
  }
  Wake();
}

void Http2Connection::OnResponseOutput(Stream& stream) {
  if (closed_ || stream.closed || !stream.deferred) return;
  stream.deferred = false;
  nghttp2_session_resume_data(session_, stream.id);
  Wake();
}

long Http2Connection::ReadResponseBody(int32_t stream_id, uint8_t* to, size_t length,
                                       uint32_t* flags) {
  Stream* stream = Find(stream_id);
  if (stream == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  beast::flat_buffer& output = stream->channel.output();
  const size_t n = std::min(length, output.size());
  std::memcpy(to, output.data().data(), n);
  output.consume(n);
  stream->channel.OutputTaken();
  if (n > 0) stream->progress = std::chrono::steady_clock::now();
  if (output.size() == 0 && stream->channel.output_ended()) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    stream->body_sent = true;
    // Queued behind this last DATA frame.
    StopReadingIfAnswered(*stream);
    return static_cast<long>(n);
  }
  if (n > 0) return static_cast<long>(n);
  // The request path is done and the body is not: it was cut short (the origin broke off).
  if (stream->handler_done) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  stream->deferred = true;
  return NGHTTP2_ERR_DEFERRED;
}

void Http2Connection::ResetStalledStreams() {
  const auto now = std::chrono::steady_clock::now();
  const int32_t connection_window = nghttp2_session_get_remote_window_size(session_);
  for (auto& [id, stream] : streams_) {
    if (!stream->response_submitted || stream->channel.output().size() == 0) continue;
    const int32_t window =
        std::min(connection_window, nghttp2_session_get_stream_remote_window_size(session_, id));
    if (window <= 0 && now - stream->progress >= options_.send_timeout) {
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
      stream->progress = now;  // once
    }
  }
}

void Http2Connection::Drain(std::chrono::milliseconds grace) {
  if (closed_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!drain_began_at_.has_value()) drain_began_at_ = now;
  if (!drain_notice_at_.has_value()) {
    if (highest_stream_id_ == 0 && now - *drain_began_at_ < grace) return;
    nghttp2_submit_shutdown_notice(session_);
    drain_notice_at_ = now;
    Wake();
  } else if (!drain_goaway_sent_ && now - *drain_notice_at_ >= grace) {
    nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                          nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                          nullptr, 0);
    drain_goaway_sent_ = true;
    Wake();
  }
}

}  // namespace gatehouse::runtime::http2

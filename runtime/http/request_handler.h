#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "rules/request_data.h"
#include "runtime/engine/phase_engine.h"
#include "runtime/engine/ray_id.h"
#include "runtime/engine/request_state.h"
#include "runtime/engine/shadow_ledger.h"
#include "runtime/http/http_types.h"
#include "runtime/http/socket_deadline.h"
#include "runtime/http/upstream_pool.h"
#include "runtime/http/wire_format.h"
#include "runtime/observability/access_log.h"
#include "runtime/observability/metrics.h"
#include "runtime/snapshot/snapshot_store.h"

namespace gatehouse::runtime {

struct RequestHandlerOptions {
  UpstreamPoolOptions upstream_pool;
  // From the request sent to the origin's response header, and then between body reads.
  std::chrono::milliseconds response_timeout{30000};
  // Each read of the client's request body, and each write to the client.
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds send_timeout{30000};
  // The whole request body, however it trickles: it must arrive within `body_deadline`, plus
  // one second for every `body_min_rate` bytes received (as Apache's mod_reqtimeout MinRate).
  // A slow reader of the body cannot hold a connection past that: 408.
  std::chrono::milliseconds body_deadline{60000};
  uint64_t body_min_rate = 1024;  // bytes per second; 0: no extension
  // A WebSocket (or other upgraded) tunnel with no bytes either way for this long is closed.
  std::chrono::milliseconds tunnel_idle_timeout{300000};
  // Body limit for zones that do not set max_request_body_bytes.
  uint64_t default_max_body_bytes = 100ull << 20;
  // How much of a request body the rules may inspect (http.request.body.raw): the proxy reads
  // this prefix before running the request phases and streams the rest.
  size_t inspect_body_bytes = 64 * 1024;
  // Adds a header naming the deployment-wide snapshot version that served the response. Off by
  // default: it tells every tenant how often the whole deployment changes. Each response of a
  // zone carries the zone's own version (gatehouse-zone-version) instead.
  bool snapshot_version_header = false;
  // The answer for a Host no zone serves.
  int unknown_host_status = 421;
  // The legacy proxy: hosts no zone serves, requests a rule marks not handled and shadowed
  // zones go there (a zone may name its own).
  std::optional<HostPort> fallback;
};

struct ClientInfo {
  asio::ip::address address;
  std::string address_text;  // formatted once per connection
};

// What a client connection keeps from one request to the next, so that a warm connection's
// requests allocate nothing for these.
struct ConnectionBuffers {
  std::unique_ptr<char[]> relay;      // bodies streamed through; null until a body needs it
  std::string head;                   // the heads of forwarded messages
  rules::HeaderList request_fields;   // the request's fields, as the phases read them
  rules::HeaderList response_fields;  // the response's fields, as the response phases read them
};

// What one worker thread owns and its connections share: the upstream pool and the deadlines of
// its sockets. Used only from that worker's thread.
struct WorkerContext {
  WorkerContext(const UpstreamPoolOptions& options, DeadlineSweeper& deadlines,
                const std::shared_ptr<const LinkedSnapshot>& snapshot)
      : upstreams(options), deadlines(deadlines), snapshot(snapshot) {}
  UpstreamPool upstreams;
  DeadlineSweeper& deadlines;
  // The snapshot this worker serves: its own entry of the server's WorkerSlot, switched on this
  // worker's thread on each swap. Null until the first snapshot loads.
  const std::shared_ptr<const LinkedSnapshot>& snapshot;
};

// The client side of one request: its connection, the connection's read buffer, and the parser
// that has read the request's header. The body, if any, is still to be read.
struct ClientExchange {
  beast::tcp_stream& stream;
  SocketDeadline& deadline;  // bounds reads from and writes to the client
  beast::flat_buffer& buffer;
  RequestParser& parser;
  const ClientInfo& client;
  WorkerContext& worker;
  ConnectionBuffers& buffers;
  // Set while the server drains: this response carries Connection: close.
  const bool& closing;
};

// An answer the edge gives a request it will not serve, after which the connection closes.
struct Refusal {
  http::status status;
  std::string_view text;    // a literal: the body
  std::string_view action;  // a literal: for metrics and the access log
};

// What a failed read of a request body means for the client: a timeout is 408, a chunk header or
// trailer block past the read buffer's bound 400 / 431, a framing error 400. Null: the client
// went away (nothing to answer). `buffer` holds the bytes not yet parsed.
std::optional<Refusal> BodyReadRefusal(const beast::error_code& error,
                                       const beast::flat_buffer& buffer);

// Serves one request whose header has been read: pins the current snapshot, finds the zone,
// runs the request phases, forwards to the origin (or answers at the edge), runs the response
// phases, and writes the response, streaming bodies both ways.
class RequestHandler {
 public:
  // `metrics` and `access_log` may be null.
  RequestHandler(const PhaseEngine& engine, RequestHandlerOptions options,
                 ProxyMetrics* metrics, AccessLog* access_log = nullptr,
                 ShadowLedger* shadow_ledger = nullptr);

  // Returns whether the connection may carry another request.
  asio::awaitable<bool> Handle(ClientExchange& exchange);

  // Answers a request whose header could not be read whole (malformed, too large, too slow):
  // like every answer of the edge it carries a ray ID and is logged and counted.
  asio::awaitable<void> RefuseUnread(ClientExchange& exchange, Refusal refusal);

  const RequestHandlerOptions& options() const { return options_; }

 private:
  // What one request carries to its end for headers, metrics and the access log.
  struct RequestTrace;
  // Shadow mode: what Gatehouse would have answered (0: passed) and the rule that decided.
  struct ShadowVerdict {
    std::string rule;
    int would_answer = 0;
  };
  // Where a request goes: the origin the phases chose (phases set: their rewrites apply and
  // the response phases run), or the fallback proxy (phases null: the request goes unchanged).
  struct Destination {
    HostPort server;
    std::string host_header;  // empty: the request's own
    RequestState* phases = nullptr;
    std::optional<ShadowVerdict> shadow;
  };

  asio::awaitable<bool> Forward(ClientExchange& exchange, RequestTrace& trace,
                                Destination destination, std::string body_prefix,
                                boost::optional<uint64_t> declared_length, uint64_t body_limit);

  // Writes a response the edge made itself and finishes the request. `fields` (null: the
  // response's own) are the response phases' edited fields.
  asio::awaitable<bool> RespondLocally(ClientExchange& exchange, RequestTrace& trace,
                                       HttpResponse response,
                                       const rules::HeaderList* fields = nullptr);
  // How long the next read of the request body may wait, `received` bytes of it read: the
  // per-read timeout, cut to what is left of the whole body's deadline (<= 0: none).
  std::chrono::milliseconds BodyReadTimeout(const RequestTrace& trace, uint64_t received) const;
  // Storage for the version headers' digits, on the caller's frame.
  struct VersionDigits {
    char zone[24];
    char snapshot[24];
  };
  // Sets the zone's version header (when a zone was found) and the snapshot's (when enabled).
  void SetVersionHeaders(const RequestTrace& trace, VersionDigits& digits,
                         ClientResponseEdits& edits) const;
  // Answers a request that cannot be served (malformed, too large, too slow) and closes.
  // `action` must outlive the request (a literal).
  asio::awaitable<bool> Refuse(ClientExchange& exchange, RequestTrace& trace, Refusal refusal);
  // Runs the response phases over a response the edge made, then writes it.
  asio::awaitable<bool> RespondAfterResponsePhases(ClientExchange& exchange, RequestTrace& trace,
                                                   RequestState& phases, HttpResponse response);
  // Notes the rules that matched and the values refused since the last call.
  static void NotePhaseOutcomes(const RequestState& phases, RequestTrace& trace);
  // Whether the connection may carry another request after this one's response.
  static bool MayKeepAlive(const ClientExchange& exchange, const RequestTrace& trace);
  void Finish(ClientExchange& exchange, RequestTrace& trace, int status);

  const PhaseEngine& engine_;
  const RequestHandlerOptions options_;
  ProxyMetrics* metrics_;
  AccessLog* access_log_;
  ShadowLedger* shadow_ledger_;
  RayIdGenerator ray_ids_;
};

// A response the edge writes itself (errors, blocks), with a short text body.
HttpResponse MakeEdgeResponse(http::status status, unsigned version, std::string_view body,
                              std::string_view content_type = "text/plain");

}  // namespace gatehouse::runtime

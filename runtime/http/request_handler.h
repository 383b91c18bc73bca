#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "engine/phase_engine.h"
#include "engine/request_state.h"
#include "rules/request_data.h"
#include "rules/scratch.h"
#include "runtime/client_address/trusted_proxies.h"
#include "runtime/http/client_exchange.h"
#include "runtime/http/downstream_request.h"
#include "runtime/http/http_types.h"
#include "runtime/http/request_trace.h"
#include "runtime/http/response_encoder.h"
#include "runtime/http/socket_deadline.h"
#include "runtime/http/upstream_exchange.h"
#include "runtime/http/upstream_pool.h"
#include "runtime/observability/access_log.h"
#include "runtime/observability/metrics.h"
#include "runtime/observability/ray_id.h"
#include "runtime/observability/shadow_ledger.h"
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
  // The proxies in front (--trusted-proxies): a request whose connection comes from one of them
  // has its client read from X-Forwarded-For (rightmost untrusted). Empty: the connection's
  // address is every request's client.
  TrustedProxies trusted_proxies;
  // Where the rules' geolocation fields look clients up (--geoip-db); null: nowhere.
  const rules::GeoLocator* geo = nullptr;
};

// What one worker thread owns and its connections share: the upstream pool, the deadlines of
// its sockets, its snapshot, its rules' scratch and its shards of the metrics and the access
// log. Used only from that worker's thread.
struct WorkerContext {
  WorkerContext(const UpstreamPoolOptions& options, DeadlineSweeper& deadlines,
                const std::shared_ptr<const LinkedSnapshot>& snapshot, rules::Scratch& scratch,
                WorkerRecords records)
      : upstreams(options),
        deadlines(deadlines),
        snapshot(snapshot),
        scratch(scratch),
        records(records) {}
  UpstreamPool upstreams;
  DeadlineSweeper& deadlines;
  // The snapshot this worker serves: its own entry of the server's WorkerSlot, switched on this
  // worker's thread on each swap. Null until the first snapshot loads.
  const std::shared_ptr<const LinkedSnapshot>& snapshot;
  // What the rules' evaluations reuse from one request to the next: the worker's own entry of
  // the server's WorkerSlot, which outlives the worker's coroutines.
  rules::Scratch& scratch;
  // Where this worker's requests are counted and logged (RequestHandler::AddWorker).
  const WorkerRecords records;
};

// Serves one request whose header has been read: pins the current snapshot, finds the zone,
// runs the request phases, forwards to the origin (or answers at the edge), runs the response
// phases, and writes the response, streaming bodies both ways.
class RequestHandler {
 public:
  // `metrics` and `access_log` may be null.
  RequestHandler(const engine::PhaseEngine& engine, RequestHandlerOptions options,
                 ProxyMetrics* metrics, AccessLog* access_log = nullptr,
                 ShadowLedger* shadow_ledger = nullptr);

  // The shards of the metrics and the access log a new worker records into.
  WorkerRecords AddWorker() { return recorder_.AddWorker(); }

  // Returns whether the connection may carry another request.
  asio::awaitable<bool> Handle(ClientExchange& exchange);

  // Answers a request whose header could not be read whole (malformed, too large, too slow):
  // like every answer of the edge it carries a ray ID and is logged and counted.
  asio::awaitable<void> RefuseUnread(ClientExchange& exchange, Refusal refusal);

  const RequestHandlerOptions& options() const { return options_; }

 private:
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
    engine::RequestState* phases = nullptr;
    std::optional<ShadowVerdict> shadow;
  };

  // Serves a request for `zone`: reads the body's prefix, runs the request phases, and answers
  // at the edge or forwards (to the route's origin, or the fallback).
  asio::awaitable<bool> ServeZone(ClientExchange& exchange, RequestTrace& trace,
                                  const LinkedZone& zone, std::string_view host);
  // Sends the request to `destination` (its body's prefix already read) and relays the answer.
  asio::awaitable<bool> Forward(ClientExchange& exchange, RequestTrace& trace,
                                const Destination& destination, std::string body_prefix,
                                DownstreamBody& body);
  // Relays an origin's response header and body; `phases` (may be null) edited its fields.
  asio::awaitable<bool> Relay(ClientExchange& exchange, RequestTrace& trace,
                              UpstreamExchange& upstream, engine::RequestState* phases);
  // Relays an origin's 101 and then tunnels the upgraded connection.
  asio::awaitable<bool> RelayUpgrade(ClientExchange& exchange, RequestTrace& trace,
                                     UpstreamExchange& upstream);
  // Answers a request whose origin failed before any byte was relayed (through the response
  // phases when there are any, like every edge answer).
  asio::awaitable<bool> RespondOriginFailure(ClientExchange& exchange, RequestTrace& trace,
                                             engine::RequestState* phases,
                                             const OriginFailure& failure);
  // Writes a response the edge made itself and finishes the request. `fields` (null: the
  // response's own) are the response phases' edited fields.
  asio::awaitable<bool> RespondLocally(ClientExchange& exchange, RequestTrace& trace,
                                       HttpResponse response,
                                       const rules::HeaderList* fields = nullptr);
  // Answers a request that cannot be served (malformed, too large, too slow) and closes.
  asio::awaitable<bool> Refuse(ClientExchange& exchange, RequestTrace& trace, Refusal refusal);
  // Runs the response phases over a response the edge made, then writes it.
  asio::awaitable<bool> RespondAfterResponsePhases(ClientExchange& exchange, RequestTrace& trace,
                                                   engine::RequestState& phases,
                                                   HttpResponse response);
  // What a response to this request depends on for its framing and keep-alive.
  static ResponseClient ClientOf(const ClientExchange& exchange, const RequestTrace& trace);
  BodyDeadline BodyDeadlineOf(const RequestTrace& trace) const;

  const engine::PhaseEngine& engine_;
  const RequestHandlerOptions options_;
  ShadowLedger* shadow_ledger_;
  RequestRecorder recorder_;
};

}  // namespace gatehouse::runtime

#pragma once

// What one request carries from its start to its end for the response's edge headers, metrics
// and the access log, and the one way a request's trace starts and ends: a ray ID and a clock
// at the start, a count and a log line at the end.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/request_state.h"
#include "runtime/client_address/client_address.h"
#include "runtime/http/client_exchange.h"
#include "runtime/http/http_types.h"
#include "runtime/http/response_encoder.h"
#include "runtime/observability/access_log.h"
#include "runtime/observability/metrics.h"
#include "runtime/observability/ray_id.h"
#include "runtime/snapshot/snapshot_store.h"

namespace gatehouse::runtime {

// The version the client spoke, as rules and the access log name it: an HTTP/2 stream reaches
// the request path as HTTP/1.1 (runtime/http2), with `http2` set.
std::string_view ProtocolName(bool http2, unsigned version);

struct RequestTrace {
  using Clock = std::chrono::steady_clock;

  Clock::time_point started = Clock::now();
  RayId ray_id;
  // The request's cf.random_seed, drawn when the rules' request data is made.
  std::array<unsigned char, 16> random_seed{};
  // The request's client: what ip.src, ::CLIENT_IP::, the access log (and rate limits) use.
  // The connection's address, or behind trusted proxies the one their X-Forwarded-For names
  // (RequestHandler::Handle decides it).
  ClientAddress client;
  bool http2 = false;  // the client spoke HTTP/2 (the request path reads it as HTTP/1.1)
  std::shared_ptr<const LinkedSnapshot> snapshot;  // pinned until the request ends
  std::string_view zone;
  // What decided the response, for metrics and logs.
  std::string_view action = "proxied";
  std::vector<std::pair<std::string_view, std::string_view>> rules;
  uint64_t request_body_bytes = 0;
  uint64_t response_body_bytes = 0;
  Clock::duration upstream_time{};
  std::string upstream;
  // Set when the connection cannot carry another request (e.g. the body was not read whole).
  bool must_close = false;
  // The request-target in origin-form, as the rules see it and the origin receives it.
  std::string_view target;
  // Absolute-form's authority: the Host the origin receives (unless a route sets one).
  std::string_view authority;
  // The request switches protocols and the edge tunnels it.
  bool tunnel = false;
  // The serving zone's own version; 0 until a zone is found.
  uint64_t zone_version = 0;
  // How many of the phases' matched rules are already in `rules`.
  size_t noted_matches = 0;
  // Actions not applied because a value they computed cannot go on the wire: (rule, reason).
  std::vector<std::pair<std::string_view, std::string_view>> refused;
  // What managed rulesets found (the managed WAF's matched rule ids and anomaly score).
  std::vector<ManagedLogEntry> managed;
};

// Notes the rules that matched and the values refused since the last call.
void NotePhaseOutcomes(const engine::RequestState& phases, RequestTrace& trace);

// Storage for the version headers' digits, on the caller's frame.
struct VersionDigits {
  char zone[24];
  char snapshot[24];
};

// The edge's headers for a response to the traced request: the ray ID, the zone's version (when
// a zone was found) and the snapshot's (when `with_snapshot`), formatted into `digits`.
EdgeHeaders EdgeHeadersOf(const RequestTrace& trace, bool with_snapshot, VersionDigits& digits);

// One worker's own shards of the metrics and the access log (null: that one is off). A worker
// records only into its own, so workers share no lock or cache line.
struct WorkerRecords {
  ProxyMetrics::Shard* metrics = nullptr;
  AccessLog::Shard* access_log = nullptr;
};

// Starts and ends the traces of requests: ray IDs, the clock, metrics and the access log.
class RequestRecorder {
 public:
  // `metrics` and `access_log` may be null.
  RequestRecorder(ProxyMetrics* metrics, AccessLog* access_log)
      : metrics_(metrics), access_log_(access_log) {}

  // The shards a new worker records into.
  WorkerRecords AddWorker();

  // A new request from `client`: its ray ID, its clock started now, and the connection's address
  // as its client.
  void Start(const ClientInfo& client, RequestTrace& trace);
  // The request was answered with `status`: counted and logged into the worker's `records`.
  void Finish(const WorkerRecords& records, const http::request_header<>& request,
              const RequestTrace& trace, int status);

 private:
  ProxyMetrics* const metrics_;
  AccessLog* const access_log_;
  RayIdGenerator ray_ids_;
};

}  // namespace gatehouse::runtime

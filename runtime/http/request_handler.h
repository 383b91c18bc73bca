#pragma once

#include <atomic>
#include <string>

#include "runtime/engine/phase_engine.h"
#include "runtime/engine/ray_id.h"
#include "runtime/http/http_types.h"
#include "runtime/http/upstream_client.h"
#include "runtime/observability/metrics.h"
#include "runtime/snapshot/snapshot_store.h"

namespace gatehouse::runtime {

struct RequestHandlerOptions {
  UpstreamOptions upstream;
  // Adds a header naming the snapshot version that served the response.
  bool snapshot_version_header = true;
  // The answer for a Host no zone serves.
  int unknown_host_status = 421;
};

struct ClientInfo {
  asio::ip::address address;
};

// Serves one parsed request: pins the current snapshot, finds the zone, runs the request
// phases, forwards to the origin (or answers at the edge), then runs the response phases.
class RequestHandler {
 public:
  // `metrics` may be null (no metrics kept).
  RequestHandler(SnapshotStore& store, const PhaseEngine& engine, RequestHandlerOptions options,
                 ProxyMetrics* metrics);

  asio::awaitable<HttpResponse> Handle(HttpRequest& request, const ClientInfo& client);

 private:
  SnapshotStore& store_;
  const PhaseEngine& engine_;
  const RequestHandlerOptions options_;
  ProxyMetrics* metrics_;
  RayIdGenerator ray_ids_;
  std::atomic<uint64_t> round_robin_{0};
};

// A response the edge writes itself (errors, blocks), with a short text body.
HttpResponse MakeEdgeResponse(http::status status, unsigned version, std::string_view body,
                              std::string_view content_type = "text/plain");

}  // namespace gatehouse::runtime

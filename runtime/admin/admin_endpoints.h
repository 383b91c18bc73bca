#pragma once

#include "runtime/http/simple_server.h"
#include "runtime/observability/metrics.h"
#include "runtime/snapshot/snapshot_store.h"

namespace gatehouse::runtime {

// The proxy's admin listener:
//   /metrics   Prometheus text format
//   /healthz   200 while the process runs
//   /readyz    200 once a snapshot is loaded, else 503
//   /snapshot  JSON: the served snapshot's version, hash and zones
SimpleHttpServer::Handler MakeAdminHandler(const SnapshotStore& store,
                                           const ProxyMetrics& metrics);

// The /snapshot document.
std::string SnapshotSummaryJson(const LinkedSnapshot* snapshot);

}  // namespace gatehouse::runtime

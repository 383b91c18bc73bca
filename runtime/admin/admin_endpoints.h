#pragma once

#include <string>

#include "runtime/http/simple_server.h"
#include "runtime/observability/metrics.h"
#include "runtime/observability/shadow_ledger.h"
#include "runtime/snapshot/snapshot_store.h"

namespace gatehouse::runtime {

// The proxy's admin listener:
//   /metrics   Prometheus text format
//   /healthz   200 while the process runs
//   /readyz    200 once a snapshot is loaded and while updates are not refused (503 after
//              SnapshotStore::kRefusalsBeforeUnready refusals in a row); the first line says
//              which, and with a control plane a second line `control_channel: MODE` says how
//              it is reached (plaintext, tls or mtls); a line
//              `certificates_without_keys: ZONE,…` names zones whose certificates came without
//              private keys (a plaintext control channel carries none) and are not served
//   /snapshot  JSON: the served snapshot's version, lineage, hash and zones (each with its
//              certificates: fingerprint, names, not_after, expiry, whether its key came),
//              certificate counts (expiring within 14 days, expired) and refusals
//   /shadow    JSON: shadow mode's agreement with the legacy proxy, per zone and rule
SimpleHttpServer::Handler MakeAdminHandler(const SnapshotStore& store,
                                           const ProxyMetrics& metrics,
                                           const ShadowLedger& shadow,
                                           std::string control_channel = "");

// The /snapshot document.
std::string SnapshotSummaryJson(const LinkedSnapshot* snapshot,
                                const SnapshotStore::Refusals& refusals);

}  // namespace gatehouse::runtime

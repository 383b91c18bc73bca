#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse::runtime::tls {

// Certificates expiring within this are reported (metrics, /snapshot).
inline constexpr int64_t kExpiringSoonSeconds = 14 * 24 * 3600;

// What the operator must hear of a snapshot's certificates, at `now_unix`.
struct CertificateReport {
  int64_t certificates = 0;
  int64_t expiring_soon = 0;  // within kExpiringSoonSeconds, not yet expired
  int64_t expired = 0;
  int64_t soonest_not_after = 0;  // the earliest not_after of all; 0: no certificate
  // Zones whose certificates came without private keys (over a plaintext control channel):
  // not served.
  std::vector<std::string> zones_without_keys;
};

CertificateReport ReportCertificates(const LinkedSnapshot& snapshot, int64_t now_unix);

// A certificate's state at `now_unix`: "ok", "expiring_soon" or "expired".
const char* ExpiryState(const snapshot::v1::ZoneCertificate& certificate, int64_t now_unix);

}  // namespace gatehouse::runtime::tls

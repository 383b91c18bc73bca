#include "runtime/tls/certificate_report.h"

namespace gatehouse::runtime::tls {

const char* ExpiryState(const snapshot::v1::ZoneCertificate& certificate, int64_t now_unix) {
  if (certificate.not_after_unix() <= now_unix) return "expired";
  if (certificate.not_after_unix() - now_unix <= kExpiringSoonSeconds) return "expiring_soon";
  return "ok";
}

CertificateReport ReportCertificates(const LinkedSnapshot& snapshot, int64_t now_unix) {
  CertificateReport report;
  for (const auto* entry : snapshot.zones().Sorted()) {
    const auto& [zone, linked] = *entry;
    bool keyless = false;
    for (const snapshot::v1::ZoneCertificate& certificate : linked->certificates) {
      ++report.certificates;
      const std::string_view state = ExpiryState(certificate, now_unix);
      if (state == "expired") ++report.expired;
      if (state == "expiring_soon") ++report.expiring_soon;
      if (report.soonest_not_after == 0 ||
          certificate.not_after_unix() < report.soonest_not_after) {
        report.soonest_not_after = certificate.not_after_unix();
      }
      keyless = keyless || certificate.key_pem().empty();
    }
    if (keyless) report.zones_without_keys.push_back(zone);
  }
  return report;
}

}  // namespace gatehouse::runtime::tls

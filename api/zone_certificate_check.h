#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api {

// The checks a zone's certificate passes before anything stores or compiles it in, the same for
// the control plane's UploadCertificate and `gatectl compile --cert`: the chain parses, the key
// is its leaf's, the leaf is valid at `now_unix`, and it covers every host name of the zone
// (`hostnames`). Returns the certificate as a snapshot carries it (chain and key re-encoded:
// only certificates in the chain, only the key in the key), or INVALID_ARGUMENT saying what is
// wrong, naming the host names it does not cover.
absl::StatusOr<snapshot::v1::ZoneCertificate> CheckZoneCertificate(
    const std::string& zone, const std::vector<std::string>& hostnames, std::string_view chain_pem,
    std::string_view key_pem, int64_t now_unix);

// "certificate ab12…: expires 2026-03-01 12:00:00 UTC, in 9 days" for a certificate expired or
// expiring within 14 days (kCertificateExpiryWarningSeconds); empty otherwise.
std::string CertificateExpiryWarning(const std::string& zone, const std::string& fingerprint,
                                     int64_t not_after_unix, int64_t now_unix);

}  // namespace gatehouse::api

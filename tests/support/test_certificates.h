#pragma once

#include <openssl/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::testing {

// A certificate as the control plane puts it in a snapshot (CompiledZone.certificates), from
// PEM files (test_pki.h): the leaf's fingerprint, DNS names and validity read from it. Without
// `with_key`, as a snapshot from a plaintext control channel carries it.
absl::StatusOr<snapshot::v1::ZoneCertificate> ZoneCertificateOf(const std::string& chain_file,
                                                                const std::string& key_file,
                                                                bool with_key = true);

// A leaf's fingerprint as ZoneCertificate.fingerprint gives it: lower-case hex SHA-256 of its DER.
std::string CertificateFingerprint(X509* leaf);

// Gives zone `zone` of the snapshot file at `path` (as `gatectl compile` wrote it) the
// certificates `certificates`, in place, sorted by fingerprint as the control plane sends them.
absl::Status SetZoneCertificates(const std::string& path, const std::string& zone,
                                 std::vector<snapshot::v1::ZoneCertificate> certificates);

}  // namespace gatehouse::testing

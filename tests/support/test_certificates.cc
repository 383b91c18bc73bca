#include "tests/support/test_certificates.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>

#include "common/file_util.h"
#include "common/tls_certificate.h"
#include "plan/snapshot_file.h"

namespace gatehouse::testing {

std::string CertificateFingerprint(X509* leaf) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(leaf, EVP_sha256(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string fingerprint;
  for (unsigned int i = 0; i < length; ++i) {
    fingerprint += kHex[digest[i] >> 4];
    fingerprint += kHex[digest[i] & 15];
  }
  return fingerprint;
}

absl::StatusOr<snapshot::v1::ZoneCertificate> ZoneCertificateOf(const std::string& chain_file,
                                                                const std::string& key_file,
                                                                bool with_key) {
  std::string chain;
  if (!ReadFile(chain_file, &chain)) return absl::NotFoundError("cannot read " + chain_file);
  snapshot::v1::ZoneCertificate out;
  out.set_chain_pem(chain);
  if (with_key) {
    std::string key;
    if (!ReadFile(key_file, &key)) return absl::NotFoundError("cannot read " + key_file);
    out.set_key_pem(key);
  }
  // The metadata as the control plane reads it (common/tls_certificate.h).
  auto parsed = ParseCertificateChain(chain);
  if (!parsed.ok()) return parsed.status();
  out.set_fingerprint(parsed->fingerprint);
  for (const std::string& name : parsed->names) out.add_names(name);
  out.set_not_before_unix(parsed->not_before_unix);
  out.set_not_after_unix(parsed->not_after_unix);
  return out;
}

absl::Status SetZoneCertificates(const std::string& path, const std::string& zone,
                                 std::vector<snapshot::v1::ZoneCertificate> certificates) {
  auto snapshot = plan::ReadSnapshotFile(path);
  if (!snapshot.ok()) return snapshot.status();
  std::sort(certificates.begin(), certificates.end(),
            [](const auto& a, const auto& b) { return a.fingerprint() < b.fingerprint(); });
  for (snapshot::v1::CompiledZone& compiled : *snapshot->mutable_zones()) {
    if (compiled.zone() != zone) continue;
    compiled.clear_certificates();
    for (auto& certificate : certificates) *compiled.add_certificates() = std::move(certificate);
    return plan::WriteSnapshotFileAtomic(path, *snapshot);
  }
  return absl::NotFoundError("no zone " + zone + " in " + path);
}

}  // namespace gatehouse::testing

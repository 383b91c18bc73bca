#include "tests/support/test_certificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "common/file_util.h"
#include "plan/snapshot_file.h"

namespace gatehouse::testing {
namespace {

int64_t UnixTime(const ASN1_TIME* time) {
  std::tm parts{};
  ASN1_TIME_to_tm(time, &parts);
  return static_cast<int64_t>(timegm(&parts));
}

}  // namespace

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
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(chain.data(), static_cast<int>(chain.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> leaf(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (leaf == nullptr) return absl::InvalidArgumentError(chain_file + ": no certificate");
  out.set_fingerprint(CertificateFingerprint(leaf.get()));
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_DNS) continue;
    const ASN1_STRING* dns = name->d.dNSName;
    out.add_names(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                              ASN1_STRING_length(dns)));
  }
  GENERAL_NAMES_free(names);
  out.set_not_before_unix(UnixTime(X509_get0_notBefore(leaf.get())));
  out.set_not_after_unix(UnixTime(X509_get0_notAfter(leaf.get())));
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

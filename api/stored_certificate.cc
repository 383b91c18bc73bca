#include "api/stored_certificate.h"

#include <openssl/crypto.h>

namespace gatehouse::api {

StoredCertificate SealCertificate(const std::string& zone,
                                  const snapshot::v1::ZoneCertificate& certificate,
                                  const SecretsKey& secrets_key, const std::string& author,
                                  int64_t created_unix_ms) {
  StoredCertificate stored;
  stored.zone = zone;
  stored.fingerprint = certificate.fingerprint();
  stored.chain_pem = certificate.chain_pem();
  stored.sealed_key =
      secrets_key.Seal(certificate.key_pem(), CertificateKeyBinding(zone, stored.fingerprint));
  stored.names.assign(certificate.names().begin(), certificate.names().end());
  stored.not_before_unix = certificate.not_before_unix();
  stored.not_after_unix = certificate.not_after_unix();
  stored.created_unix_ms = created_unix_ms;
  stored.author = author;
  return stored;
}

absl::StatusOr<StoredCertificate> ResealedCertificate(const StoredCertificate& stored,
                                                      const SecretsKey& secrets_key) {
  const std::string binding = CertificateKeyBinding(stored.zone, stored.fingerprint);
  auto key = secrets_key.Open(stored.sealed_key, binding);
  if (!key.ok()) {
    return absl::DataLossError("the private key of certificate " + stored.fingerprint +
                               " of zone " + stored.zone + ": " +
                               std::string(key.status().message()));
  }
  StoredCertificate resealed = stored;
  resealed.sealed_key = secrets_key.Seal(*key, binding);
  OPENSSL_cleanse(key->data(), key->size());
  return resealed;
}

absl::StatusOr<snapshot::v1::ZoneCertificate> PublishedCertificate(const StoredCertificate& stored,
                                                                   const SecretsKey* secrets_key) {
  snapshot::v1::ZoneCertificate out;
  out.set_chain_pem(stored.chain_pem);
  out.set_fingerprint(stored.fingerprint);
  for (const std::string& name : stored.names) out.add_names(name);
  out.set_not_before_unix(stored.not_before_unix);
  out.set_not_after_unix(stored.not_after_unix);
  if (secrets_key != nullptr) {
    auto key = secrets_key->Open(stored.sealed_key,
                                 CertificateKeyBinding(stored.zone, stored.fingerprint));
    if (!key.ok()) {
      return absl::DataLossError("the private key of certificate " + stored.fingerprint +
                                 " of zone " + stored.zone + ": " +
                                 std::string(key.status().message()));
    }
    out.set_key_pem(*std::move(key));
  }
  return out;
}

}  // namespace gatehouse::api

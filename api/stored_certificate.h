#pragma once

// A zone's certificate between the store and the snapshot: its key sealed with the control
// plane's secrets key when stored, opened when published (api/secrets_key.h), and left out of
// what a control plane without TLS publishes.

#include <string>

#include "absl/status/statusor.h"
#include "api/config_store.h"
#include "api/secrets_key.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api {

// The stored form of a checked certificate (CheckZoneCertificate): the key sealed, bound to
// the zone and fingerprint.
StoredCertificate SealCertificate(const std::string& zone,
                                  const snapshot::v1::ZoneCertificate& certificate,
                                  const SecretsKey& secrets_key, const std::string& author,
                                  int64_t created_unix_ms);

// `stored` with its key sealed again by the current secrets key, for a key sealed by a previous
// one (SecretsKey::SealedWithCurrentKey is false); DATA_LOSS when no key opens it.
absl::StatusOr<StoredCertificate> ResealedCertificate(const StoredCertificate& stored,
                                                      const SecretsKey& secrets_key);

// The certificate as published. With `secrets_key` the key is opened (DATA_LOSS when it does
// not open: another secrets key, or an altered store); without, key_pem stays empty.
absl::StatusOr<snapshot::v1::ZoneCertificate> PublishedCertificate(const StoredCertificate& stored,
                                                                   const SecretsKey* secrets_key);

}  // namespace gatehouse::api

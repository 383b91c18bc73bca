#include "api/authenticator_impl.h"

#include <openssl/crypto.h>

#include "api/token_codec.h"

namespace gatehouse::api {

AuthenticatorImpl::AuthenticatorImpl(const std::string& admin_token, const TokenStore& tokens)
    : tokens_(tokens) {
  if (!admin_token.empty()) admin_hash_ = HashToken(admin_token);
}

absl::StatusOr<Principal> AuthenticatorImpl::Authenticate(std::string_view authorization) const {
  if (!admin_hash_.has_value()) return Principal::Admin("anonymous");
  const std::string token = BearerToken(authorization);
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "no token: give gatectl --token or set GATEHOUSE_TOKEN (a proxy: --token-file; other "
        "clients send \"authorization: Bearer <token>\" metadata)");
  }
  const std::string hash = HashToken(token);
  // Equal-length hex digests: CRYPTO_memcmp takes the same time wherever they differ.
  if (CRYPTO_memcmp(hash.data(), admin_hash_->data(), hash.size()) == 0) {
    return Principal::Admin();
  }
  auto record = tokens_.FindByHash(hash);
  // A store that cannot be read (etcd without quorum) says so: the token may well be valid.
  if (!record.ok() && !absl::IsNotFound(record.status())) {
    return absl::UnavailableError("cannot check the token now: " +
                                  std::string(record.status().message()));
  }
  if (!record.ok() || record->revoked) {
    return absl::UnauthenticatedError(
        "unknown or revoked token: check gatectl --token / GATEHOUSE_TOKEN (a proxy: "
        "--token-file)");
  }
  Principal principal;
  principal.id = record->id;
  principal.permission = record->permission;
  principal.zones.insert(record->zones.begin(), record->zones.end());
  return principal;
}

}  // namespace gatehouse::api

#pragma once

#include <optional>
#include <string>

#include "api/authenticator.h"
#include "api/token_store.h"

namespace gatehouse::api {

// The admin token (compared by hash, in constant time) and the tokens of a TokenStore. Without
// an admin token, authentication is disabled: every call is the admin's, whatever it presents.
class AuthenticatorImpl : public Authenticator {
 public:
  // `admin_token` empty: disabled.
  AuthenticatorImpl(const std::string& admin_token, const TokenStore& tokens);

  absl::StatusOr<Principal> Authenticate(std::string_view authorization) const override;
  bool enabled() const override { return admin_hash_.has_value(); }
  uint64_t revocation_count() const override { return tokens_.revocation_count(); }

 private:
  std::optional<std::string> admin_hash_;
  const TokenStore& tokens_;
};

}  // namespace gatehouse::api

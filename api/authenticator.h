#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "api/principal.h"

namespace gatehouse::api {

// Turns the "authorization" metadata of a call into a Principal.
class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // `authorization` is the header value ("Bearer …"), empty when absent. UNAUTHENTICATED when
  // it is missing, malformed, unknown or revoked.
  virtual absl::StatusOr<Principal> Authenticate(std::string_view authorization) const = 0;
  // False when no admin token is configured and every caller is treated as the admin.
  virtual bool enabled() const = 0;
  // Changes whenever a token is revoked, so that open streams authenticate again.
  virtual uint64_t revocation_count() const = 0;
};

}  // namespace gatehouse::api

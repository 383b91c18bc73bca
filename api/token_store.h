#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// One API or node token. The secret is never stored: only the SHA-256 of the whole token.
struct TokenRecord {
  std::string id;
  std::string token_hash;  // lower-case hex SHA-256 of the bearer token
  v1::Permission permission = v1::PERMISSION_UNSPECIFIED;
  std::vector<std::string> zones;  // sorted
  std::string description;
  int64_t created_unix_ms = 0;
  bool revoked = false;
};

// Durable token records. Implementations are thread-safe.
class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // ALREADY_EXISTS when the id or hash is taken.
  virtual absl::Status Create(const TokenRecord& record) = 0;
  // The token whose hash is `token_hash`, revoked or not; NOT_FOUND when none.
  virtual absl::StatusOr<TokenRecord> FindByHash(const std::string& token_hash) const = 0;
  virtual std::vector<TokenRecord> List() const = 0;
  // NOT_FOUND when no token has this id.
  virtual absl::Status Revoke(const std::string& id) = 0;
  // Revocations applied since the store was opened: when it changes, long-lived calls (Watch
  // streams) check their token again.
  virtual uint64_t revocation_count() const = 0;
};

}  // namespace gatehouse::api

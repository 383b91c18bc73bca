#pragma once

// The key that seals secrets (certificates' private keys) at rest in the control plane's store:
// AES-256-GCM through OpenSSL's EVP interface, a fresh random 96-bit nonce per seal, and
// associated data that binds a sealed value to what it belongs to (a key sealed for one zone
// and certificate does not open as another's).

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gatehouse::api {

class SecretsKey {
 public:
  static constexpr size_t kKeyBytes = 32;

  // A key file's contents: exactly 32 bytes, or 64 hex digits, or the base64 of 32 bytes
  // (trailing white space ignored for the two text forms). INVALID_ARGUMENT otherwise, saying
  // what was found.
  static absl::StatusOr<SecretsKey> FromFileContents(std::string_view contents);
  // Reads `path` (the --secrets-key-file) and parses it as FromFileContents; errors name it.
  static absl::StatusOr<SecretsKey> ReadFile(const std::string& path);

  // version byte 1 | 12-byte nonce | ciphertext | 16-byte tag.
  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // The plaintext, or DATA_LOSS when `sealed` was not made by this key with this associated
  // data (another key, a change to a byte, a value moved to another row).
  absl::StatusOr<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

 private:
  explicit SecretsKey(const std::array<unsigned char, kKeyBytes>& key) : key_(key) {}

  std::array<unsigned char, kKeyBytes> key_;
};

}  // namespace gatehouse::api

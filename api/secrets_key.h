#pragma once

// The key that seals secrets (certificates' private keys) at rest in the control plane's store:
// AES-256-GCM through OpenSSL's EVP interface, a fresh random 96-bit nonce per seal, and
// associated data that binds a sealed value to what it belongs to (a key sealed for one zone
// and certificate does not open as another's). Rotation: the keys it replaces
// (--previous-secrets-key-file) still open what they sealed, and the control plane seals those
// values again with the current key at start, after which the previous keys can be destroyed.

#include <array>
#include <string>
#include <string_view>
#include <vector>

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
  // ReadFile(current), able to open too what the keys in `previous` sealed (errors name the
  // file and its flag).
  static absl::StatusOr<SecretsKey> ReadFiles(const std::string& current,
                                              const std::vector<std::string>& previous);

  // Adds a key this one replaces: Open tries it after the current key.
  void AddPreviousKey(const SecretsKey& previous);
  size_t previous_key_count() const { return keys_.size() - 1; }

  // version byte 1 | 12-byte nonce | ciphertext | 16-byte tag.
  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // The plaintext, or DATA_LOSS when `sealed` was not made by this key or a previous one with
  // this associated data (another key, a change to a byte, a value moved to another row).
  absl::StatusOr<std::string> Open(std::string_view sealed, std::string_view associated_data) const;
  // Whether `sealed` opens with the current key: false asks for it to be sealed again.
  bool SealedWithCurrentKey(std::string_view sealed, std::string_view associated_data) const;

 private:
  using Key = std::array<unsigned char, kKeyBytes>;

  explicit SecretsKey(const Key& key) : keys_{key} {}

  // The current key first, then the previous ones in the order added.
  std::vector<Key> keys_;
};

}  // namespace gatehouse::api

#include "api/secrets_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <memory>
#include <optional>

#include "absl/strings/escaping.h"
#include "common/file_util.h"

namespace gatehouse::api {
namespace {

constexpr unsigned char kFormatVersion = 1;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool IsHex(std::string_view text) {
  for (const char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The plaintext of `sealed` opened with `key`, or nullopt.
std::optional<std::string> OpenWith(const std::array<unsigned char, SecretsKey::kKeyBytes>& key,
                                    std::string_view sealed, std::string_view associated_data) {
  const unsigned char* nonce = Bytes(sealed) + 1;
  const unsigned char* ciphertext = nonce + kNonceBytes;
  const size_t ciphertext_size = sealed.size() - 1 - kNonceBytes - kTagBytes;
  std::string out(ciphertext_size, '\0');
  auto* plaintext = reinterpret_cast<unsigned char*>(out.data());
  CipherContext context(EVP_CIPHER_CTX_new());
  int length = 0;
  EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce);
  EVP_DecryptUpdate(context.get(), nullptr, &length, Bytes(associated_data),
                    static_cast<int>(associated_data.size()));
  EVP_DecryptUpdate(context.get(), plaintext, &length, ciphertext,
                    static_cast<int>(ciphertext_size));
  EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                      const_cast<unsigned char*>(ciphertext + ciphertext_size));
  if (EVP_DecryptFinal_ex(context.get(), plaintext + length, &length) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  return out;
}

bool WellFormed(std::string_view sealed) {
  return sealed.size() >= 1 + kNonceBytes + kTagBytes && Bytes(sealed)[0] == kFormatVersion;
}

}  // namespace

absl::StatusOr<SecretsKey> SecretsKey::FromFileContents(std::string_view contents) {
  std::string raw;
  std::string text = TrimTrailingSpace(std::string(contents));
  if (contents.size() == kKeyBytes) {
    raw.assign(contents);
  } else if (text.size() == 2 * kKeyBytes && IsHex(text)) {
    raw = absl::HexStringToBytes(text);
  } else if (std::string decoded;
             absl::Base64Unescape(text, &decoded) && decoded.size() == kKeyBytes) {
    raw = std::move(decoded);
  } else {
    return absl::InvalidArgumentError(
        "holds " + std::to_string(contents.size()) +
        " bytes that are not a 256-bit key: write 32 random bytes, 64 hex digits or their "
        "base64 (e.g. `head -c 32 /dev/urandom > FILE` or `openssl rand -hex 32 > FILE`)");
  }
  std::array<unsigned char, kKeyBytes> key;
  std::copy(raw.begin(), raw.end(), key.begin());
  OPENSSL_cleanse(raw.data(), raw.size());
  OPENSSL_cleanse(text.data(), text.size());
  return SecretsKey(key);
}

namespace {

absl::StatusOr<SecretsKey> ReadKeyFile(const std::string& path, std::string_view flag) {
  std::string contents;
  if (!gatehouse::ReadFile(path, &contents)) {
    return absl::InvalidArgumentError("cannot read --" + std::string(flag) + " " + path);
  }
  auto key = SecretsKey::FromFileContents(contents);
  OPENSSL_cleanse(contents.data(), contents.size());
  if (!key.ok()) {
    return absl::InvalidArgumentError("--" + std::string(flag) + " " + path + " " +
                                      std::string(key.status().message()));
  }
  return key;
}

}  // namespace

absl::StatusOr<SecretsKey> SecretsKey::ReadFile(const std::string& path) {
  return ReadKeyFile(path, "secrets-key-file");
}

absl::StatusOr<SecretsKey> SecretsKey::ReadFiles(const std::string& current,
                                                 const std::vector<std::string>& previous) {
  auto key = ReadKeyFile(current, "secrets-key-file");
  if (!key.ok()) return key.status();
  for (const std::string& path : previous) {
    auto retired = ReadKeyFile(path, "previous-secrets-key-file");
    if (!retired.ok()) return retired.status();
    key->AddPreviousKey(*retired);
  }
  return key;
}

std::string SecretsKey::Seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  bytes[0] = kFormatVersion;
  unsigned char* nonce = bytes + 1;
  unsigned char* ciphertext = nonce + kNonceBytes;
  // A random nonce per seal: the key seals few values (one per certificate), far below the
  // 2^32 seals after which random 96-bit nonces risk repeating.
  RAND_bytes(nonce, kNonceBytes);
  CipherContext context(EVP_CIPHER_CTX_new());
  int length = 0;
  EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, keys_.front().data(), nonce);
  EVP_EncryptUpdate(context.get(), nullptr, &length, Bytes(associated_data),
                    static_cast<int>(associated_data.size()));
  EVP_EncryptUpdate(context.get(), ciphertext, &length, Bytes(plaintext),
                    static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(context.get(), ciphertext + length, &length);
  EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                      ciphertext + plaintext.size());
  return out;
}

absl::StatusOr<std::string> SecretsKey::Open(std::string_view sealed,
                                             std::string_view associated_data) const {
  if (!WellFormed(sealed)) {
    return absl::DataLossError("a sealed secret is truncated or of an unknown format");
  }
  for (const Key& key : keys_) {
    if (auto opened = OpenWith(key, sealed, associated_data)) return *std::move(opened);
  }
  return absl::DataLossError(
      "a sealed secret does not open with this secrets key (another --secrets-key-file, a "
      "--previous-secrets-key-file missing, or the stored value was altered)");
}

bool SecretsKey::SealedWithCurrentKey(std::string_view sealed,
                                      std::string_view associated_data) const {
  if (!WellFormed(sealed)) return false;
  auto opened = OpenWith(keys_.front(), sealed, associated_data);
  if (!opened) return false;
  OPENSSL_cleanse(opened->data(), opened->size());
  return true;
}

void SecretsKey::AddPreviousKey(const SecretsKey& previous) {
  keys_.insert(keys_.end(), previous.keys_.begin(), previous.keys_.end());
}

}  // namespace gatehouse::api

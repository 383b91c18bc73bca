// sha256(), uuidv4() and is_timed_hmac_valid_v0() (Cloudflare's token authentication), on
// OpenSSL's digests and HMAC.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "rules/function_signatures.h"
#include "rules/url.h"

namespace gatehouse::rules::function_signatures {
namespace {

constexpr size_t kSha256Size = 32;
using Digest = std::array<unsigned char, kSha256Size>;

Digest Sha256(std::string_view data) {
  Digest digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

std::string_view AsBytes(const Digest& digest) {
  return std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
}

// The raw 32-byte digest, as Cloudflare returns it (encode_base64() makes it text).
Value Sha256Fn(const Expr&, std::vector<Value>& a) {
  return Value::Bytes(std::string(AsBytes(Sha256(BytesArg(a, 0)))));
}

// The same seed gives the same UUID: its first 16 digest bytes with the version (4) and variant
// (10xx) bits set, as 8-4-4-4-12 lower-case hex. Cloudflare feeds it cf.random_seed; any bytes
// serve here.
Value Uuidv4(const Expr&, std::vector<Value>& a) {
  Digest digest = Sha256(BytesArg(a, 0));
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x40);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  std::string hex =
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest.data()), 16));
  return Value::Bytes(Cat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                          hex.substr(16, 4), "-", hex.substr(20)));
}

// --- is_timed_hmac_valid_v0 -------------------------------------------------------------------

constexpr size_t kTimestampDigits = 10;
// Cloudflare's MessageMAC: (.+)(.*)(\d{10})-(.{43,}), a base64 MAC of at least 43 bytes.
constexpr size_t kMinMacText = 43;
constexpr int64_t kMaxSeparatorLength = 1024;

Resolution ResolveTimedHmac(const Types& t, const Args& a) {
  Resolution r =
      Fixed<Type::Bool, Type::Bytes, Type::Bytes, Type::Int, Type::Int, Type::Int, Type::Bytes>(t,
                                                                                                a);
  if (!r.error.empty()) return r;
  if (!IsStringLiteral(a[0]) || a[0]->text.empty()) {
    return Bad(0, "the key must be a non-empty string literal");
  }
  if (!IsIntLiteralIn(a[2], 0, INT64_MAX)) {
    return Bad(2, "the ttl must be a non-negative integer literal (seconds)");
  }
  if (a.size() > 4 && !IsIntLiteralIn(a[4], 0, kMaxSeparatorLength)) {
    return Bad(
        4, Cat("the separator length must be an integer literal from 0 to ", kMaxSeparatorLength));
  }
  FlagsLiteral(a, 5, "s", "\"s\" (the MAC is URL-safe base64 without padding)", r);
  return r;
}

struct Token {
  std::string_view message;
  std::string_view timestamp;
  std::string_view mac;
};

// Splits a MessageMAC as Cloudflare's pattern does: the last "<10 digits>-" that leaves a message
// of at least one byte before the separator and a MAC of at least 43 bytes after it.
std::optional<Token> SplitToken(std::string_view text, size_t separator_length) {
  size_t before_timestamp = 1 + separator_length;
  if (text.size() < before_timestamp + kTimestampDigits + 1 + kMinMacText) return std::nullopt;
  for (size_t dash = text.size() - kMinMacText - 1; dash >= before_timestamp + kTimestampDigits;
       --dash) {
    if (text[dash] != '-') continue;
    std::string_view timestamp = text.substr(dash - kTimestampDigits, kTimestampDigits);
    if (!std::all_of(timestamp.begin(), timestamp.end(), absl::ascii_isdigit)) continue;
    return Token{text.substr(0, dash - kTimestampDigits - separator_length), timestamp,
                 text.substr(dash + 1)};
  }
  return std::nullopt;
}

// The MAC's bytes: URL-safe base64 without padding with the "s" flag, else percent-encoded
// standard base64 (how it travels in a query string; a '+' left unencoded still reads as '+').
std::optional<std::string> DecodeMac(std::string_view mac, bool url_safe) {
  std::string decoded;
  bool ok = url_safe ? absl::WebSafeBase64Unescape(ToAbsl(mac), &decoded)
                     : absl::Base64Unescape(PercentDecode(mac, false), &decoded);
  if (!ok || decoded.size() != kSha256Size) return std::nullopt;
  return decoded;
}

// Valid when the MAC is HMAC-SHA256(key, message || timestamp) and the request time is within
// [timestamp, timestamp + ttl]: a token is not valid before it was issued.
Value TimedHmacValid(const Expr&, std::vector<Value>& a) {
  const std::string& key = BytesArg(a, 0);
  int64_t ttl = *a[2].as_int();
  int64_t now = *a[3].as_int();
  size_t separator_length = a.size() > 4 ? static_cast<size_t>(*a[4].as_int()) : 0;
  bool url_safe = a.size() > 5 && BytesArg(a, 5).find('s') != std::string::npos;
  std::optional<Token> token = SplitToken(BytesArg(a, 1), separator_length);
  if (!token) return Value::Bool(false);
  int64_t issued = 0;
  for (char digit : token->timestamp) issued = issued * 10 + (digit - '0');
  // issued has 10 digits, so now - issued cannot overflow once now >= issued.
  if (now < issued || now - issued > ttl) return Value::Bool(false);
  std::optional<std::string> mac = DecodeMac(token->mac, url_safe);
  if (!mac) return Value::Bool(false);
  std::string signed_text = Cat(token->message, token->timestamp);
  Digest expected{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(),
           expected.data(), &size) == nullptr ||
      size != kSha256Size) {
    return Value::Bool(false);
  }
  return Value::Bool(CRYPTO_memcmp(expected.data(), mac->data(), kSha256Size) == 0);
}

}  // namespace

// Cloudflare allows uuidv4() in rewrite expressions only; sha256() and the HMAC test anywhere.
const std::vector<FunctionDefinition>& CryptoFunctions() {
  static const auto* functions = new std::vector<FunctionDefinition>{
      {.name = "sha256",
       .min_arguments = 1,
       .max_arguments = 1,
       .resolve = Fixed<Type::Bytes, Type::Bytes>,
       .evaluate = Sha256Fn},
      {.name = "uuidv4",
       .min_arguments = 1,
       .max_arguments = 1,
       .value_only = true,
       .resolve = Fixed<Type::Bytes, Type::Bytes>,
       .evaluate = Uuidv4},
      {.name = "is_timed_hmac_valid_v0",
       .min_arguments = 4,
       .max_arguments = 6,
       .resolve = ResolveTimedHmac,
       .evaluate = TimedHmacValid},
  };
  return *functions;
}

}  // namespace gatehouse::rules::function_signatures

#include "api/token_codec.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "common/content_hash.h"

namespace gatehouse::api {
namespace {

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // Without randomness a token would be guessable; refusing to continue is the only safe way.
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

NewToken GenerateToken() {
  NewToken out;
  out.id = RandomHex(8);
  out.token = "gh_" + out.id + "_" + RandomHex(32);
  out.hash = HashToken(out.token);
  return out;
}

std::string HashToken(std::string_view token) { return Sha256Hex(token); }

std::string BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return "";
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return "";
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r' || token.back() == '\n')) {
    token.remove_suffix(1);
  }
  return std::string(token);
}

}  // namespace gatehouse::api

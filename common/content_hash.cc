#include "common/content_hash.h"

#include <openssl/evp.h>

namespace gatehouse {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string ContentHashOfZones(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones) {
  std::string input;
  for (const auto& [name, config_hash] : zones) {
    input += name;
    input += '\0';
    input += config_hash;
    input += '\n';
  }
  return Sha256Hex(input);
}

std::string ContentHashOfSnapshot(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones,
    const std::vector<std::pair<std::string_view, std::string_view>>& managed) {
  std::string input = ContentHashOfZones(zones);
  if (managed.empty()) return input;
  input += "\nmanaged rulesets\n";
  for (const auto& [id, digest] : managed) {
    input += id;
    input += '\0';
    input += digest;
    input += '\n';
  }
  return Sha256Hex(input);
}

}  // namespace gatehouse

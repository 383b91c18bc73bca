#include "common/content_hash.h"

#include <openssl/evp.h>

#include <algorithm>

namespace gatehouse {

namespace {

std::string Hex(const unsigned char* digest, size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (size_t i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

// The hex hash of the managed rulesets' part over the zones' hash `zones_hash`.
std::string WithManaged(std::string zones_hash,
                        const std::vector<std::pair<std::string_view, std::string_view>>& managed) {
  if (managed.empty()) return zones_hash;
  zones_hash += "\nmanaged rulesets\n";
  for (const auto& [id, digest] : managed) {
    zones_hash += id;
    zones_hash += '\0';
    zones_hash += digest;
    zones_hash += '\n';
  }
  return Sha256Hex(zones_hash);
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return Hex(digest, length);
}

std::string ZoneContentHash(std::string_view config_hash,
                            const std::vector<std::string_view>& certificate_fingerprints) {
  if (certificate_fingerprints.empty()) return std::string(config_hash);
  std::string text(config_hash);
  for (const std::string_view fingerprint : certificate_fingerprints) {
    text += "\ncertificate ";
    text += fingerprint;
  }
  return Sha256Hex(text);
}

ContentHashBuckets::ContentHashBuckets() {
  unsigned char empty[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest("", 0, empty, &length, EVP_sha256(), nullptr);
  for (size_t i = 0; i < kContentHashBuckets; ++i) {
    std::copy(empty, empty + kDigestBytes, digests_.begin() + i * kDigestBytes);
  }
}

void ContentHashBuckets::Set(
    size_t index, const std::vector<std::pair<std::string_view, std::string_view>>& zones) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  for (const auto& [name, config_hash] : zones) {
    EVP_DigestUpdate(context, name.data(), name.size());
    EVP_DigestUpdate(context, "\0", 1);
    EVP_DigestUpdate(context, config_hash.data(), config_hash.size());
    EVP_DigestUpdate(context, "\n", 1);
  }
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digests_.data() + index * kDigestBytes, &length);
  EVP_MD_CTX_free(context);
}

std::string ContentHashBuckets::Hash(
    const std::vector<std::pair<std::string_view, std::string_view>>& managed) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(digests_.data(), digests_.size(), digest, &length, EVP_sha256(), nullptr);
  return WithManaged(Hex(digest, length), managed);
}

std::string ContentHashOfZones(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones) {
  return ContentHashOfSnapshot(zones, {});
}

std::string ContentHashOfSnapshot(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones,
    const std::vector<std::pair<std::string_view, std::string_view>>& managed) {
  // Sorted by name overall, so each bucket's share is sorted too.
  std::vector<std::vector<std::pair<std::string_view, std::string_view>>> buckets(
      kContentHashBuckets);
  for (const auto& zone : zones) buckets[ContentHashBucket(zone.first)].push_back(zone);
  ContentHashBuckets hash;
  for (size_t i = 0; i < kContentHashBuckets; ++i) {
    if (!buckets[i].empty()) hash.Set(i, buckets[i]);
  }
  return hash.Hash(managed);
}

}  // namespace gatehouse

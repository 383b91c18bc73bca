#include "api/etcd_keyspace.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gatehouse::api {
namespace {

// "b.a.test" → "test.a.b" (and back: the reversal is its own inverse).
std::string ReverseLabels(absl::string_view name) {
  std::vector<absl::string_view> labels = absl::StrSplit(name, '.');
  std::reverse(labels.begin(), labels.end());
  return absl::StrJoin(labels, ".");
}

// 20 digits, so that keys sort by version.
std::string VersionDigits(uint64_t version) {
  char digits[24];
  std::snprintf(digits, sizeof(digits), "%020llu", static_cast<unsigned long long>(version));
  return digits;
}

}  // namespace

EtcdKeyspace::EtcdKeyspace(std::string prefix) : prefix_(std::move(prefix)) {}

std::string EtcdKeyspace::ZoneVersion(const std::string& zone, uint64_t version) const {
  return ZoneVersions(zone) + VersionDigits(version);
}

std::string EtcdKeyspace::ListVersion(const std::string& list, uint64_t version) const {
  return ListVersions(list) + VersionDigits(version);
}

std::optional<EtcdKeyspace::ZoneVersionKey> EtcdKeyspace::ParseZoneVersion(
    const std::string& key) const {
  const std::string all = AllZoneVersions();
  if (key.compare(0, all.size(), all) != 0) return std::nullopt;
  const size_t slash = key.rfind('/');
  if (slash == std::string::npos || slash < all.size() + 1) return std::nullopt;
  ZoneVersionKey parsed;
  parsed.zone = key.substr(all.size(), slash - all.size());
  if (!absl::SimpleAtoi(absl::string_view(key).substr(slash + 1), &parsed.version)) {
    return std::nullopt;
  }
  return parsed;
}

std::optional<std::string> EtcdKeyspace::ParseList(const std::string& key) const {
  const std::string all = Lists();
  if (key.size() <= all.size() || key.compare(0, all.size(), all) != 0) return std::nullopt;
  return key.substr(all.size());
}

std::string EtcdKeyspace::HostClaim(const std::string& claim) const {
  return AllHostClaims() + ReverseLabels(claim);
}

std::optional<std::string> EtcdKeyspace::ParseHostClaim(const std::string& key) const {
  const std::string all = AllHostClaims();
  if (key.size() <= all.size() || key.compare(0, all.size(), all) != 0) return std::nullopt;
  return ReverseLabels(absl::string_view(key).substr(all.size()));
}

}  // namespace gatehouse::api

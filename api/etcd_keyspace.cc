#include "api/etcd_keyspace.h"

#include <cstdio>
#include <utility>

#include "absl/strings/numbers.h"

namespace gatehouse::api {

EtcdKeyspace::EtcdKeyspace(std::string prefix) : prefix_(std::move(prefix)) {}

std::string EtcdKeyspace::ZoneVersion(const std::string& zone, uint64_t version) const {
  char digits[24];
  std::snprintf(digits, sizeof(digits), "%020llu", static_cast<unsigned long long>(version));
  return ZoneVersions(zone) + digits;
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

}  // namespace gatehouse::api

#include "etcd/etcd_endpoints.h"

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/host_port.h"

namespace gatehouse::etcd {
namespace {

constexpr char kScheme[] = "etcd://";

}  // namespace

bool IsEtcdUrl(const std::string& store) { return absl::StartsWith(store, kScheme); }

absl::StatusOr<std::vector<std::string>> ParseEtcdUrl(const std::string& url) {
  if (!IsEtcdUrl(url)) {
    return absl::InvalidArgumentError("\"" + url + "\" is not etcd://HOST:PORT,HOST:PORT,...");
  }
  std::vector<std::string> endpoints;
  for (const absl::string_view part :
       absl::StrSplit(absl::string_view(url).substr(sizeof(kScheme) - 1), ',')) {
    auto parsed = ParseHostPort(std::string(part), /*allow_zero_port=*/false);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError("etcd member \"" + std::string(part) +
                                        "\": " + std::string(parsed.status().message()));
    }
    endpoints.push_back(parsed->ToString());
  }
  return endpoints;
}

}  // namespace gatehouse::etcd

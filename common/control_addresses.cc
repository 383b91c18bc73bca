#include "common/control_addresses.h"

#include <arpa/inet.h>

#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/host_port.h"

namespace gatehouse {

absl::StatusOr<std::string> ControlChannelTarget(const std::string& addresses) {
  const std::vector<std::string> parts = absl::StrSplit(addresses, ',');
  std::vector<std::string> members;
  int family = 0;
  for (const std::string& part : parts) {
    auto parsed = ParseHostPort(part, /*allow_zero_port=*/false);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError("\"" + part +
                                        "\": " + std::string(parsed.status().message()));
    }
    if (parts.size() == 1) return parsed->ToString();
    unsigned char bytes[16];
    const int this_family = inet_pton(AF_INET, parsed->host.c_str(), bytes) == 1    ? AF_INET
                            : inet_pton(AF_INET6, parsed->host.c_str(), bytes) == 1 ? AF_INET6
                                                                                    : 0;
    if (this_family == 0) {
      return absl::InvalidArgumentError(
          "\"" + part +
          "\": several control planes are given as IP addresses; for host names "
          "give one name that resolves to each of them, or a load balancer");
    }
    if (family != 0 && family != this_family) {
      return absl::InvalidArgumentError("control plane addresses mix IPv4 and IPv6");
    }
    family = this_family;
    members.push_back(parsed->ToString());
  }
  return std::string(family == AF_INET ? "ipv4:" : "ipv6:") + absl::StrJoin(members, ",");
}

}  // namespace gatehouse

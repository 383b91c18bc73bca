#include "runtime/client_address/trusted_proxies.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "rules/ip_address.h"
#include "rules/strings.h"

namespace gatehouse::runtime {

absl::StatusOr<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  if (rules::StripWhitespace(list).empty()) return TrustedProxies();
  std::vector<rules::IpRange> ranges;
  int index = 0;
  for (;;) {
    ++index;
    const size_t comma = list.find(',');
    const std::string_view entry = rules::StripWhitespace(list.substr(0, comma));
    if (entry.empty()) {
      return absl::InvalidArgumentError("entry " + std::to_string(index) +
                                        " is empty (entries are separated by single commas)");
    }
    const std::optional<rules::IpRange> range = rules::ParseCidr(entry);
    if (!range.has_value()) {
      return absl::InvalidArgumentError(
          "\"" + std::string(entry) +
          "\" is not an IP address or CIDR (ADDRESS or ADDRESS/PREFIX; the prefix is 0-32 for "
          "IPv4, 0-128 for IPv6)");
    }
    ranges.push_back(*range);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return TrustedProxies(rules::IpRangeSet(std::move(ranges)));
}

}  // namespace gatehouse::runtime

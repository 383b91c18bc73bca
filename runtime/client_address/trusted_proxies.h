#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "rules/ip_range_set.h"
#include "rules/request_data.h"

namespace gatehouse::runtime {

// The proxies in front of the edge (`proxy --trusted-proxies`): the peers allowed to send a
// PROXY protocol header, and whose X-Forwarded-For names the client. IPv4 and IPv6 CIDRs and
// single addresses. Empty (the default): nobody is trusted, the TCP peer is the client.
class TrustedProxies {
 public:
  TrustedProxies() = default;

  // Parses "10.0.0.0/8, 192.0.2.7, 2001:db8::/32": entries separated by commas, spaces around
  // them ignored; an empty text is the empty set. The error names the entry at fault.
  static absl::StatusOr<TrustedProxies> Parse(std::string_view list);

  bool Contains(const rules::IpAddress& address) const { return ranges_.Contains(address); }
  bool empty() const { return ranges_.empty(); }

 private:
  explicit TrustedProxies(rules::IpRangeSet ranges) : ranges_(std::move(ranges)) {}

  rules::IpRangeSet ranges_;
};

}  // namespace gatehouse::runtime

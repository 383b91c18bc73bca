#pragma once

#include <vector>

#include "rules/ip_address.h"

namespace gatehouse::rules {

// A set of IPv4 and IPv6 addresses given as ranges (CIDRs become ranges), sorted and merged so
// a lookup is one binary search. Immutable once built.
class IpRangeSet {
 public:
  IpRangeSet() = default;
  explicit IpRangeSet(std::vector<IpRange> ranges);

  bool Contains(const IpAddress& address) const;
  bool empty() const { return ranges_.empty(); }
  // Sorted by their low end, disjoint and not adjacent.
  const std::vector<IpRange>& ranges() const { return ranges_; }

 private:
  std::vector<IpRange> ranges_;
};

}  // namespace gatehouse::rules

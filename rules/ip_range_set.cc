#include "rules/ip_range_set.h"

#include <utility>

#include "rules/sorted_ranges.h"

namespace gatehouse::rules {
namespace {

// The address after `a`, saturating at the top.
IpAddress Next(IpAddress a) {
  for (int i = 15; i >= 0; --i) {
    if (++a.bytes[i] != 0) return a;
  }
  a.bytes.fill(0xff);
  return a;
}

}  // namespace

IpRangeSet::IpRangeSet(std::vector<IpRange> ranges) : ranges_(std::move(ranges)) {
  NormalizeRanges(ranges_, AddressLess, [](const IpRange& a, const IpRange& b) {
    return !AddressLess(a.high, b.low) || SameAddress(Next(a.high), b.low);
  });
}

bool IpRangeSet::Contains(const IpAddress& address) const {
  return RangesContain(ranges_, address, AddressLess);
}

}  // namespace gatehouse::rules

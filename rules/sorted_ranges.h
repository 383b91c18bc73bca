#pragma once

// Sets of inclusive ranges kept sorted and disjoint, so a binary search finds the only range
// that can hold a value: the integer and address ranges of the rules' sets, and the proxy's
// trusted proxies.

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

namespace gatehouse::rules {

// Sorts ranges (with members `low` and `high`) by their low end and merges overlapping or
// adjacent ones. `touches(a, b)`: b starts at or before a's end + 1.
template <typename Range, typename Less, typename Touches>
void NormalizeRanges(std::vector<Range>& ranges, Less less, Touches touches) {
  std::sort(ranges.begin(), ranges.end(),
            [&](const Range& a, const Range& b) { return less(a.low, b.low); });
  std::vector<Range> merged;
  for (const Range& r : ranges) {
    if (!merged.empty() && touches(merged.back(), r)) {
      if (less(merged.back().high, r.high)) merged.back().high = r.high;
    } else {
      merged.push_back(r);
    }
  }
  ranges = std::move(merged);
}

// Whether normalized `ranges` hold `value`.
template <typename Range, typename Value, typename Less>
bool RangesContain(const std::vector<Range>& ranges, const Value& value, Less less) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), value,
                             [&](const Value& v, const Range& r) { return less(v, r.low); });
  return it != ranges.begin() && !less(std::prev(it)->high, value);
}

}  // namespace gatehouse::rules

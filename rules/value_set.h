#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "rules/ip_address.h"
#include "rules/ip_range_set.h"
#include "rules/limits.h"
#include "rules/named_list.h"
#include "rules/types.h"

namespace gatehouse::rules {

struct IntRange {
  int64_t low;
  int64_t high;
};

// A set of values of one type, built for fast membership tests: a hash set of byte strings,
// sorted disjoint integer ranges, sorted disjoint address ranges (CIDRs become ranges), each
// searched in O(1) or O(log n). Immutable once built; shared by every rule that uses it.
class ValueSet {
 public:
  class Builder {
   public:
    void AddBytes(std::string value) { bytes_.insert(std::move(value)); }
    void AddIntRange(int64_t low, int64_t high) { ints_.push_back(IntRange{low, high}); }
    void AddIpRange(const IpRange& range) { ips_.push_back(range); }
    // Sorts and merges the ranges.
    ValueSet Build() &&;

   private:
    absl::flat_hash_set<std::string> bytes_;
    std::vector<IntRange> ints_;
    std::vector<IpRange> ips_;
  };

  bool ContainsBytes(std::string_view value) const {
    return bytes_.contains(absl::string_view(value.data(), value.size()));
  }
  bool ContainsInt(int64_t value) const;
  bool ContainsIp(const IpAddress& value) const { return ips_.Contains(value); }

  // The members, for prefilter atoms (atoms.h): byte strings, and IP ranges sorted and merged.
  const absl::flat_hash_set<std::string>& bytes() const { return bytes_; }
  const std::vector<IpRange>& ip_ranges() const { return ips_.ranges(); }

 private:
  ValueSet() = default;

  absl::flat_hash_set<std::string> bytes_;
  std::vector<IntRange> ints_;
  IpRangeSet ips_;
};

// A zone's named list, compiled: its element type and its set.
struct CompiledList {
  std::string name;
  Type element_type;
  std::shared_ptr<const ValueSet> set;
};

// Compiles one list definition. Errors name the list and the offending item.
absl::StatusOr<CompiledList> CompileNamedList(const NamedListDefinition& definition,
                                              const Limits& limits);

}  // namespace gatehouse::rules

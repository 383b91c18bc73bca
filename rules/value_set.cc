#include "rules/value_set.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "absl/strings/numbers.h"
#include "rules/sorted_ranges.h"
#include "rules/strings.h"

namespace gatehouse::rules {
ValueSet ValueSet::Builder::Build() && {
  ValueSet set;
  set.bytes_ = std::move(bytes_);
  set.ints_ = std::move(ints_);
  set.ips_ = IpRangeSet(std::move(ips_));
  NormalizeRanges(set.ints_, std::less<int64_t>(), [](const IntRange& a, const IntRange& b) {
    return b.low <= a.high || (a.high < INT64_MAX && b.low == a.high + 1);
  });
  return set;
}

bool ValueSet::ContainsInt(int64_t value) const {
  return RangesContain(ints_, value, std::less<int64_t>());
}

absl::StatusOr<CompiledList> CompileNamedList(const NamedListDefinition& definition,
                                              const Limits& limits) {
  auto fail = [&](std::string_view why) {
    return absl::InvalidArgumentError(Cat("list $", definition.name, ": ", why));
  };
  CompiledList list;
  list.name = definition.name;
  if (definition.name.empty() ||
      !std::all_of(definition.name.begin(), definition.name.end(),
                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; })) {
    return fail("a list name may only contain letters, digits and '_'");
  }
  if (definition.kind != "ip" && definition.kind != "int" && definition.kind != "bytes") {
    return fail(Cat("unknown kind \"", definition.kind,
                             "\"; expected \"ip\", \"int\" or \"bytes\""));
  }
  if (definition.items.size() > limits.max_list_items) {
    return fail(Cat("has ", definition.items.size(), " items; the limit is ",
                             limits.max_list_items));
  }
  ValueSet::Builder builder;
  for (size_t i = 0; i < definition.items.size(); ++i) {
    const std::string& item = definition.items[i];
    auto bad = [&](std::string_view expected) {
      return fail(Cat("item ", i, " \"", item, "\" is not ", expected));
    };
    if (definition.kind == "ip") {
      std::optional<IpRange> range = ParseIpRange(item);
      if (!range) return bad("an IP address, CIDR or range a..b");
      builder.AddIpRange(*range);
    } else if (definition.kind == "int") {
      int64_t low = 0;
      int64_t high = 0;
      size_t dots = item.find("..");
      bool ok = dots == std::string::npos
                    ? absl::SimpleAtoi(item, &low) && (high = low, true)
                    : absl::SimpleAtoi(item.substr(0, dots), &low) &&
                          absl::SimpleAtoi(item.substr(dots + 2), &high) && low <= high;
      if (!ok) return bad("an integer or range a..b");
      builder.AddIntRange(low, high);
    } else {
      builder.AddBytes(item);
    }
  }
  list.element_type = definition.kind == "ip"    ? Type::Ip()
                      : definition.kind == "int" ? Type::Int()
                                                 : Type::Bytes();
  list.set = std::make_shared<const ValueSet>(std::move(builder).Build());
  return list;
}

}  // namespace gatehouse::rules

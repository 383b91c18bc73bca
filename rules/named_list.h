#pragma once

#include <string>
#include <vector>

namespace gatehouse::rules {

// A zone's named list as the customer wrote it (`lists` in the zone config), named in expressions
// as `$name`.
struct NamedListDefinition {
  std::string name;
  std::string kind;  // "ip" (addresses, CIDRs, ranges a..b), "int" (integers, ranges a..b), "bytes"
  std::vector<std::string> items;
};

}  // namespace gatehouse::rules

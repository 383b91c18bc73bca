#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/rules/ast.h"
#include "compiler/rules/scheme.h"

namespace gatehouse::rules {

// A fact about one Bytes field that a scan of the field can establish: it contains a literal, or
// (prefilter mode) it may match a regex.
struct Atom {
  FieldId field;
  std::string pattern;  // the literal bytes, or a regex
  bool is_regex = false;
  bool caseless = false;

  friend bool operator==(const Atom&, const Atom&) = default;
};

// A necessary condition of a filter: if the filter is true, at least one of `atoms` holds.
// nullopt means there is no such condition and the filter must always be evaluated.
using Requirement = std::optional<std::vector<Atom>>;

// Returns true if `regex` can serve as a prefilter atom (the scanner accepts it and it cannot
// match an empty string); supplied by the matcher so this file does not depend on Hyperscan.
using RegexAtomValidator = bool (*)(const std::string& regex);

// Derives a requirement from a checked filter: literals of `contains`, `eq`, `in {...}`,
// starts_with(), ends_with(), wildcard pieces and regexes on plain Bytes fields (also under
// lower() / upper()), combined through `and` (the cheapest operand's) and `or` (the union).
// Anything else (not, xor, ne, ...) has no requirement. At most `max_atoms` atoms.
Requirement ExtractRequirement(const Expr& filter, RegexAtomValidator validate_regex,
                               size_t max_atoms = 64);

}  // namespace gatehouse::rules

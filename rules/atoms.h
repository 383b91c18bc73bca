#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/ast.h"
#include "rules/scheme.h"

namespace gatehouse::rules {

// What a scan reads for an atom: a Bytes field itself, or a text the matcher derives from a
// field that is not Bytes, so that requirements on it can be prefiltered too.
enum class ScanText {
  kField,        // the Bytes field
  kHeaderNames,  // http.request.headers: "\n" then each header's lower-cased name and "\n"
  kIpBytes,      // ip.src: its 16 bytes (an IPv4 address in its IPv4-mapped form)
};

// A fact about one field that a scan can establish: its text contains a literal, or (prefilter
// mode) it may match a regex.
struct Atom {
  FieldId field;
  std::string pattern;  // the literal bytes, or a regex
  bool is_regex = false;
  bool caseless = false;
  ScanText text = ScanText::kField;

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
// lower() / upper()); the header name of any comparison on http.request.headers["name"] (a
// missing value compares false with every operator); the address bytes, or the bytes a range's
// addresses share, of `ip.src eq` and `ip.src in {...}`. Combined through `and` (the cheapest
// operand's) and `or` (the union). Anything else (not, xor, ne on a field, ...) has no
// requirement. At most `max_atoms` atoms.
Requirement ExtractRequirement(const Expr& filter, RegexAtomValidator validate_regex,
                               size_t max_atoms = 64);

}  // namespace gatehouse::rules

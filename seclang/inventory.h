#ifndef GATEHOUSE_SECLANG_INVENTORY_H_
#define GATEHOUSE_SECLANG_INVENTORY_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "seclang/ruleset_loader.h"

namespace gatehouse::seclang {

// What a ruleset uses, counted: the translator's checklist. Rules are counted link by link (a
// chain of three rules counts three operators and three pipelines).
struct Inventory {
  int files = 0;
  int rules = 0;        // SecRule heads with an id
  int chain_links = 0;  // SecRules that are links of a chain
  int actions = 0;      // SecAction directives
  int markers = 0;
  std::map<std::string, int> directives;  // every directive name, SecRule etc. included
  std::map<std::string, int> operators;   // "rx", "!eq" (negated ones apart), ...
  // Transformation pipelines: the t: list of each rule (head or link) as written after its last
  // t:none, "urlDecodeUni,htmlEntityDecode" (empty: none); "+" in front when the rule has no
  // t:none and so also inherits the SecDefaultAction transformations.
  std::map<std::string, int> pipelines;
  std::map<std::string, int> transformations;  // each t: name, none included
  std::map<std::string, int> collections;      // ARGS, &TX (counted), !REQUEST_COOKIES (excluded)
  std::map<std::string, int> selectors;        // by kind: "key", "regex", "xpath"
  std::map<std::string, int> action_names;     // every action as written in rules and SecActions
  std::map<std::string, int> ctl_options;
  std::map<std::string, int> setvar_collections;  // "TX =+" etc.: collection and operation
  std::map<std::string, int> macros;              // "TX", "MATCHED_VAR", ... (collection only)
  std::map<std::string, int> phases;              // rule heads by phase ("2", "unset")
  // Rules whose operator argument ModSecurity 2 and libmodsecurity 3 read differently (see
  // Operator::raw_argument), as "id file:line", in load order: those where a backslash pair
  // makes the difference, and the count of those that differ only by an escaped double quote
  // (\" against "), which a regex reads alike.
  std::vector<std::string> reading_differences;
  int quote_only_reading_differences = 0;
};

// Counts over the directives of the files whose base name starts with `file_prefix` (empty: all
// files; "REQUEST-" the request rules).
Inventory TakeInventory(const LoadedRuleset& ruleset, std::string_view file_prefix = "");

// A plain-text report, one "name count" line per entry under a heading per map.
std::string FormatInventory(const Inventory& inventory);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_INVENTORY_H_

#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace gatehouse::seclang_import {

// The TX collection as far as it is known when the ruleset is compiled. CRS sets most of its
// variables at initialisation (crs-setup, REQUEST-901) from constants; those are folded into the
// program. A variable becomes known only at run time when a rule that reads the request writes
// it (anomaly scores, captures) or when a zone sets it (the paranoia level, the threshold): a
// rule that reads such a variable is kept for run time.
class CompileTimeTx {
 public:
  // Names (lower case) a zone may set: never folded into a rule, though a constant may give
  // them a default.
  void AddZoneVariable(std::string name) { zone_.insert(std::move(name)); }
  // A rule kept for run time writes `name` (lower case).
  void MarkRuntime(std::string name) { runtime_.insert(std::move(name)); }
  // A rule kept for run time writes a variable whose name is only known then.
  void MarkRuntimeNamesUnknown() { names_unknown_ = true; }

  // Whether reading `name` gives the same value for every request.
  bool IsConstant(std::string_view name) const;
  // Whether every variable a key regex could select is constant.
  bool AllConstantForRegex() const { return !names_unknown_ && runtime_.empty() && zone_.empty(); }

  std::optional<std::string> Get(std::string_view name) const;
  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  void Delete(std::string_view name) { values_.erase(std::string(name)); }
  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

  // Expands every macro of `text` that is constant (TX constants, %{rule.id}); returns nullopt
  // when some macro is known only at run time.
  std::optional<std::string> ExpandFully(std::string_view text, std::string_view rule_id,
                                         std::string_view matched_var = {},
                                         std::string_view matched_var_name = {}) const;
  // Expands the constant macros and keeps the others as written; `runtime` says whether any
  // was kept.
  std::string ExpandConstants(std::string_view text, std::string_view rule_id,
                              bool* runtime) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::set<std::string, std::less<>> zone_;
  std::set<std::string, std::less<>> runtime_;
  bool names_unknown_ = false;
};

std::string LowerAscii(std::string_view text);

}  // namespace gatehouse::seclang_import

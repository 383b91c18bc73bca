#pragma once

// A WafProgram linked for evaluation: regexes and phrase sets compiled, pipelines resolved to
// transformation functions, collections to their enum. Immutable after Link; shared by every
// zone that executes the ruleset and read from any number of threads.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "seclang/transformations.h"
#include "waf/macro_text.h"
#include "waf/operators.h"
#include "waf/prefilter.h"
#include "waf/waf_program.pb.h"
#include "waf_inputs/collection.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace gatehouse::waf {

// The WafProgram format this build links; a program of another version is refused.
inline constexpr uint32_t kWafProgramVersion = 1;

// "920350" or "920000-920999" (ctl:ruleRemoveById, SecRuleRemoveById): the inclusive id range;
// nullopt when it is not one.
std::optional<std::pair<int64_t, int64_t>> ParseRuleIdRange(std::string_view text);

// Which entries of a collection a target, exclusion or ctl names: all, one key, or the keys a
// regex finds. Keys compare ignoring ASCII case and key regexes are caseless, as libmodsecurity
// has them (waf_inputs/key_selector.h).
struct LinkedSelector {
  // How a key regex that is plain text (CRS's /__utm/, /^_pk_ref/) is matched without RE2.
  enum class Plain : uint8_t { kNone, kContains, kPrefix, kEquals };

  std::shared_ptr<const re2::RE2> regex;
  std::string key;  // the key, or a plain regex's text (lower case)
  Plain plain = Plain::kNone;
  bool all = true;

  bool Matches(std::string_view key_to_test) const {
    if (all) return true;
    // A key compared whole, and of another length, is told apart here: a target such as
    // REQUEST_HEADERS:Host is asked about every header of every request.
    if (regex == nullptr && plain != Plain::kContains && plain != Plain::kPrefix &&
        key.size() != key_to_test.size()) {
      return false;
    }
    return MatchesKey(key_to_test);
  }

 private:
  bool MatchesKey(std::string_view key_to_test) const;
};

// Where a target's values come from.
enum class TargetSource : uint8_t {
  kRequest,  // a waf_inputs collection
  kTx,
  kMatchedVar,
  kMatchedVarName,
  kMatchedVars,
  kMatchedVarsNames,
};

struct alignas(64) LinkedTarget {
  // Hot fields first: a request reads these for every target of every rule it visits.
  TargetSource source = TargetSource::kRequest;
  waf_inputs::Collection collection = waf_inputs::Collection::kArgs;
  bool count = false;
  // TX with a key: the index of that variable in the program's initial variables, -1 when it is
  // not one of them, so that a request does not search them for it.
  int32_t initial_tx_index = -1;
  LinkedSelector selector;
  std::vector<LinkedSelector> exclusions;
  // TX with a regex or no key: the indices of the program's initial variables the selector
  // matches (sorted), so that a request tests only its own variables' names.
  std::vector<uint32_t> initial_tx_selected;
  std::string name;  // the SecLang name, for logs ("ARGS")
};

struct LinkedRule;

// setvar:'tx.name=value', its name and value parsed for macros.
struct LinkedSetVar {
  v1::SetVar::Operation operation = v1::SetVar::SET;
  MacroText name;  // literal pieces lower case
  MacroText value;
  // A name without macros: its index among the program's initial TX variables, -1 if none.
  int32_t name_initial_tx_index = -1;
};

struct LinkedControl {
  v1::Control::Kind kind = v1::Control::RULE_REMOVE_BY_ID;
  std::string value;
  int64_t id_low = 0, id_high = -1;  // RULE_REMOVE_BY_ID ranges; RULE_REMOVE_TARGET_BY_ID's id
  std::optional<waf_inputs::Collection> target_collection;
  std::string target_name;
  LinkedSelector target_selector;

  // A ctl:ruleRemoveTargetById / ByTag that names `rule` (by its id or one of its tags).
  bool RemovesTargetOf(const LinkedRule& rule) const;
};

struct alignas(64) LinkedCondition {
  // Hot fields first (read for every condition a request tests), the operator last.
  bool negated = false;
  // The argument holds %{...} macros expanded per request.
  bool runtime_argument = false;
  bool multi_match = false;
  bool capture = false;
  uint32_t pipeline = 0;
  std::vector<LinkedTarget> targets;
  std::vector<LinkedSetVar> setvars;
  std::vector<LinkedControl> controls;
  CompiledOperator op;
  // runtime_argument: the operator's argument, parsed.
  MacroText argument;

  // Its targets are TX variables named outright (TX:paranoia_level, &TX:x), and its argument
  // has no macro: what it reads is those variables only.
  bool ReadsOnlyNamedTx() const;
};

// The linked program's hot structures are cache-line aligned, what a request reads of each
// first: on a proxy, its network work empties the caches between requests, and a request's
// rules are then read from memory line by line.
struct alignas(64) LinkedRule {
  // What a request reads of every rule it visits comes first, in one cache line; what only a
  // match or a log line reads after it.
  uint32_t phase = 2;
  uint32_t skip_to = 0;
  bool log = false;
  bool unconditional = false;
  // Its conditions read only named TX variables and matching has no effect but its skip or
  // disruption (CRS's paranoia-level gates): when the zone's settings fix those variables, it
  // is decided once per zone (Evaluator::DecideTxGates).
  bool tx_gate = false;
  // Some ctl:ruleRemoveTargetById / ByTag of the program names it.
  bool targets_removable = false;
  // No match of it changes anything a request can see: nolog, pass, no skip, no ctl, and no
  // setvar of a TX variable anything reads (LinkProgram drops those). Skipped unless a zone
  // makes its matches refuse the request.
  bool inert = false;
  v1::Rule::Disruptive disruptive = v1::Rule::PASS;
  std::vector<LinkedCondition> conditions;
  std::vector<LinkedSetVar> setvars;
  std::vector<LinkedControl> controls;

  int64_t id = 0;  // 0 for none
  uint32_t paranoia_level = 0;
  int32_t severity = -1;
  std::string id_text;
  std::string file;
  uint32_t line = 0;
  std::string msg;
  std::string logdata;
  std::vector<std::string> tags;

  bool HasTag(std::string_view tag) const;
};

class LinkedProgram {
 public:
  // Checks and compiles the program; an error names the rule (id, file:line) that cannot be
  // linked and why.
  static absl::StatusOr<std::shared_ptr<const LinkedProgram>> Link(const v1::WafProgram& program);

  const std::string& ruleset_id() const { return ruleset_id_; }
  const std::string& ruleset_version() const { return ruleset_version_; }
  const std::string& source_digest() const { return source_digest_; }
  const std::vector<LinkedRule>& rules() const { return rules_; }
  const std::vector<std::vector<seclang::Transformation>>& pipelines() const { return pipelines_; }
  // Sorted by name.
  const std::vector<std::pair<std::string, std::string>>& initial_tx() const {
    return initial_tx_;
  }
  // The TX names a zone setting (e.g. "paranoia_level") sets.
  const std::vector<std::string>* ZoneVariable(std::string_view setting) const;
  // The index of the rule with this id; nullopt when the program has none.
  std::optional<size_t> FindRule(int64_t id) const;
  // The prefilter for zones that run no rule above `paranoia_level` (by default: every rule).
  // Those for levels 1 to 3 are built on first use (a snapshot links the level its zones use);
  // thread-safe.
  const Prefilter& prefilter(uint32_t paranoia_level = UINT32_MAX) const;
  // Unique per linked program in this process (an address can be reused after a free).
  uint64_t serial() const { return serial_; }

 private:
  std::string ruleset_id_;
  std::string ruleset_version_;
  std::string source_digest_;
  std::vector<LinkedRule> rules_;
  std::vector<std::vector<seclang::Transformation>> pipelines_;
  std::vector<std::pair<std::string, std::string>> initial_tx_;
  std::vector<std::pair<std::string, std::vector<std::string>>> zone_variables_;
  // For paranoia levels 1, 2, 3 (built on first use), and any.
  std::unique_ptr<const Prefilter> full_prefilter_;
  mutable std::unique_ptr<const Prefilter> level_prefilters_[3];
  mutable std::once_flag level_built_[3];
  uint32_t highest_paranoia_level_ = 0;
  uint64_t serial_ = 0;
};

}  // namespace gatehouse::waf

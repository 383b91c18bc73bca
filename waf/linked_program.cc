#include "waf/linked_program.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"
#include "rules/strings.h"

namespace gatehouse::waf {
namespace {

absl::Status RuleError(const v1::Rule& rule, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("rule ", rule.id().empty() ? "(no id)" : rule.id(),
                                                 " (", rule.file(), ":", rule.line(), "): ", why));
}

absl::StatusOr<LinkedSelector> LinkSelector(const v1::KeySelector& in) {
  LinkedSelector out;
  switch (in.kind()) {
    case v1::SELECTOR_ALL:
      break;
    case v1::SELECTOR_KEY:
      out.key = in.text();
      out.all = false;
      break;
    case v1::SELECTOR_REGEX: {
      // libmodsecurity compiles key regexes caselessly (waf_inputs/key_selector.h).
      RE2::Options options;
      options.set_log_errors(false);
      options.set_case_sensitive(false);
      options.set_dot_nl(true);
      options.set_encoding(RE2::Options::EncodingLatin1);
      auto regex = std::make_shared<RE2>(in.text(), options);
      if (!regex->ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("key regex /", in.text(), "/: ", regex->error()));
      }
      out.regex = std::move(regex);
      out.all = false;
      // Most key regexes are plain text, tested for every key of every rule that names them.
      std::string_view text = in.text();
      const bool prefix = !text.empty() && text.front() == '^';
      if (prefix) text.remove_prefix(1);
      const bool whole = !text.empty() && text.back() == '$';
      if (whole) text.remove_suffix(1);
      // An unanchored pattern's trailing "x*" (/paramcounter_.*/) matches the empty string.
      while (!whole && text.size() >= 2 && text.back() == '*' && text[text.size() - 2] != '\\') {
        text.remove_suffix(2);
      }
      const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
      });
      if (plain && (prefix || !whole)) {
        out.key = rules::ToLower(text);
        out.plain = prefix && whole ? LinkedSelector::Plain::kEquals
                    : prefix        ? LinkedSelector::Plain::kPrefix
                                    : LinkedSelector::Plain::kContains;
      }
      break;
    }
    default:
      return absl::InvalidArgumentError("unknown key selector kind");
  }
  return out;
}

std::optional<TargetSource> SpecialSource(std::string_view name) {
  if (name == "TX") return TargetSource::kTx;
  if (name == "MATCHED_VAR") return TargetSource::kMatchedVar;
  if (name == "MATCHED_VAR_NAME") return TargetSource::kMatchedVarName;
  if (name == "MATCHED_VARS") return TargetSource::kMatchedVars;
  if (name == "MATCHED_VARS_NAMES") return TargetSource::kMatchedVarsNames;
  return std::nullopt;
}

absl::StatusOr<LinkedTarget> LinkTarget(const v1::Target& in) {
  LinkedTarget out;
  out.name = in.collection();
  if (std::optional<TargetSource> special = SpecialSource(in.collection())) {
    out.source = *special;
  } else if (std::optional<waf_inputs::Collection> collection =
                 waf_inputs::CollectionByName(in.collection())) {
    out.collection = *collection;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown variable ", in.collection()));
  }
  absl::StatusOr<LinkedSelector> selector = LinkSelector(in.selector());
  if (!selector.ok()) return selector.status();
  out.selector = *std::move(selector);
  if (out.source == TargetSource::kTx) {
    // TX names ignore case; the store keeps them lower case.
    for (char& c : out.selector.key) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  out.count = in.count();
  for (const v1::KeySelector& exclusion : in.exclusions()) {
    absl::StatusOr<LinkedSelector> linked = LinkSelector(exclusion);
    if (!linked.ok()) return linked.status();
    out.exclusions.push_back(*std::move(linked));
  }
  return out;
}

using InitialTx = std::vector<std::pair<std::string, std::string>>;

// The index of TX variable `name` among the program's initial ones (sorted by name), -1 if none:
// a request then finds it without searching them.
int32_t InitialTxIndex(const InitialTx& initial, std::string_view name) {
  const auto it = std::lower_bound(
      initial.begin(), initial.end(), name,
      [](const auto& variable, std::string_view key) { return variable.first < key; });
  return it != initial.end() && it->first == name ? static_cast<int32_t>(it - initial.begin())
                                                  : -1;
}

// `text` parsed, its TX macros looked up among the initial variables.
MacroText LinkMacroText(std::string_view text, const InitialTx& initial) {
  MacroText out = MacroText::Parse(text);
  out.ResolveTx([&initial](std::string_view name) { return InitialTxIndex(initial, name); });
  return out;
}

std::vector<LinkedSetVar> LinkSetVars(const google::protobuf::RepeatedPtrField<v1::SetVar>& setvars,
                                      const InitialTx& initial) {
  std::vector<LinkedSetVar> out;
  for (const v1::SetVar& setvar : setvars) {
    LinkedSetVar linked{setvar.operation(), LinkMacroText(setvar.name(), initial),
                        LinkMacroText(setvar.value(), initial)};
    linked.name.LowerLiterals();
    if (linked.name.constant()) {
      linked.name_initial_tx_index = InitialTxIndex(initial, linked.name.constant_text());
    }
    out.push_back(std::move(linked));
  }
  return out;
}

// The TX variables the program reads: what its TX targets select and its macros name.
class TxReads {
 public:
  explicit TxReads(const std::vector<LinkedRule>& rules) {
    for (const LinkedRule& rule : rules) {
      AddText(MacroText::Parse(rule.msg));
      AddText(MacroText::Parse(rule.logdata));
      AddSetVars(rule.setvars);
      for (const LinkedCondition& condition : rule.conditions) {
        for (const LinkedTarget& target : condition.targets) {
          if (target.source == TargetSource::kTx) selectors_.push_back(&target.selector);
        }
        AddText(condition.argument);
        AddSetVars(condition.setvars);
      }
    }
  }

  bool Reads(std::string_view name) const {
    return all_ || names_.contains(name) ||
           std::any_of(selectors_.begin(), selectors_.end(),
                       [name](const LinkedSelector* selector) { return selector->Matches(name); });
  }

 private:
  void AddText(const MacroText& text) {
    for (const MacroText::Piece& piece : text.pieces()) {
      if (piece.source != MacroText::Source::kTx) continue;
      // A name itself built from a macro could be anything.
      if (piece.text.find("%{") != std::string::npos) all_ = true;
      names_.insert(piece.text);
    }
  }
  void AddSetVars(const std::vector<LinkedSetVar>& setvars) {
    for (const LinkedSetVar& setvar : setvars) {
      AddText(setvar.name);
      AddText(setvar.value);  // =+ reads its own variable, which alone makes it no less dead
    }
  }

  // The evaluation's result reads the score.
  std::set<std::string, std::less<>> names_ = {"anomaly_score"};
  std::vector<const LinkedSelector*> selectors_;
  bool all_ = false;
};

// Drops the setvars of TX variables nothing reads (CRS's 901318 hashes the User-Agent into
// tx.ua_hash for the IP collection, which Gatehouse does not keep), then marks the rules whose
// matches have no effect left (LinkedRule::inert).
void DropDeadWrites(std::vector<LinkedRule>& rules) {
  const TxReads reads(rules);
  const auto drop = [&reads](std::vector<LinkedSetVar>& setvars) {
    std::erase_if(setvars, [&reads](const LinkedSetVar& setvar) {
      return setvar.name.constant() && !reads.Reads(setvar.name.constant_text());
    });
  };
  for (LinkedRule& rule : rules) {
    drop(rule.setvars);
    bool effects = rule.log || rule.disruptive != v1::Rule::PASS || rule.skip_to != 0 ||
                   !rule.setvars.empty() || !rule.controls.empty();
    for (LinkedCondition& condition : rule.conditions) {
      drop(condition.setvars);
      effects |= condition.capture || !condition.setvars.empty() || !condition.controls.empty();
    }
    rule.inert = !effects;
  }
}

// LinkedRule::targets_removable and tx_gate for every rule. A rule some ctl may strip a target
// from is no gate: its outcome could then change from request to request.
void MarkTxGates(std::vector<LinkedRule>& rules) {
  std::vector<const LinkedControl*> target_removals;
  const auto collect = [&](const std::vector<LinkedControl>& controls) {
    for (const LinkedControl& control : controls) {
      if (control.kind == v1::Control::RULE_REMOVE_TARGET_BY_ID ||
          control.kind == v1::Control::RULE_REMOVE_TARGET_BY_TAG) {
        target_removals.push_back(&control);
      }
    }
  };
  for (const LinkedRule& rule : rules) {
    collect(rule.controls);
    for (const LinkedCondition& condition : rule.conditions) collect(condition.controls);
  }
  for (LinkedRule& rule : rules) {
    const bool targeted = std::any_of(
        target_removals.begin(), target_removals.end(),
        [&rule](const LinkedControl* control) { return control->RemovesTargetOf(rule); });
    rule.targets_removable = targeted;
    rule.tx_gate = !targeted && !rule.unconditional && !rule.conditions.empty() &&
                   rule.setvars.empty() && rule.controls.empty() && !rule.log &&
                   std::all_of(rule.conditions.begin(), rule.conditions.end(),
                               [](const LinkedCondition& condition) {
                                 return condition.ReadsOnlyNamedTx() && !condition.capture &&
                                        condition.setvars.empty() && condition.controls.empty();
                               });
  }
}

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

absl::StatusOr<LinkedControl> LinkControl(const v1::Control& in) {
  LinkedControl out;
  out.kind = in.kind();
  out.value = in.value();
  switch (in.kind()) {
    case v1::Control::RULE_REMOVE_BY_ID: {
      std::optional<std::pair<int64_t, int64_t>> range = ParseRuleIdRange(in.value());
      if (!range) return absl::InvalidArgumentError("ctl:ruleRemoveById: " + in.value());
      out.id_low = range->first;
      out.id_high = range->second;
      break;
    }
    case v1::Control::RULE_REMOVE_TARGET_BY_ID:
    case v1::Control::RULE_REMOVE_TARGET_BY_TAG: {
      if (in.kind() == v1::Control::RULE_REMOVE_TARGET_BY_ID) {
        std::optional<int64_t> id = ParseId(in.value());
        if (!id) return absl::InvalidArgumentError("ctl:ruleRemoveTargetById: " + in.value());
        out.id_low = out.id_high = *id;
      }
      out.target_name = in.target_collection();
      out.target_collection = waf_inputs::CollectionByName(in.target_collection());
      absl::StatusOr<LinkedSelector> selector = LinkSelector(in.target_selector());
      if (!selector.ok()) return selector.status();
      out.target_selector = *std::move(selector);
      break;
    }
    default:
      break;
  }
  return out;
}

}  // namespace

std::optional<std::pair<int64_t, int64_t>> ParseRuleIdRange(std::string_view text) {
  const size_t dash = text.find('-');
  std::optional<int64_t> low = ParseId(text.substr(0, dash));
  std::optional<int64_t> high =
      dash == std::string_view::npos ? low : ParseId(text.substr(dash + 1));
  if (!low || !high || *low > *high) return std::nullopt;
  return std::make_pair(*low, *high);
}

bool LinkedControl::RemovesTargetOf(const LinkedRule& rule) const {
  switch (kind) {
    case v1::Control::RULE_REMOVE_TARGET_BY_TAG:
      return rule.HasTag(value);
    case v1::Control::RULE_REMOVE_TARGET_BY_ID:
      return rule.id != 0 && rule.id == id_low;
    default:
      return false;
  }
}

bool LinkedCondition::ReadsOnlyNamedTx() const {
  return !runtime_argument && !targets.empty() &&
         std::all_of(targets.begin(), targets.end(), [](const LinkedTarget& target) {
           return target.source == TargetSource::kTx && !target.selector.all &&
                  target.selector.regex == nullptr;
         });
}

bool LinkedSelector::MatchesKey(std::string_view key_to_test) const {
  auto same = [](char a, char b) {
    return absl::ascii_tolower(static_cast<unsigned char>(a)) ==
           absl::ascii_tolower(static_cast<unsigned char>(b));
  };
  switch (plain) {
    case Plain::kContains:
      return std::search(key_to_test.begin(), key_to_test.end(), key.begin(), key.end(), same) !=
             key_to_test.end();
    case Plain::kPrefix:
      return key_to_test.size() >= key.size() &&
             std::equal(key.begin(), key.end(), key_to_test.begin(), same);
    case Plain::kEquals:
      break;  // as a key
    case Plain::kNone:
      if (regex != nullptr) {
        return RE2::PartialMatch(re2::StringPiece(key_to_test.data(), key_to_test.size()),
                                 *regex);
      }
      break;
  }
  return key.size() == key_to_test.size() &&
         std::equal(key.begin(), key.end(), key_to_test.begin(), same);
}

bool LinkedRule::HasTag(std::string_view tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

absl::StatusOr<std::shared_ptr<const LinkedProgram>> LinkedProgram::Link(
    const v1::WafProgram& program) {
  if (program.program_version() != kWafProgramVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("managed ruleset ", program.ruleset_id(), " is in WAF program version ",
                     program.program_version(), "; this build links version ", kWafProgramVersion));
  }
  auto linked = std::make_shared<LinkedProgram>();
  linked->ruleset_id_ = program.ruleset_id();
  linked->ruleset_version_ = program.ruleset_version();
  linked->source_digest_ = program.source_digest();

  for (const v1::Pipeline& pipeline : program.pipelines()) {
    std::vector<seclang::Transformation> functions;
    for (const std::string& name : pipeline.transformations()) {
      std::optional<seclang::Transformation> function = seclang::TransformationByName(name);
      if (!function) {
        return absl::InvalidArgumentError(absl::StrCat("unknown transformation t:", name));
      }
      if (*function != seclang::Transformation::kNone) functions.push_back(*function);
    }
    linked->pipelines_.push_back(std::move(functions));
  }

  for (const v1::TxVariable& variable : program.initial_tx()) {
    linked->initial_tx_.emplace_back(variable.name(), variable.value());
  }
  std::sort(linked->initial_tx_.begin(), linked->initial_tx_.end());
  for (const v1::ZoneVariable& variable : program.zone_variables()) {
    linked->zone_variables_.emplace_back(
        variable.setting(),
        std::vector<std::string>(variable.tx_names().begin(), variable.tx_names().end()));
  }

  linked->rules_.reserve(program.rules_size());
  for (const v1::Rule& rule : program.rules()) {
    LinkedRule out;
    if (!rule.id().empty()) {
      std::optional<int64_t> id = ParseId(rule.id());
      if (!id) return RuleError(rule, "the id is not a number");
      out.id = *id;
    }
    out.id_text = rule.id();
    out.phase = rule.phase();
    out.paranoia_level = rule.paranoia_level();
    out.file = rule.file();
    out.line = rule.line();
    out.msg = rule.msg();
    out.logdata = rule.logdata();
    out.tags.assign(rule.tags().begin(), rule.tags().end());
    out.severity = rule.severity();
    out.setvars = LinkSetVars(rule.setvars(), linked->initial_tx_);
    out.skip_to = rule.skip_to();
    if (out.skip_to != 0 && out.skip_to <= linked->rules_.size()) {
      return RuleError(rule, "skips backwards");
    }
    if (out.skip_to > static_cast<uint32_t>(program.rules_size())) {
      return RuleError(rule, "skips past the end");
    }
    out.log = rule.log();
    out.disruptive = rule.disruptive();
    out.unconditional = rule.unconditional();
    for (const v1::Condition& condition : rule.conditions()) {
      LinkedCondition linked_condition;
      for (const v1::Target& target : condition.targets()) {
        absl::StatusOr<LinkedTarget> linked_target = LinkTarget(target);
        if (!linked_target.ok()) return RuleError(rule, linked_target.status().message());
        if (linked_target->source == TargetSource::kTx &&
            (linked_target->selector.all || linked_target->selector.regex != nullptr)) {
          for (size_t i = 0; i < linked->initial_tx_.size(); ++i) {
            if (linked_target->selector.Matches(linked->initial_tx_[i].first)) {
              linked_target->initial_tx_selected.push_back(static_cast<uint32_t>(i));
            }
          }
        } else if (linked_target->source == TargetSource::kTx) {
          linked_target->initial_tx_index =
              InitialTxIndex(linked->initial_tx_, linked_target->selector.key);
        }
        linked_condition.targets.push_back(*std::move(linked_target));
      }
      if (condition.pipeline() >= linked->pipelines_.size()) {
        return RuleError(rule, "names a pipeline the program does not have");
      }
      linked_condition.pipeline = condition.pipeline();
      std::optional<OperatorKind> kind = OperatorKindByName(condition.operator_().name());
      if (!kind) return RuleError(rule, "unknown operator @" + condition.operator_().name());
      if (condition.operator_().runtime_macros() && !TakesRuntimeArgument(*kind)) {
        return RuleError(rule, "@" + condition.operator_().name() +
                                   " cannot take an argument computed per request");
      }
      std::vector<std::string> list(condition.operator_().list().begin(),
                                    condition.operator_().list().end());
      absl::StatusOr<CompiledOperator> op =
          CompiledOperator::Create(*kind, condition.operator_().argument(), list);
      if (!op.ok()) return RuleError(rule, op.status().message());
      linked_condition.op = *std::move(op);
      linked_condition.negated = condition.operator_().negated();
      linked_condition.runtime_argument = condition.operator_().runtime_macros();
      linked_condition.multi_match = condition.multi_match();
      linked_condition.capture = condition.capture();
      if (linked_condition.runtime_argument) {
        linked_condition.argument =
            LinkMacroText(linked_condition.op.argument(), linked->initial_tx_);
      }
      linked_condition.setvars = LinkSetVars(condition.setvars(), linked->initial_tx_);
      for (const v1::Control& control : condition.controls()) {
        absl::StatusOr<LinkedControl> linked_control = LinkControl(control);
        if (!linked_control.ok()) return RuleError(rule, linked_control.status().message());
        linked_condition.controls.push_back(*std::move(linked_control));
      }
      out.conditions.push_back(std::move(linked_condition));
    }
    if (out.conditions.empty() && !out.unconditional) {
      return RuleError(rule, "has no conditions and is not unconditional");
    }
    for (const v1::Control& control : rule.controls()) {
      absl::StatusOr<LinkedControl> linked_control = LinkControl(control);
      if (!linked_control.ok()) return RuleError(rule, linked_control.status().message());
      out.controls.push_back(*std::move(linked_control));
    }
    linked->rules_.push_back(std::move(out));
  }
  DropDeadWrites(linked->rules_);
  MarkTxGates(linked->rules_);
  for (const LinkedRule& rule : linked->rules_) {
    linked->highest_paranoia_level_ =
        std::max(linked->highest_paranoia_level_, rule.paranoia_level);
  }
  absl::StatusOr<std::unique_ptr<const Prefilter>> prefilter =
      Prefilter::Build(linked->rules_, linked->pipelines_);
  if (!prefilter.ok()) return prefilter.status();
  linked->full_prefilter_ = *std::move(prefilter);
  static std::atomic<uint64_t> next_serial{1};
  linked->serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
  return std::shared_ptr<const LinkedProgram>(std::move(linked));
}

const Prefilter& LinkedProgram::prefilter(uint32_t paranoia_level) const {
  // A level that leaves out no rule has the full prefilter.
  if (paranoia_level == 0 || paranoia_level >= 4 || paranoia_level >= highest_paranoia_level_) {
    return *full_prefilter_;
  }
  const size_t slot = paranoia_level - 1;
  std::call_once(level_built_[slot], [&] {
    absl::StatusOr<std::unique_ptr<const Prefilter>> built =
        Prefilter::Build(rules_, pipelines_, paranoia_level);
    // The full prefilter built already: this one can fail only as it did not.
    if (built.ok()) level_prefilters_[slot] = *std::move(built);
  });
  return level_prefilters_[slot] != nullptr ? *level_prefilters_[slot] : *full_prefilter_;
}

const std::vector<std::string>* LinkedProgram::ZoneVariable(std::string_view setting) const {
  for (const auto& [name, tx_names] : zone_variables_) {
    if (name == setting) return &tx_names;
  }
  return nullptr;
}

std::optional<size_t> LinkedProgram::FindRule(int64_t id) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace gatehouse::waf

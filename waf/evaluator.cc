#include "waf/evaluator.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "rules/strings.h"
#include "waf/operators.h"

namespace gatehouse::waf {
namespace {

using rules::EqualsIgnoreCase;
using rules::ToLower;

constexpr size_t kLoggedValueBytes = 128;

std::string Cut(std::string_view value) {
  return std::string(value.substr(0, std::min(value.size(), kLoggedValueBytes)));
}

waf_inputs::BodyProcessor ProcessorByName(std::string_view name) {
  if (EqualsIgnoreCase(name, "URLENCODED")) return waf_inputs::BodyProcessor::kUrlEncoded;
  if (EqualsIgnoreCase(name, "MULTIPART")) return waf_inputs::BodyProcessor::kMultipart;
  if (EqualsIgnoreCase(name, "JSON")) return waf_inputs::BodyProcessor::kJson;
  if (EqualsIgnoreCase(name, "XML")) return waf_inputs::BodyProcessor::kXml;
  return waf_inputs::BodyProcessor::kNone;
}

static_assert(MacroText::kUnresolved == TxStore::kSearchInitial,
              "an unresolved macro searches the initial TX variables");

const char* kSeverityNames[] = {"EMERGENCY", "ALERT",  "CRITICAL", "ERROR",
                                "WARNING",   "NOTICE", "INFO",     "DEBUG"};

}  // namespace

Evaluator::~Evaluator() = default;

void Evaluator::ForgetTransforms() {
  transform_cache_.clear();
  transformed_used_ = 0;
  if (++transform_generation_ == 0) {  // wrapped: no entry may look current
    for (IndexedTransform& entry : indexed_transforms_) entry.generation = 0;
    transform_generation_ = 1;
  }
}

void Evaluator::RunPrefilter() {
  if (prefilter_ == nullptr) return;
  visits_.Reset(program_->rules().size());
  prefilter_->Run(collections_, &prefilter_state_, &visits_);
  const size_t indexed = prefilter_->ValueCount(prefilter_state_) * program_->pipelines().size();
  if (indexed_transforms_.size() < indexed) indexed_transforms_.resize(indexed);
  const std::vector<uint64_t>& uncovered = prefilter_->uncovered().words();
  std::vector<uint64_t>& visits = visits_.words();
  if (plan_ == nullptr) {
    for (size_t w = 0; w < visits.size(); ++w) visits[w] |= uncovered[w];
  } else {
    const std::vector<uint64_t>& effective = plan_->effective.words();
    for (size_t w = 0; w < visits.size(); ++w)
      visits[w] = (visits[w] | uncovered[w]) & effective[w];
  }
}

void EvaluationResult::Clear() {
  matches.clear();
  log_lines.clear();
  denied = false;
  deny_rule = 0;
  anomaly_score = 0;
  engine_off = false;
}

void Evaluator::Evaluate(const LinkedProgram& program, const rules::RequestData& request,
                         const EvaluationSettings& settings, EvaluationResult* result) {
  result->Clear();
  program_ = &program;
  prefilter_ = settings.use_prefilter ? &program.prefilter(settings.paranoia_level) : nullptr;
  plan_ = settings.visits.effective.size() == program.rules().size() && !program.rules().empty()
              ? &settings.visits
              : nullptr;
  request_ = &request;

  // TX: the program's initial values with the zone's settings on top (neither copied).
  StartTx(program, settings);
  ForgetTransforms();
  engine_off_ = false;
  processor_forced_ = false;

  waf_inputs::BodyProcessor processor = waf_inputs::BodyProcessor::kNone;
  if (request.headers != nullptr) processor = waf_inputs::SelectBodyProcessor(*request.headers);
  collections_.Build(request, processor);
  request_body_visible_ = processor != waf_inputs::BodyProcessor::kXml;
  RunPrefilter();

  const std::vector<LinkedRule>& rules = program.rules();
  uint32_t current_phase = 0;
  for (size_t index = NextVisit(0); index < rules.size();) {
    if (plan_ != nullptr && plan_->jumps.Contains(index) && !engine_off_ && removed_ids_.empty() &&
        removed_tags_.empty()) {
      // A gate the zone decided: its skip, without reading the rule.
      index = NextVisit(plan_->jump_targets[index]);
      continue;
    }
    const LinkedRule& rule = rules[index];
    size_t next = index + 1;
    if (rule.phase != current_phase) {
      // The body is processed between phases 1 and 2: a processor a phase-1 ctl chose applies.
      if (current_phase == 1 && processor_forced_ && forced_processor_ != processor) {
        processor = forced_processor_;
        collections_.Build(request, processor);
        request_body_visible_ |= processor == waf_inputs::BodyProcessor::kUrlEncoded;
        ForgetTransforms();
        RunPrefilter();
        // The rules of this phase passed over so far were judged on the old values.
        current_phase = rule.phase;
        while (index > 0 && rules[index - 1].phase == current_phase) --index;
        index = NextVisit(index);
        continue;
      }
      current_phase = rule.phase;
    }
    const RuleMode mode = settings.modes.empty() ? RuleMode::kDefault : settings.modes[index];
    if (mode == RuleMode::kDisabled || (rule.inert && mode != RuleMode::kBlock) ||
        RuleRemoved(rule)) {
      index = NextVisit(next);
      continue;
    }
    current_rule_ = &rule;
    current_index_ = index;
    matched_vars_size_ = 0;
    matched_var_.clear();
    matched_var_name_.clear();
    bool matched = true;
    if (!settings.decisions.empty() && settings.decisions[index] != RuleDecision::kUndecided) {
      matched = settings.decisions[index] == RuleDecision::kMatches;
    } else if (rule.unconditional) {
      if (mode != RuleMode::kLogOnly) {
        for (const LinkedSetVar& setvar : rule.setvars) ApplySetVar(setvar);
      }
      for (const LinkedControl& control : rule.controls) ApplyControl(control);
    } else {
      // Each link's actions run for every value it matches, before the next link is tested.
      apply_setvars_ = mode != RuleMode::kLogOnly;
      for (const LinkedCondition& condition : rule.conditions) {
        if (!EvaluateCondition(rule, condition)) {
          matched = false;
          break;
        }
      }
    }
    if (matched) {
      if (rule.log) {
        RuleMatch match;
        match.rule_index = static_cast<uint32_t>(index);
        match.variable = matched_var_name_;
        match.value = Cut(matched_var_);
        if (settings.log_lines) result->log_lines.push_back(LogLine(rule, match));
        result->matches.push_back(std::move(match));
      }
      const bool refuses = mode == RuleMode::kBlock ||
                           (mode == RuleMode::kDefault && rule.disruptive == v1::Rule::DENY);
      if (refuses && !settings.detection_only) {
        result->denied = true;
        result->deny_rule = static_cast<uint32_t>(index);
        break;
      }
      if (rule.disruptive == v1::Rule::ALLOW && !settings.detection_only) break;
      if (engine_off_) {
        result->engine_off = true;
        break;
      }
      if (rule.skip_to != 0) next = rule.skip_to;
    }
    index = NextVisit(next);
  }
  current_rule_ = nullptr;
  if (const std::string* score = tx_.Find("anomaly_score")) {
    result->anomaly_score = ParseModSecurityInteger(*score);
  }
}

void Evaluator::StartTx(const LinkedProgram& program, const EvaluationSettings& settings) {
  tx_.Reset(&program.initial_tx(), &settings.tx);
  removed_ids_.clear();
  removed_tags_.clear();
  removed_targets_.clear();
}

std::vector<RuleDecision> Evaluator::DecideTxGates(const LinkedProgram& program,
                                                   const EvaluationSettings& settings) {
  const std::vector<LinkedRule>& rules = program.rules();
  // A TX variable is fixed when, wherever a rule reads it, it holds what it holds as the request
  // starts: no setvar that can run leaves it otherwise. Which setvars can run is worked out from
  // the fixed variables themselves (CRS's set-up rules only fill in what the zone did not set),
  // so the changed ones are found by growing the set until it stops.
  std::set<std::string, std::less<>> changed;
  std::vector<std::string> changed_prefixes;  // a setvar's name built with a macro starts so
  const auto fixed = [&](std::string_view name) {
    return !changed.contains(name) &&
           std::none_of(changed_prefixes.begin(), changed_prefixes.end(),
                        [name](const std::string& prefix) { return name.starts_with(prefix); });
  };
  const auto reads_fixed = [&](const LinkedCondition& condition) {
    return condition.ReadsOnlyNamedTx() &&
           std::all_of(condition.targets.begin(), condition.targets.end(),
                       [&](const LinkedTarget& target) { return fixed(target.selector.key); });
  };
  // Macros of `text` name only fixed TX variables.
  const auto expands_fixed = [&](const MacroText& text) {
    return std::all_of(text.pieces().begin(), text.pieces().end(),
                       [&](const MacroText::Piece& piece) {
                         return piece.source == MacroText::Source::kLiteral ||
                                (piece.source == MacroText::Source::kTx && fixed(piece.text));
                       });
  };
  Evaluator scratch;
  scratch.program_ = &program;
  const auto never_matches = [&](const LinkedRule& rule, const LinkedCondition& condition) {
    if (!reads_fixed(condition)) return false;
    scratch.StartTx(program, settings);
    scratch.current_rule_ = &rule;
    return !scratch.EvaluateCondition(rule, condition);
  };
  bool grew = false;
  const auto note_write = [&](const LinkedSetVar& setvar) {
    if (!setvar.name.constant()) {
      const std::string prefix(setvar.name.literal_prefix());
      if (std::find(changed_prefixes.begin(), changed_prefixes.end(), prefix) ==
          changed_prefixes.end()) {
        changed_prefixes.push_back(prefix);
        grew = true;
      }
      return;
    }
    const std::string name(setvar.name.constant_text());
    if (!fixed(name)) return;
    scratch.StartTx(program, settings);
    const std::string* current = scratch.tx_.Find(name);
    bool unchanged = false;
    if (setvar.operation == v1::SetVar::SET && expands_fixed(setvar.value)) {
      std::string value;
      scratch.ExpandInto(setvar.value, &value);
      unchanged = current != nullptr && *current == value;
    } else if (setvar.operation == v1::SetVar::DELETE) {
      unchanged = current == nullptr;
    }
    if (!unchanged) {
      changed.insert(name);
      grew = true;
    }
  };
  do {
    grew = false;
    for (size_t index = 0; index < rules.size(); ++index) {
      const RuleMode mode = settings.modes.empty() ? RuleMode::kDefault : settings.modes[index];
      if (mode == RuleMode::kDisabled || mode == RuleMode::kLogOnly) continue;  // sets nothing
      const LinkedRule& rule = rules[index];
      // A link's setvars and capture run when it and the links before it matched; the rule's
      // own when all did.
      bool may_run = true;
      for (const LinkedCondition& condition : rule.conditions) {
        if (never_matches(rule, condition)) {
          may_run = false;
          break;
        }
        for (const LinkedSetVar& setvar : condition.setvars) note_write(setvar);
        if (condition.capture) {
          for (const char* digit : {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
            if (changed.insert(digit).second) grew = true;
          }
        }
      }
      if (may_run) {
        for (const LinkedSetVar& setvar : rule.setvars) note_write(setvar);
      }
    }
  } while (grew);

  std::vector<RuleDecision> decisions(rules.size(), RuleDecision::kUndecided);
  for (size_t index = 0; index < rules.size(); ++index) {
    const LinkedRule& rule = rules[index];
    if (!rule.tx_gate || !std::all_of(rule.conditions.begin(), rule.conditions.end(),
                                      reads_fixed)) {
      // Any other rule fails for every request of the zone when a link of it never matches and
      // no link before that one has an effect of its own (CRS's set-up rules that fill in what
      // the zone did not set, its score sums above the zone's paranoia level).
      if (rule.targets_removable) continue;
      for (const LinkedCondition& condition : rule.conditions) {
        if (never_matches(rule, condition)) {
          decisions[index] = RuleDecision::kFails;
          break;
        }
        if (!condition.setvars.empty() || condition.capture || !condition.controls.empty()) {
          break;
        }
      }
      continue;
    }
    scratch.StartTx(program, settings);
    scratch.current_rule_ = &rule;
    const bool matched = std::all_of(rule.conditions.begin(), rule.conditions.end(),
                                     [&](const LinkedCondition& condition) {
                                       return scratch.EvaluateCondition(rule, condition);
                                     });
    decisions[index] = matched ? RuleDecision::kMatches : RuleDecision::kFails;
  }
  return decisions;
}

bool Evaluator::MatchesRuleRemoval(const LinkedRule& rule) const {
  for (const auto& [low, high] : removed_ids_) {
    if (rule.id >= low && rule.id <= high && rule.id != 0) return true;
  }
  for (const std::string& tag : removed_tags_) {
    if (rule.HasTag(tag)) return true;
  }
  return false;
}

bool Evaluator::MatchesTargetRemoval(const LinkedRule& rule, const LinkedTarget& target,
                                     std::string_view key) const {
  for (const LinkedControl* removal : removed_targets_) {
    const LinkedControl& control = *removal;
    if (!control.RemovesTargetOf(rule)) continue;
    if (!EqualsIgnoreCase(control.target_name, target.name)) continue;
    if (control.target_selector.Matches(key)) return true;
  }
  return false;
}

std::string_view Evaluator::Transformed(uint32_t pipeline, std::string_view value,
                                        ValueSource source) {
  const std::vector<seclang::Transformation>& functions = program_->pipelines()[pipeline];
  if (functions.empty()) return value;
  if (!source.request_value) {
    std::optional<std::string> result =
        seclang::ApplyTransformationsIfChanged(functions, value, TraitsOf(value, source));
    if (!result.has_value()) return value;
    scratch_value_ = *std::move(result);
    return scratch_value_;
  }
  // One lookup: the slot is filled below, and nothing in between adds to the cache.
  std::string_view* slot = nullptr;
  if (source.prefilter_index >= 0) {
    IndexedTransform& entry = indexed_transforms_[static_cast<size_t>(source.prefilter_index) *
                                                      program_->pipelines().size() +
                                                  pipeline];
    if (entry.generation == transform_generation_) return entry.value;
    entry.generation = transform_generation_;
    slot = &entry.value;
  } else {
    const auto [it, added] =
        transform_cache_.try_emplace(CacheKey{value.data(), value.size(), pipeline});
    if (!added) return it->second;
    slot = &it->second;
  }
  // The prefilter transformed most request values already, short of a final lowercase.
  bool lowercase = false;
  std::optional<std::string_view> shared;
  if (prefilter_ != nullptr) {
    shared = source.prefilter_index >= 0
                 ? prefilter_->GroupStringAt(prefilter_state_,
                                             static_cast<uint32_t>(source.prefilter_index),
                                             pipeline, &lowercase)
                 : prefilter_->GroupString(prefilter_state_, value, pipeline, &lowercase);
  }
  if (shared.has_value()) {
    std::string_view result = *shared;
    if (lowercase && std::any_of(result.begin(), result.end(), [](char c) {
          return absl::ascii_isupper(static_cast<unsigned char>(c));
        })) {
      result = Keep(rules::ToLower(result));
    }
    return *slot = result;
  }
  // Most values need no transformation at all (nothing to decode, no upper case): then the
  // value itself is the result, with no copy.
  std::optional<std::string> result =
      seclang::ApplyTransformationsIfChanged(functions, value, TraitsOf(value, source));
  return *slot = result.has_value() ? Keep(*std::move(result)) : value;
}

seclang::ValueTraits Evaluator::TraitsOf(std::string_view value, ValueSource source) const {
  if (source.prefilter_index >= 0) {
    return prefilter_->TraitsAt(prefilter_state_, static_cast<uint32_t>(source.prefilter_index));
  }
  if (source.request_value && prefilter_ != nullptr) {
    if (const seclang::ValueTraits* traits = prefilter_->Traits(prefilter_state_, value)) {
      return *traits;
    }
  }
  return seclang::ValueTraits(value);
}

std::string_view Evaluator::Keep(std::string value) {
  if (transformed_used_ == transformed_.size()) transformed_.emplace_back();
  transformed_[transformed_used_] = std::move(value);
  return transformed_[transformed_used_++];
}

bool Evaluator::TestValue(const LinkedRule& rule, const LinkedCondition& condition,
                          const LinkedTarget& target, std::string_view key, std::string_view value,
                          const std::string* runtime_argument, ValueSource source) {
  std::vector<std::string>* captures =
      condition.capture && !condition.negated ? &captures_ : nullptr;
  bool matched = false;
  std::string_view matched_value;
  const std::vector<seclang::Transformation>& pipeline = program_->pipelines()[condition.pipeline];
  const auto unchanged = [&pipeline, this, source](std::string_view input) {
    const seclang::ValueTraits traits = TraitsOf(input, source);
    return std::none_of(pipeline.begin(), pipeline.end(),
                        [&traits](seclang::Transformation t) { return traits.MayChange(t); });
  };
  if (condition.multi_match && unchanged(value)) {
    // No step changes the value: multiMatch tests the value once, as it is.
    if (condition.op.Match(value, runtime_argument, captures) != condition.negated) {
      matched = true;
      matched_value = value;
    }
  } else if (condition.multi_match) {
    multi_values_ = seclang::MultiMatchValues(pipeline, value);
    for (const std::string& candidate : multi_values_) {
      if (condition.op.Match(candidate, runtime_argument, captures) != condition.negated) {
        matched = true;
        matched_value = candidate;
        break;
      }
    }
  } else {
    const std::string_view transformed = Transformed(condition.pipeline, value, source);
    if (condition.op.Match(transformed, runtime_argument, captures) != condition.negated) {
      matched = true;
      matched_value = transformed;
    }
  }
  if (!matched) return false;
  // MATCHED_VAR(S), written into strings kept from match to match.
  matched_var_name_.assign(target.name);
  if (!key.empty()) {
    matched_var_name_.push_back(':');
    matched_var_name_.append(key);
  }
  if (matched_vars_size_ == matched_vars_.size()) matched_vars_.emplace_back();
  auto& [name, matched_var_value] = matched_vars_[matched_vars_size_++];
  name.assign(matched_var_name_);
  matched_var_value.assign(matched_value);
  matched_var_.assign(matched_value);  // last: matched_value may point into matched_var_
  if (captures != nullptr && !captures->empty()) {
    static constexpr char kDigits[] = "0123456789";
    for (size_t i = 0; i < captures->size() && i < 10; ++i) {
      tx_.Set(std::string_view(&kDigits[i], 1), (*captures)[i]);
    }
  }
  // ModSecurity runs a rule's non-disruptive actions for each value that matches: 920450 records
  // every header name it captures, and a score counts every matching argument.
  if (apply_setvars_) {
    for (const LinkedSetVar& setvar : condition.setvars) ApplySetVar(setvar);
  }
  for (const LinkedControl& control : condition.controls) ApplyControl(control);
  return true;
}

bool Evaluator::EvaluateCondition(const LinkedRule& rule, const LinkedCondition& condition) {
  const std::string* argument = nullptr;
  if (condition.runtime_argument) {
    ExpandInto(condition.argument, &runtime_argument_);
    argument = &runtime_argument_;
  }
  bool matched = false;
  // The prefilter knows which values hold the literals a covered rule's first condition needs;
  // the others cannot match.
  const bool filtered = prefilter_ != nullptr && &condition == rule.conditions.data() &&
                        prefilter_->Covers(current_index_);
  auto excluded = [&](const LinkedTarget& target, std::string_view key) {
    for (const LinkedSelector& exclusion : target.exclusions) {
      if (exclusion.Matches(key)) return true;
    }
    return TargetRemoved(rule, target, key);
  };
  for (const LinkedTarget& target : condition.targets) {
    switch (target.source) {
      case TargetSource::kRequest: {
        if (target.collection == waf_inputs::Collection::kRequestBody && !request_body_visible_) {
          break;
        }
        const auto entries = collections_.Entries(target.collection);
        if (target.count) {
          size_t count = 0;
          for (const waf_inputs::CollectionEntry& entry : entries) {
            if (target.selector.Matches(entry.key) && !excluded(target, entry.key)) ++count;
          }
          const std::string text = std::to_string(count);
          matched |= TestValue(rule, condition, target, "", text, argument, {});
          break;
        }
        for (size_t i = 0; i < entries.size(); ++i) {
          const waf_inputs::CollectionEntry& entry = entries[i];
          // The prefilter's answer before the exclusions: it rules out most values, and
          // quicker than an exclusion's key search.
          if (!target.selector.Matches(entry.key)) continue;
          const ValueSource source{
              true, prefilter_ == nullptr
                        ? -1
                        : prefilter_->ValueIndex(prefilter_state_, target.collection, i)};
          if ((filtered && !prefilter_->MayMatchValue(prefilter_state_, current_index_,
                                                      source.prefilter_index)) ||
              excluded(target, entry.key)) {
            continue;
          }
          matched |= TestValue(rule, condition, target, entry.key, entry.value, argument, source);
        }
        break;
      }
      case TargetSource::kTx: {
        if (target.selector.regex == nullptr && !target.selector.all) {
          // One variable (the common case: TX:paranoia_level, TX:anomaly_score); the key is
          // lower case since linking, and its place among the initial variables known.
          const std::string* value = tx_.Find(target.selector.key, target.initial_tx_index);
          if (target.count) {
            matched |=
                TestValue(rule, condition, target, "", value != nullptr ? "1" : "0", argument, {});
          } else if (value != nullptr && !excluded(target, target.selector.key)) {
            // A copy only when testing may write TX (a capture) under the pointer.
            if (condition.capture || !condition.setvars.empty()) {
              const std::string copy = *value;
              matched |=
                  TestValue(rule, condition, target, target.selector.key, copy, argument, {});
            } else {
              matched |=
                  TestValue(rule, condition, target, target.selector.key, *value, argument, {});
            }
          }
          break;
        }
        // Collected first (into strings kept from request to request): a capture while
        // testing may write TX.
        size_t count = 0;
        tx_.ForEachSelected(
            target.initial_tx_selected,
            [&target](std::string_view name) { return target.selector.Matches(name); },
            [&](std::string_view name, std::string_view value) {
              if (count == tx_values_.size()) tx_values_.emplace_back();
              tx_values_[count].first.assign(name);
              tx_values_[count].second.assign(value);
              ++count;
            });
        if (target.count) {
          matched |= TestValue(rule, condition, target, "", std::to_string(count), argument, {});
          break;
        }
        for (size_t i = 0; i < count; ++i) {
          const auto& [name, value] = tx_values_[i];
          if (excluded(target, name)) continue;
          matched |= TestValue(rule, condition, target, name, value, argument, {});
        }
        break;
      }
      case TargetSource::kMatchedVar:
      case TargetSource::kMatchedVarName: {
        const std::string value =
            target.source == TargetSource::kMatchedVar ? matched_var_ : matched_var_name_;
        if (target.count) {
          matched |= TestValue(rule, condition, target, "", "1", argument, {});
        } else {
          matched |= TestValue(rule, condition, target, "", value, argument, {});
        }
        break;
      }
      case TargetSource::kMatchedVars:
      case TargetSource::kMatchedVarsNames: {
        // Testing appends to matched_vars_.
        const std::vector<std::pair<std::string, std::string>> values(
            matched_vars_.begin(),
            matched_vars_.begin() + static_cast<std::ptrdiff_t>(matched_vars_size_));
        if (target.count) {
          matched |=
              TestValue(rule, condition, target, "", std::to_string(values.size()), argument, {});
          break;
        }
        for (const auto& [name, value] : values) {
          const std::string& tested =
              target.source == TargetSource::kMatchedVars ? value : name;
          matched |= TestValue(rule, condition, target, name, tested, argument, {});
        }
        break;
      }
    }
  }
  return matched;
}

void Evaluator::ApplySetVar(const LinkedSetVar& setvar) {
  // Into buffers kept from request to request: a setvar runs per matching value.
  std::string_view name = setvar.name.constant_text();
  if (!setvar.name.constant()) {
    ExpandInto(setvar.name, &setvar_name_);
    for (char& c : setvar_name_) c = absl::ascii_tolower(static_cast<unsigned char>(c));
    name = setvar_name_;
  }
  std::string_view value = setvar.value.constant_text();
  if (!setvar.value.constant() && setvar.operation != v1::SetVar::DELETE) {
    ExpandInto(setvar.value, &setvar_value_);
    value = setvar_value_;
  }
  switch (setvar.operation) {
    case v1::SetVar::SET:
      tx_.Set(name, value);
      break;
    case v1::SetVar::ADD:
    case v1::SetVar::SUBTRACT: {
      const std::string* current = tx_.Find(
          name, setvar.name.constant() ? setvar.name_initial_tx_index : TxStore::kSearchInitial);
      int64_t sum = current != nullptr ? ParseModSecurityInteger(*current) : 0;
      const int64_t change = ParseModSecurityInteger(value);
      sum += setvar.operation == v1::SetVar::ADD ? change : -change;
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof(digits), sum).ptr;
      tx_.Set(name, std::string_view(digits, static_cast<size_t>(end - digits)));
      break;
    }
    case v1::SetVar::DELETE:
      tx_.Delete(name);
      break;
    default:
      break;
  }
}

void Evaluator::ApplyControl(const LinkedControl& control) {
  switch (control.kind) {
    case v1::Control::RULE_REMOVE_BY_ID:
      removed_ids_.emplace_back(control.id_low, control.id_high);
      break;
    case v1::Control::RULE_REMOVE_BY_TAG:
      removed_tags_.push_back(control.value);
      break;
    case v1::Control::RULE_REMOVE_TARGET_BY_ID:
    case v1::Control::RULE_REMOVE_TARGET_BY_TAG:
      removed_targets_.push_back(&control);
      break;
    case v1::Control::REQUEST_BODY_PROCESSOR:
      forced_processor_ = ProcessorByName(control.value);
      processor_forced_ = true;
      if (prefilter_ != nullptr && current_rule_ != nullptr && current_rule_->phase == 1) {
        // Phase 2's first rule rebuilds the values and scans them again, so it is visited.
        const std::vector<LinkedRule>& rules = program_->rules();
        size_t first = current_index_ + 1;
        while (first < rules.size() && rules[first].phase == 1) ++first;
        if (first < rules.size()) visits_.Set(first);
      }
      break;
    case v1::Control::FORCE_REQUEST_BODY_VARIABLE:
      request_body_visible_ = EqualsIgnoreCase(control.value, "on");
      break;
    case v1::Control::RULE_ENGINE_OFF:
      engine_off_ = true;
      break;
    default:
      break;
  }
}

std::string Evaluator::Expand(std::string_view text) const {
  std::string out;
  ExpandInto(MacroText::Parse(text), &out);
  return out;
}

void Evaluator::ExpandInto(const MacroText& text, std::string* out_string) const {
  std::string& out = *out_string;
  out.clear();
  for (const MacroText::Piece& piece : text.pieces()) {
    switch (piece.source) {
      case MacroText::Source::kLiteral:
        out.append(piece.text);
        break;
      case MacroText::Source::kTx:
        if (const std::string* value = tx_.Find(piece.text, piece.initial_tx_index)) {
          out.append(*value);
        }
        break;
      case MacroText::Source::kMatchedVar:
        out.append(matched_var_);
        break;
      case MacroText::Source::kMatchedVarName:
        out.append(matched_var_name_);
        break;
      case MacroText::Source::kRuleId:
        if (current_rule_ != nullptr) out.append(current_rule_->id_text);
        break;
      case MacroText::Source::kRuleMsg:
        if (current_rule_ != nullptr) out.append(current_rule_->msg);
        break;
      case MacroText::Source::kRuleSeverity:
        if (current_rule_ != nullptr && current_rule_->severity >= 0) {
          out.append(std::to_string(current_rule_->severity));
        }
        break;
      case MacroText::Source::kCollection:
        for (const waf_inputs::CollectionEntry& entry : collections_.Entries(piece.collection)) {
          if (piece.any_key || EqualsIgnoreCase(entry.key, piece.text)) {
            out.append(entry.value);
            break;
          }
        }
        break;
    }
  }
}

std::string Evaluator::LogLine(const LinkedRule& rule, const RuleMatch& match) const {
  // ModSecurity's error-log form, which the CRS regression tests search: [id "942100"].
  std::string line = absl::StrCat("Gatehouse WAF: Warning. Matched \"", match.variable,
                                  "\" (Value: `", match.value, "') [file \"", rule.file,
                                  "\"] [line \"", rule.line, "\"] [id \"", rule.id_text,
                                  "\"] [msg \"", Expand(rule.msg), "\"] [data \"",
                                  Expand(rule.logdata), "\"]");
  if (rule.severity >= 0 && rule.severity < 8) {
    absl::StrAppend(&line, " [severity \"", kSeverityNames[rule.severity], "\"]");
  }
  for (const std::string& tag : rule.tags) absl::StrAppend(&line, " [tag \"", tag, "\"]");
  return line;
}

}  // namespace gatehouse::waf

#include "compiler/seclang_import/translator.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <variant>

#include "rules/strings.h"
#include "compiler/seclang_import/compile_time_tx.h"
#include "compiler/seclang_import/regex_rewrite.h"
#include "re2/re2.h"
#include "seclang/operators.h"
#include "seclang/transformations.h"
#include "waf/linked_program.h"
#include "waf/operators.h"
#include "waf_inputs/collection.h"

namespace gatehouse::seclang_import {
namespace {

using seclang::Actions;
using seclang::SecAction;
using seclang::SecRule;
using waf::v1::Rule;

constexpr int kDefaultPhase = 2;

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

bool IsSpecialTarget(std::string_view collection) {
  return collection == "TX" || collection == "MATCHED_VAR" || collection == "MATCHED_VAR_NAME" ||
         collection == "MATCHED_VARS" || collection == "MATCHED_VARS_NAMES";
}

// Why a collection cannot be read, for the omitted-rules list; nullopt when it can.
std::optional<std::string> UnsupportedCollection(std::string_view collection) {
  if (IsSpecialTarget(collection) || waf_inputs::CollectionByName(collection)) return std::nullopt;
  if (collection == "IP" || collection == "GLOBAL" || collection == "SESSION" ||
      collection == "USER" || collection == "RESOURCE") {
    return rules::Cat("reads the persistent collection ", collection,
                        " (per-client state is not supported)");
  }
  if (collection == "GEO") return std::string("reads GEO (GeoIP is not supported)");
  return rules::Cat("reads ", collection, ", which the managed WAF does not provide");
}

// One directive in the order ModSecurity runs it: a rule (SecRule or SecAction) or a marker.
struct Item {
  const SecRule* rule = nullptr;
  const SecAction* action = nullptr;
  std::string marker;
  const seclang::SourceLocation* location = nullptr;
  const Actions* actions = nullptr;  // the head's
};

class Translator {
 public:
  Translator(const seclang::LoadedRuleset& ruleset, const TranslateOptions& options)
      : ruleset_(ruleset), options_(options) {}

  absl::StatusOr<waf::v1::WafProgram> Run();

 private:
  struct Defaults {
    bool log = true;
    std::vector<std::string> transformations;
  };

  void Collect();
  absl::Status TranslatePhase(int phase);
  // Handles one rule of `phase`; false stops nothing — omissions are recorded.
  void HandleRule(const Item& item, int phase);
  void Omit(const Item& item, std::string reason);

  // Builds the rule's conditions into `out`; a reason when it cannot run.
  std::optional<std::string> BuildConditions(const Item& item, int phase, Rule* out);
  std::optional<std::string> BuildCondition(const SecRule& rule, const Actions& actions,
                                            int phase, const std::string& rule_id,
                                            waf::v1::Condition* out);
  std::optional<std::string> BuildActions(const Item& item, Rule* out);
  // A rule's or link's setvars and ctls.
  std::optional<std::string> BuildEffects(
      const Item& item, const Actions& actions, const std::string& rule_id,
      google::protobuf::RepeatedPtrField<waf::v1::SetVar>* setvars,
      google::protobuf::RepeatedPtrField<waf::v1::Control>* controls);
  void Adjust(const Item& item, std::string what);
  uint32_t InternPipeline(const std::vector<std::string>& transformations);
  std::vector<std::string> Pipeline(const Actions& actions, int phase) const;

  // Runs at compile time a rule whose inputs are all constant and whose effects can be resolved
  // now, applying its effects to the compile-time TX: nullopt when it must run per request,
  // else whether it matched.
  std::optional<bool> FoldStatically(const Item& item, const Rule& rule);
  bool ApplyConstantEffects(const Rule& rule,
                            const google::protobuf::RepeatedPtrField<waf::v1::SetVar>& setvars,
                            const google::protobuf::RepeatedPtrField<waf::v1::Control>& controls,
                            const std::string& matched_value, const std::string& matched_name,
                            std::vector<std::pair<int64_t, int64_t>>* removals);

  bool Removed(int64_t id) const;

  const seclang::LoadedRuleset& ruleset_;
  const TranslateOptions& options_;
  waf::v1::WafProgram program_;
  CompileTimeTx tx_;
  std::map<int, Defaults> defaults_;
  std::map<int, std::vector<Item>> phases_;
  std::map<std::vector<std::string>, uint32_t> pipelines_;
  std::vector<std::pair<int64_t, int64_t>> removed_ids_;
  // What the rule being translated runs without (recorded if the rule is kept).
  std::vector<std::string> pending_adjustments_;

  // Per phase.
  std::map<std::string, uint32_t> marker_positions_;
  std::vector<std::pair<uint32_t, std::string>> pending_skips_;
  std::optional<std::string> static_skip_until_;
  // Markers a kept rule may skip to, not yet reached: rules before them may not run, so none
  // of them is folded at compile time.
  std::multiset<std::string> open_runtime_skips_;
  // Paranoia-level gates open: marker -> level.
  std::vector<std::pair<std::string, uint32_t>> gates_;
};

void Translator::Collect() {
  for (const seclang::Directive& directive : ruleset_.directives) {
    if (const auto* rule = std::get_if<SecRule>(&directive.body)) {
      Item item;
      item.rule = rule;
      item.location = &rule->location;
      item.actions = &rule->actions;
      phases_[rule->actions.phase.value_or(kDefaultPhase)].push_back(item);
    } else if (const auto* action = std::get_if<SecAction>(&directive.body)) {
      Item item;
      item.action = action;
      item.location = &action->location;
      item.actions = &action->actions;
      phases_[action->actions.phase.value_or(kDefaultPhase)].push_back(item);
    } else if (const auto* marker = std::get_if<seclang::SecMarker>(&directive.body)) {
      // A marker stands in every phase's list.
      for (int phase = 1; phase <= 5; ++phase) {
        Item item;
        item.marker = marker->name;
        item.location = &marker->location;
        phases_[phase].push_back(item);
      }
    } else if (const auto* config = std::get_if<seclang::ConfigDirective>(&directive.body)) {
      if (config->name == "SecDefaultAction" && config->actions.has_value()) {
        Defaults defaults;
        defaults.log = config->actions->log.value_or(true);
        defaults.transformations = config->actions->transformations;
        defaults_[config->actions->phase.value_or(kDefaultPhase)] = defaults;
      } else if (config->name == "SecRuleRemoveById") {
        for (const std::string& argument : config->args) {
          if (auto range = waf::ParseRuleIdRange(argument)) removed_ids_.push_back(*range);
        }
      }
    }
  }
}

bool Translator::Removed(int64_t id) const {
  for (const auto& [low, high] : removed_ids_) {
    if (id >= low && id <= high) return true;
  }
  return false;
}

void Translator::Adjust(const Item& item, std::string what) {
  pending_adjustments_.push_back(std::move(what));
  (void)item;
}

void Translator::Omit(const Item& item, std::string reason) {
  waf::v1::OmittedRule* omitted = program_.add_omitted();
  if (item.actions->id) omitted->set_id(std::to_string(*item.actions->id));
  omitted->set_file(BaseName(item.location->file));
  omitted->set_line(item.location->line);
  omitted->set_reason(std::move(reason));
}

std::vector<std::string> Translator::Pipeline(const Actions& actions, int phase) const {
  std::vector<std::string> pipeline;
  if (!actions.transformations_reset) {
    auto it = defaults_.find(phase);
    if (it != defaults_.end()) pipeline = it->second.transformations;
  }
  pipeline.insert(pipeline.end(), actions.transformations.begin(), actions.transformations.end());
  return pipeline;
}

uint32_t Translator::InternPipeline(const std::vector<std::string>& transformations) {
  auto [it, inserted] =
      pipelines_.try_emplace(transformations, static_cast<uint32_t>(program_.pipelines_size()));
  if (inserted) {
    waf::v1::Pipeline* pipeline = program_.add_pipelines();
    for (const std::string& name : transformations) pipeline->add_transformations(name);
  }
  return it->second;
}

std::optional<std::string> Translator::BuildCondition(const SecRule& rule, const Actions& actions,
                                                      int phase, const std::string& rule_id,
                                                      waf::v1::Condition* out) {
  // Targets, then the exclusions (!ARGS:foo) attached to the targets of their collection.
  for (const seclang::Variable& variable : rule.variables) {
    if (std::optional<std::string> why = UnsupportedCollection(variable.collection)) return why;
    if (variable.exclusion) continue;
    waf::v1::Target* target = out->add_targets();
    target->set_collection(variable.collection);
    target->set_count(variable.count);
    switch (variable.selector.kind) {
      case seclang::SelectorKind::kNone:
        break;
      case seclang::SelectorKind::kKey:
        target->mutable_selector()->set_kind(waf::v1::SELECTOR_KEY);
        target->mutable_selector()->set_text(variable.selector.value);
        break;
      case seclang::SelectorKind::kRegex:
        target->mutable_selector()->set_kind(waf::v1::SELECTOR_REGEX);
        target->mutable_selector()->set_text(variable.selector.value);
        break;
      case seclang::SelectorKind::kXPath:
        if (variable.selector.value != "/*" && variable.selector.value != "//@*") {
          return rules::Cat("reads XML:", variable.selector.value,
                              " (only XML:/* and XML://@* are supported)");
        }
        target->mutable_selector()->set_kind(waf::v1::SELECTOR_KEY);
        target->mutable_selector()->set_text(variable.selector.value);
        break;
    }
  }
  for (const seclang::Variable& variable : rule.variables) {
    if (!variable.exclusion) continue;
    for (waf::v1::Target& target : *out->mutable_targets()) {
      if (target.collection() != variable.collection) continue;
      waf::v1::KeySelector* exclusion = target.add_exclusions();
      exclusion->set_kind(variable.selector.kind == seclang::SelectorKind::kRegex
                              ? waf::v1::SELECTOR_REGEX
                              : waf::v1::SELECTOR_KEY);
      exclusion->set_text(variable.selector.value);
    }
  }
  if (out->targets().empty()) return std::string("has no target left after its exclusions");

  const std::string_view op_name = seclang::OperatorDisplayName(rule.op.name);
  std::optional<waf::OperatorKind> kind = waf::OperatorKindByName(op_name);
  if (!kind) return rules::Cat("uses @", op_name, ", which the managed WAF does not run");
  waf::v1::Operator* op = out->mutable_operator_();
  op->set_name(std::string(waf::OperatorName(*kind)));
  op->set_negated(rule.op.negated);
  if (seclang::OperatorReadsDataFiles(rule.op.name)) {
    for (size_t start = 0; start < rule.op.argument.size();) {
      size_t end = rule.op.argument.find(' ', start);
      if (end == std::string::npos) end = rule.op.argument.size();
      const std::string name = rule.op.argument.substr(start, end - start);
      start = end + 1;
      if (name.empty()) continue;
      auto file = ruleset_.data_files.find(name);
      if (file == ruleset_.data_files.end()) return rules::Cat("data file ", name, " not loaded");
      for (const std::string& entry : file->second.entries) op->add_list(entry);
    }
    op->set_argument(rule.op.argument);
  } else {
    bool runtime = false;
    op->set_argument(tx_.ExpandConstants(rule.op.argument, rule_id, &runtime));
    if (*kind == waf::OperatorKind::kRx) {
      RegexForRe2 rewritten = RewriteForRe2(op->argument(), actions.capture);
      op->set_argument(std::move(rewritten.pattern));
      kind = rewritten.kind;
      op->set_name(std::string(waf::OperatorName(*kind)));
      for (std::string& note : rewritten.notes) pending_adjustments_.push_back(std::move(note));
    }
    if (runtime) {
      if (!waf::TakesRuntimeArgument(*kind)) {
        return rules::Cat("@", op_name, "'s argument depends on the request");
      }
      op->set_runtime_macros(true);
    }
  }
  // The operator must compile here as a proxy will compile it.
  std::vector<std::string> list(op->list().begin(), op->list().end());
  absl::StatusOr<waf::CompiledOperator> compiled =
      waf::CompiledOperator::Create(*kind, op->argument(), list);
  if (!compiled.ok()) return std::string(compiled.status().message());

  for (const std::string& name : Pipeline(actions, phase)) {
    if (!seclang::TransformationByName(name)) {
      return rules::Cat("uses t:", name, ", which the managed WAF does not implement");
    }
  }
  out->set_pipeline(InternPipeline(Pipeline(actions, phase)));
  out->set_multi_match(actions.multi_match);
  out->set_capture(actions.capture);
  return std::nullopt;
}

std::optional<std::string> Translator::BuildConditions(const Item& item, int phase, Rule* out) {
  if (item.rule == nullptr) {
    out->set_unconditional(true);
    return std::nullopt;
  }
  if (std::optional<std::string> why = BuildCondition(*item.rule, item.rule->actions, phase,
                                                      out->id(), out->add_conditions())) {
    return why;
  }
  for (const SecRule& link : item.rule->chain) {
    if (std::optional<std::string> why =
            BuildCondition(link, link.actions, phase, out->id(), out->add_conditions())) {
      return why;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Translator::BuildEffects(
    const Item& item, const Actions& actions, const std::string& rule_id,
    google::protobuf::RepeatedPtrField<waf::v1::SetVar>* setvars,
    google::protobuf::RepeatedPtrField<waf::v1::Control>* controls) {
  if (actions.skip) return std::string("uses skip (only skipAfter is supported)");
  for (const seclang::SetVar& setvar : actions.setvars) {
    if (setvar.collection != "TX") {
      // IP reputation and DoS counters live in persistent per-client collections, which the
      // managed WAF does not keep: the rule runs without this setvar, and says so.
      Adjust(item, rules::Cat("setvar:", LowerAscii(setvar.collection), ".", setvar.name,
                              " left out (per-client state is not supported)"));
      continue;
    }
    waf::v1::SetVar* out_setvar = setvars->Add();
    bool runtime_name = false;
    std::string name = tx_.ExpandConstants(setvar.name, rule_id, &runtime_name);
    out_setvar->set_name(runtime_name ? name : LowerAscii(name));
    switch (setvar.operation) {
      case seclang::SetVarOperation::kSet:
        out_setvar->set_operation(waf::v1::SetVar::SET);
        break;
      case seclang::SetVarOperation::kAdd:
        out_setvar->set_operation(waf::v1::SetVar::ADD);
        break;
      case seclang::SetVarOperation::kSubtract:
        out_setvar->set_operation(waf::v1::SetVar::SUBTRACT);
        break;
      case seclang::SetVarOperation::kDelete:
        out_setvar->set_operation(waf::v1::SetVar::DELETE);
        break;
    }
    bool runtime_value = false;
    out_setvar->set_value(tx_.ExpandConstants(setvar.value, rule_id, &runtime_value));
  }
  for (const seclang::Ctl& ctl : actions.ctls) {
    waf::v1::Control control;
    using seclang::CtlOption;
    switch (ctl.option) {
      case CtlOption::kRuleRemoveById:
        control.set_kind(waf::v1::Control::RULE_REMOVE_BY_ID);
        control.set_value(ctl.value);
        break;
      case CtlOption::kRuleRemoveByTag:
        control.set_kind(waf::v1::Control::RULE_REMOVE_BY_TAG);
        control.set_value(ctl.value);
        break;
      case CtlOption::kRuleRemoveTargetById:
      case CtlOption::kRuleRemoveTargetByTag: {
        control.set_kind(ctl.option == CtlOption::kRuleRemoveTargetById
                             ? waf::v1::Control::RULE_REMOVE_TARGET_BY_ID
                             : waf::v1::Control::RULE_REMOVE_TARGET_BY_TAG);
        control.set_value(ctl.rule_selector);
        if (!ctl.target.has_value()) return rules::Cat("ctl:", ctl.value, " names no target");
        control.set_target_collection(ctl.target->collection);
        waf::v1::KeySelector* selector = control.mutable_target_selector();
        if (ctl.target->selector.kind == seclang::SelectorKind::kRegex) {
          selector->set_kind(waf::v1::SELECTOR_REGEX);
        } else if (ctl.target->selector.kind != seclang::SelectorKind::kNone) {
          selector->set_kind(waf::v1::SELECTOR_KEY);
        }
        selector->set_text(ctl.target->selector.value);
        break;
      }
      case CtlOption::kRequestBodyProcessor:
        control.set_kind(waf::v1::Control::REQUEST_BODY_PROCESSOR);
        control.set_value(ctl.value);
        break;
      case CtlOption::kForceRequestBodyVariable:
        control.set_kind(waf::v1::Control::FORCE_REQUEST_BODY_VARIABLE);
        control.set_value(ctl.value);
        break;
      case CtlOption::kRuleEngine:
        if (LowerAscii(ctl.value) != "off") continue;  // the mode is the zone's choice
        control.set_kind(waf::v1::Control::RULE_ENGINE_OFF);
        break;
      case CtlOption::kAuditEngine:
      case CtlOption::kAuditLogParts:
      case CtlOption::kDebugLogLevel:
      case CtlOption::kRequestBodyAccess:
      case CtlOption::kRequestBodyLimit:
      case CtlOption::kRequestBodyInMemoryLimit:
      case CtlOption::kResponseBodyAccess:
      case CtlOption::kResponseBodyLimit:
        // Logging and buffering are the proxy's and the zone's settings, not a rule's.
        continue;
      default:
        return rules::Cat("uses ctl:", seclang::CtlOptionName(ctl.option),
                          ", which the managed WAF does not support");
    }
    *controls->Add() = std::move(control);
  }
  return std::nullopt;
}

std::optional<std::string> Translator::BuildActions(const Item& item, Rule* out) {
  const Actions& head = *item.actions;
  if (item.rule == nullptr) {
    if (auto why = BuildEffects(item, head, out->id(), out->mutable_setvars(),
                                out->mutable_controls())) {
      return why;
    }
  } else {
    std::vector<const Actions*> all = {&head};
    for (const SecRule& link : item.rule->chain) all.push_back(&link.actions);
    for (size_t i = 0; i < all.size(); ++i) {
      waf::v1::Condition* condition = out->mutable_conditions(static_cast<int>(i));
      if (auto why = BuildEffects(item, *all[i], out->id(), condition->mutable_setvars(),
                                  condition->mutable_controls())) {
        return why;
      }
    }
  }
  if (head.skip_after) {
    pending_skips_.emplace_back(static_cast<uint32_t>(program_.rules_size()), *head.skip_after);
  }
  out->set_log(head.log.value_or(defaults_[out->phase()].log));
  Rule::Disruptive disruptive = Rule::PASS;
  if (head.disruptive) {
    switch (head.disruptive->kind) {
      case seclang::Disruptive::kPass:
        break;
      case seclang::Disruptive::kBlock:
        disruptive = Rule::BLOCK;
        break;
      case seclang::Disruptive::kDeny:
      case seclang::Disruptive::kDrop:
        disruptive = Rule::DENY;
        break;
      case seclang::Disruptive::kAllow:
        disruptive = Rule::ALLOW;
        break;
      default:
        return rules::Cat("uses ", seclang::DisruptiveName(head.disruptive->kind),
                            ", which the managed WAF does not support");
    }
  }
  out->set_disruptive(disruptive);
  return std::nullopt;
}

bool Translator::ApplyConstantEffects(
    const Rule& rule, const google::protobuf::RepeatedPtrField<waf::v1::SetVar>& setvars,
    const google::protobuf::RepeatedPtrField<waf::v1::Control>& controls,
    const std::string& matched_value, const std::string& matched_name,
    std::vector<std::pair<int64_t, int64_t>>* removals) {
  for (const waf::v1::SetVar& setvar : setvars) {
    std::optional<std::string> name =
        tx_.ExpandFully(setvar.name(), rule.id(), matched_value, matched_name);
    std::optional<std::string> value =
        tx_.ExpandFully(setvar.value(), rule.id(), matched_value, matched_name);
    if (!name || !value) return false;
    const std::string key = LowerAscii(*name);
    switch (setvar.operation()) {
      case waf::v1::SetVar::SET:
        tx_.Set(key, *value);
        break;
      case waf::v1::SetVar::ADD:
      case waf::v1::SetVar::SUBTRACT: {
        int64_t current = waf::ParseModSecurityInteger(tx_.Get(key).value_or("0"));
        const int64_t change = waf::ParseModSecurityInteger(*value);
        current += setvar.operation() == waf::v1::SetVar::ADD ? change : -change;
        tx_.Set(key, std::to_string(current));
        break;
      }
      case waf::v1::SetVar::DELETE:
        tx_.Delete(key);
        break;
      default:
        return false;
    }
  }
  for (const waf::v1::Control& control : controls) {
    if (control.kind() != waf::v1::Control::RULE_REMOVE_BY_ID) return false;
    std::optional<std::pair<int64_t, int64_t>> range = waf::ParseRuleIdRange(control.value());
    if (!range) return false;
    removals->push_back(*range);
  }
  return true;
}

std::optional<bool> Translator::FoldStatically(const Item& item, const Rule& rule) {
  if (!open_runtime_skips_.empty()) return std::nullopt;
  // Every target must be a constant TX variable, and every argument constant.
  for (const waf::v1::Condition& condition : rule.conditions()) {
    if (condition.operator_().runtime_macros()) return std::nullopt;
    for (const waf::v1::Target& target : condition.targets()) {
      if (target.collection() != "TX") return std::nullopt;
      if (target.selector().kind() == waf::v1::SELECTOR_KEY) {
        if (!tx_.IsConstant(LowerAscii(target.selector().text()))) return std::nullopt;
      } else if (!tx_.AllConstantForRegex()) {
        return std::nullopt;
      }
    }
  }
  // Run it on a copy: a setvar that cannot be resolved keeps the rule for run time.
  const CompileTimeTx saved = tx_;
  std::vector<std::pair<int64_t, int64_t>> removals;
  auto keep_for_runtime = [&]() -> std::optional<bool> {
    tx_ = saved;
    return std::nullopt;
  };
  bool matched = true;
  if (rule.unconditional()) {
    if (!ApplyConstantEffects(rule, rule.setvars(), rule.controls(), "", "", &removals)) {
      return keep_for_runtime();
    }
  }
  for (const waf::v1::Condition& condition : rule.conditions()) {
    std::optional<waf::OperatorKind> kind = waf::OperatorKindByName(condition.operator_().name());
    std::vector<std::string> list(condition.operator_().list().begin(),
                                  condition.operator_().list().end());
    absl::StatusOr<waf::CompiledOperator> op =
        waf::CompiledOperator::Create(*kind, condition.operator_().argument(), list);
    if (!op.ok()) return keep_for_runtime();
    std::vector<seclang::Transformation> pipeline;
    for (const std::string& name : program_.pipelines(condition.pipeline()).transformations()) {
      if (auto t = seclang::TransformationByName(name); t && *t != seclang::Transformation::kNone) {
        pipeline.push_back(*t);
      }
    }
    bool condition_matched = false;
    std::string matched_value, matched_name;
    for (const waf::v1::Target& target : condition.targets()) {
      // (name, value) of the selected constant variables.
      std::vector<std::pair<std::string, std::string>> values;
      if (target.selector().kind() == waf::v1::SELECTOR_KEY) {
        const std::string name = LowerAscii(target.selector().text());
        if (std::optional<std::string> value = tx_.Get(name)) values.emplace_back(name, *value);
      } else {
        RE2::Options options;
        options.set_case_sensitive(false);
        RE2 regex(target.selector().kind() == waf::v1::SELECTOR_REGEX ? target.selector().text()
                                                                      : "",
                  options);
        for (const auto& [name, value] : tx_.values()) {
          if (RE2::PartialMatch(name, regex)) values.emplace_back(name, value);
        }
      }
      if (target.count()) values = {{"", std::to_string(values.size())}};
      for (const auto& [name, value] : values) {
        std::vector<std::string> captures;
        const std::string transformed = seclang::ApplyTransformations(pipeline, value);
        if (op->Match(transformed, nullptr, condition.capture() ? &captures : nullptr) !=
            condition.operator_().negated()) {
          condition_matched = true;
          matched_value = transformed;
          matched_name = name.empty() ? "TX" : rules::Cat("TX:", name);
          for (size_t i = 0; i < captures.size() && i < 10; ++i) {
            tx_.Set(std::to_string(i), captures[i]);
          }
        }
      }
    }
    if (!condition_matched) {
      matched = false;
      break;
    }
    if (!ApplyConstantEffects(rule, condition.setvars(), condition.controls(), matched_value,
                              matched_name, &removals)) {
      return keep_for_runtime();
    }
  }
  if (matched) {
    removed_ids_.insert(removed_ids_.end(), removals.begin(), removals.end());
    if (item.actions->skip_after) static_skip_until_ = *item.actions->skip_after;
  }
  return matched;
}

void Translator::HandleRule(const Item& item, int phase) {
  Rule rule;
  if (item.actions->id) rule.set_id(std::to_string(*item.actions->id));
  if (item.actions->id && Removed(*item.actions->id)) {
    Omit(item, "removed by the ruleset's own configuration (SecRuleRemoveById or ctl)");
    return;
  }
  rule.set_phase(phase);
  rule.set_file(BaseName(item.location->file));
  rule.set_line(item.location->line);
  if (item.actions->msg) rule.set_msg(*item.actions->msg);
  if (item.actions->logdata) rule.set_logdata(*item.actions->logdata);
  for (const std::string& tag : item.actions->tags) rule.add_tags(tag);
  rule.set_severity(item.actions->severity.value_or(-1));
  if (!gates_.empty()) {
    uint32_t level = 0;
    for (const auto& [marker, gate_level] : gates_) level = std::max(level, gate_level);
    rule.set_paranoia_level(level);
  }

  const size_t skips_before = pending_skips_.size();
  pending_adjustments_.clear();
  std::optional<std::string> why = BuildConditions(item, phase, &rule);
  if (!why) why = BuildActions(item, &rule);
  if (why) {
    pending_skips_.resize(skips_before);
    Omit(item, *why);
    return;
  }

  if (std::optional<bool> matched = FoldStatically(item, rule)) {
    pending_skips_.resize(skips_before);
    if (!*matched || !rule.log()) return;  // folded away
    // A constant rule that logs still writes its line on every request.
    rule.clear_setvars();
    rule.clear_controls();
    rule.clear_conditions();
    rule.set_unconditional(true);
  }

  for (const std::string& what : pending_adjustments_) {
    waf::v1::OmittedRule* adjusted = program_.add_adjusted();
    adjusted->set_id(rule.id());
    adjusted->set_file(rule.file());
    adjusted->set_line(rule.line());
    adjusted->set_reason(what);
  }

  // Kept for run time: what it writes is no longer constant.
  auto mark_runtime = [&](const google::protobuf::RepeatedPtrField<waf::v1::SetVar>& setvars) {
    for (const waf::v1::SetVar& setvar : setvars) {
      if (setvar.name().find("%{") != std::string::npos) {
        tx_.MarkRuntimeNamesUnknown();
      } else {
        tx_.MarkRuntime(setvar.name());
      }
    }
  };
  mark_runtime(rule.setvars());
  for (const waf::v1::Condition& condition : rule.conditions()) {
    mark_runtime(condition.setvars());
    if (condition.capture()) {
      for (int i = 0; i < 10; ++i) tx_.MarkRuntime(std::to_string(i));
    }
  }
  if (item.actions->skip_after && pending_skips_.size() > skips_before) {
    open_runtime_skips_.insert(*item.actions->skip_after);
    // A paranoia-level gate: TX:(EXECUTING_)PARANOIA_LEVEL "@lt N" ... skipAfter.
    if (rule.conditions_size() == 1 && rule.conditions(0).targets_size() == 1) {
      const waf::v1::Condition& condition = rule.conditions(0);
      const std::string key = LowerAscii(condition.targets(0).selector().text());
      if (condition.targets(0).collection() == "TX" &&
          (key == "executing_paranoia_level" || key == "paranoia_level") &&
          condition.operator_().name() == "lt" && !condition.operator_().negated()) {
        gates_.emplace_back(*item.actions->skip_after,
                            static_cast<uint32_t>(
                                waf::ParseModSecurityInteger(condition.operator_().argument())));
      }
    }
  }
  *program_.add_rules() = std::move(rule);
}

absl::Status Translator::TranslatePhase(int phase) {
  marker_positions_.clear();
  pending_skips_.clear();
  static_skip_until_.reset();
  open_runtime_skips_.clear();
  gates_.clear();
  for (const Item& item : phases_[phase]) {
    if (!item.marker.empty()) {
      marker_positions_[item.marker] = static_cast<uint32_t>(program_.rules_size());
      if (static_skip_until_ == item.marker) static_skip_until_.reset();
      open_runtime_skips_.erase(item.marker);
      gates_.erase(std::remove_if(gates_.begin(), gates_.end(),
                                  [&](const auto& gate) { return gate.first == item.marker; }),
                   gates_.end());
      continue;
    }
    if (static_skip_until_) continue;  // skipped on every request: dead
    HandleRule(item, phase);
  }
  for (const auto& [index, marker] : pending_skips_) {
    auto it = marker_positions_.find(marker);
    if (it == marker_positions_.end()) {
      const Rule& rule = program_.rules(index);
      return absl::InvalidArgumentError(rules::Cat("rule ", rule.id(), " (", rule.file(), ":",
                                                     rule.line(), ") skips to marker ", marker,
                                                     ", which does not follow it"));
    }
    program_.mutable_rules(index)->set_skip_to(it->second);
  }
  return absl::OkStatus();
}

absl::StatusOr<waf::v1::WafProgram> Translator::Run() {
  for (const ZoneSetting& setting : options_.zone_settings) {
    waf::v1::ZoneVariable* variable = program_.add_zone_variables();
    variable->set_setting(setting.setting);
    for (const std::string& name : setting.tx_names) {
      variable->add_tx_names(name);
      tx_.AddZoneVariable(name);
    }
  }
  Collect();
  for (int phase : {1, 2}) {
    if (absl::Status status = TranslatePhase(phase); !status.ok()) return status;
  }
  for (int phase : {3, 4, 5}) {
    for (const Item& item : phases_[phase]) {
      if (item.marker.empty()) {
        Omit(item, rules::Cat("runs in phase ", phase, " (response rules are not supported)"));
      }
    }
  }
  if (program_.rules().empty()) {
    return absl::InvalidArgumentError("the ruleset has no request rule the managed WAF can run");
  }
  program_.set_program_version(1);
  program_.set_ruleset_id(options_.ruleset_id);
  program_.set_ruleset_version(ruleset_.version);
  program_.set_source_digest(ruleset_.digest);
  for (const auto& [name, value] : tx_.values()) {
    waf::v1::TxVariable* variable = program_.add_initial_tx();
    variable->set_name(name);
    variable->set_value(value);
  }
  return std::move(program_);
}

}  // namespace

std::vector<ZoneSetting> CrsZoneSettings() {
  return {
      {"paranoia_level", {"paranoia_level", "executing_paranoia_level"}},
      {"score_threshold", {"inbound_anomaly_score_threshold"}},
  };
}

absl::StatusOr<waf::v1::WafProgram> TranslateRuleset(const seclang::LoadedRuleset& ruleset,
                                                     const TranslateOptions& options) {
  return Translator(ruleset, options).Run();
}

}  // namespace gatehouse::seclang_import

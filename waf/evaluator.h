#pragma once

// Runs a linked WAF program over one request, as ModSecurity runs the same rules: phase 1 then
// phase 2 in order, chains, skipAfter, setvar into TX, captures, MATCHED_VAR(S), and the ctl
// actions CRS uses (rule and target removal for the rest of the request, the body processor).
// No IO. One Evaluator per worker: it keeps its memory from request to request.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "rules/request_data.h"
#include "waf/linked_program.h"
#include "waf/tx_store.h"
#include "waf/visit_plan.h"
#include "waf_inputs/request_collections.h"

namespace gatehouse::waf {

struct EvaluationSettings {
  // TX values set before the rules run (the zone's paranoia level and threshold), lower-case
  // names.
  std::vector<std::pair<std::string, std::string>> tx;
  // Per rule index; empty: every rule kDefault.
  std::vector<RuleMode> modes;
  // Per rule index, from `tx` (Evaluator::DecideTxGates); empty: every rule tested.
  std::vector<RuleDecision> decisions;
  // PlanVisits(program, modes, decisions), made again whenever either changes; empty: every
  // rule is read as it comes.
  VisitPlan visits;
  // The zone's paranoia level, when `modes` disables every rule above it: the prefilter built
  // for that level is used. A rule above it that `modes` enables is evaluated unfiltered.
  uint32_t paranoia_level = UINT32_MAX;
  // Off: every rule is tested on every value. What the prefilter may never change, which tests
  // compare (crs_conformance:prefilter_equivalence_test).
  bool use_prefilter = true;
  // ModSecurity's DetectionOnly: nothing stops evaluation, every rule runs.
  bool detection_only = false;
  // Expand msg/logdata and write ModSecurity-style log lines (crs-test, traces). Off on the
  // proxy's request path, where a match is logged by rule id.
  bool log_lines = false;
  // How much of the body the proxy read, and whether that was all of it.
  // (Carried by RequestData: body / body_size.)
};

struct RuleMatch {
  uint32_t rule_index = 0;
  // "ARGS:id", the value that matched (transformed, cut to 128 bytes).
  std::string variable;
  std::string value;
};

struct EvaluationResult {
  // Every logged match, in order.
  std::vector<RuleMatch> matches;
  // ModSecurity-style lines (settings.log_lines).
  std::vector<std::string> log_lines;
  // A rule refused the request (not in detection-only mode): its index.
  bool denied = false;
  uint32_t deny_rule = 0;
  // TX:anomaly_score when evaluation ended (the inbound score CRS's 949110 compares).
  int64_t anomaly_score = 0;
  // ctl:ruleEngine=Off ended evaluation early.
  bool engine_off = false;

  void Clear();
};

class Evaluator {
 public:
  Evaluator() = default;
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  void Evaluate(const LinkedProgram& program, const rules::RequestData& request,
                const EvaluationSettings& settings, EvaluationResult* result);

  // Whether each TX gate of the program (LinkedRule::tx_gate) matches, for the gates whose
  // variables no setvar that can run changes from what the program's initial TX and
  // `settings.tx` and `settings.modes` make them: those hold for every request of the zone. The
  // others kUndecided. Done once per zone, not per request.
  static std::vector<RuleDecision> DecideTxGates(const LinkedProgram& program,
                                                 const EvaluationSettings& settings);

 private:
  struct Value {
    std::string_view key;
    std::string_view value;
  };
  // TX as a request of the zone starts, nothing removed by a ctl yet.
  void StartTx(const LinkedProgram& program, const EvaluationSettings& settings);
  // Scans the request's values through the program's prefilter into visits_.
  void RunPrefilter();
  // The next rule from `index` on the request must visit: every rule without a prefilter, else
  // those it does not cover and the candidates it found.
  size_t NextVisit(size_t index) const {
    if (prefilter_ != nullptr) return visits_.NextFrom(index);
    return plan_ == nullptr ? index : plan_->effective.NextFrom(index);
  }
  // Whether a ctl removed the rule, or this target of it, for the rest of the request; most
  // requests have no removal, and the test is inline for them.
  bool RuleRemoved(const LinkedRule& rule) const {
    return (!removed_ids_.empty() || !removed_tags_.empty()) && MatchesRuleRemoval(rule);
  }
  bool TargetRemoved(const LinkedRule& rule, const LinkedTarget& target,
                     std::string_view key) const {
    return !removed_targets_.empty() && MatchesTargetRemoval(rule, target, key);
  }
  bool MatchesRuleRemoval(const LinkedRule& rule) const;
  bool MatchesTargetRemoval(const LinkedRule& rule, const LinkedTarget& target,
                            std::string_view key) const;
  bool EvaluateCondition(const LinkedRule& rule, const LinkedCondition& condition);
  // Where a tested value comes from. A request's own value lives as long as the request, so
  // what transformations make of it is kept; the prefilter numbers those it read.
  struct ValueSource {
    bool request_value = false;
    int32_t prefilter_index = -1;  // Prefilter::ValueIndex
  };
  bool TestValue(const LinkedRule& rule, const LinkedCondition& condition,
                 const LinkedTarget& target, std::string_view key, std::string_view value,
                 const std::string* runtime_argument, ValueSource source);
  std::string_view Transformed(uint32_t pipeline, std::string_view value, ValueSource source);
  // ValueTraits(value), from the prefilter for a request value it read.
  seclang::ValueTraits TraitsOf(std::string_view value, ValueSource source) const;
  // Starts a new generation of indexed_transforms_ (a new request, or its values rebuilt).
  void ForgetTransforms();
  // Keeps `value` until the next request (or body processor change); returns a view of it.
  std::string_view Keep(std::string value);
  void ApplySetVar(const LinkedSetVar& setvar);
  void ApplyControl(const LinkedControl& control);
  std::string Expand(std::string_view text) const;
  // Expand into `out` (its memory reused).
  void ExpandInto(const MacroText& text, std::string* out) const;
  std::string LogLine(const LinkedRule& rule, const RuleMatch& match) const;

  const LinkedProgram* program_ = nullptr;
  // The program's, for the zone's paranoia level; nullptr without one.
  const Prefilter* prefilter_ = nullptr;
  // The zone's, when its settings carry one.
  const VisitPlan* plan_ = nullptr;
  const rules::RequestData* request_ = nullptr;
  const LinkedRule* current_rule_ = nullptr;
  size_t current_index_ = 0;
  waf_inputs::RequestCollections collections_;
  TxStore tx_;

  // (value pointer, size, pipeline) -> transformed value, for request-owned values.
  struct CacheKey {
    const char* data;
    size_t size;
    uint32_t pipeline;
    friend bool operator==(const CacheKey&, const CacheKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const CacheKey& key) {
      return H::combine(std::move(h), key.data, key.size, key.pipeline);
    }
  };
  absl::flat_hash_map<CacheKey, std::string_view> transform_cache_;
  // The same for the values the prefilter numbered, at [value * pipelines + pipeline]: an
  // entry holds only when its generation is the current one, so nothing is cleared per request.
  struct IndexedTransform {
    uint32_t generation = 0;
    std::string_view value;
  };
  std::vector<IndexedTransform> indexed_transforms_;
  uint32_t transform_generation_ = 0;
  // A deque: a value handed out stays where it is while later ones are added.
  std::deque<std::string> transformed_;
  size_t transformed_used_ = 0;
  std::string scratch_value_;
  std::vector<std::string> multi_values_;
  std::vector<std::string> captures_;

  // The prefilter's per-worker memory, and its candidates per rule index.
  Prefilter::State prefilter_state_;
  RuleBits visits_;

  // MATCHED_VAR / MATCHED_VAR_NAME / MATCHED_VARS (cleared at each rule).
  std::string matched_var_;
  std::string matched_var_name_;
  // The first matched_vars_size_ are live; the others keep their memory.
  std::vector<std::pair<std::string, std::string>> matched_vars_;
  size_t matched_vars_size_ = 0;
  // Scratch kept from request to request: TX values a target selects, a setvar's name and value.
  std::vector<std::pair<std::string, std::string>> tx_values_;
  std::string setvar_name_;
  std::string setvar_value_;
  std::string runtime_argument_;  // a condition's operator argument with its macros expanded

  // What ctl actions removed for the rest of the request.
  std::vector<std::pair<int64_t, int64_t>> removed_ids_;
  std::vector<std::string> removed_tags_;
  std::vector<const LinkedControl*> removed_targets_;  // ruleRemoveTargetById / ByTag
  bool engine_off_ = false;
  // The current rule's mode lets its setvars run.
  bool apply_setvars_ = true;
  // REQUEST_BODY holds the raw body except when the XML processor read it (then XML:/* holds its
  // text): what the CRS regression corpus, written against ModSecurity 2, expects of its XML
  // stages, while its multipart and JSON stages expect the raw body as libmodsecurity 3 fills it.
  // ctl:forceRequestBodyVariable=On shows it in any case.
  bool request_body_visible_ = false;
  waf_inputs::BodyProcessor forced_processor_ = waf_inputs::BodyProcessor::kNone;
  bool processor_forced_ = false;
};

}  // namespace gatehouse::waf

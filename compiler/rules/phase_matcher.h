#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/rules/ast.h"
#include "compiler/rules/atoms.h"
#include "compiler/rules/evaluation.h"
#include "compiler/rules/filter.h"

struct hs_database;

namespace gatehouse::rules {

// One rule of a phase: its checked expression (for prefilter atoms) and its compiled filter.
struct PhaseRule {
  std::shared_ptr<const Expr> expression;
  std::shared_ptr<const Filter> filter;
};

// All the rules of one phase behind a Hyperscan prefilter. Every rule's necessary literals and
// regexes (atoms.h) go into one Hyperscan database per field, so a request scans each field once
// for all rules; a rule whose atoms did not hit cannot match and is skipped, and only the rest
// are evaluated in full (their filters confirm, RE2 included). Rules without a requirement are
// always evaluated. Immutable and thread-safe; Hyperscan scratch is per thread.
class PhaseMatcher {
 public:
  static absl::StatusOr<std::shared_ptr<const PhaseMatcher>> Build(std::vector<PhaseRule> rules);
  ~PhaseMatcher();
  PhaseMatcher(const PhaseMatcher&) = delete;
  PhaseMatcher& operator=(const PhaseMatcher&) = delete;

  // Indices of the matching rules, in rule order.
  void MatchAll(Evaluation& evaluation, std::vector<size_t>* matched) const;
  // The first matching rule, if any.
  std::optional<size_t> FirstMatch(Evaluation& evaluation) const;

  size_t rule_count() const { return rules_.size(); }
  // Rules that have a requirement and can therefore be skipped.
  size_t prefiltered_rule_count() const;

  // True if Hyperscan accepts `regex` as a prefilter atom (see RegexAtomValidator).
  static bool IsUsableRegexAtom(const std::string& regex);

 private:
  static bool CompilesAsPrefilter(const std::string& regex);

  struct FieldDatabase {
    FieldId field;
    hs_database* database = nullptr;
  };

  PhaseMatcher() = default;
  // Sets candidate[i] for every rule that may match.
  void Candidates(Evaluation& evaluation, std::vector<uint8_t>& candidate) const;

  std::vector<PhaseRule> rules_;
  std::vector<bool> always_;                       // per rule: no requirement
  std::vector<std::vector<size_t>> atom_rules_;    // per atom id: the rules it enables
  std::vector<FieldDatabase> databases_;
  uint64_t serial_ = 0;                            // identifies this matcher's scratch needs
};

}  // namespace gatehouse::rules

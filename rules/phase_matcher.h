#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "rules/ast.h"
#include "rules/atoms.h"
#include "rules/evaluation.h"
#include "rules/filter.h"

struct hs_database;

namespace gatehouse::rules {

// One field's Hyperscan database in portable form (hs_serialize_database), so a snapshot can
// carry it and a proxy need not recompile it. `pattern_digest` identifies the exact patterns,
// flags and ids it was compiled from.
struct SerializedDatabase {
  int field = 0;  // the scanned text: a FieldId, or kFieldCount + a derived ScanText
  std::string pattern_digest;
  std::string bytes;
};

// One rule of a phase: its checked expression (for prefilter atoms) and its compiled filter.
struct PhaseRule {
  std::shared_ptr<const Expr> expression;
  std::shared_ptr<const Filter> filter;
};

// All the rules of one phase behind a Hyperscan prefilter. Every rule's necessary literals and
// regexes (atoms.h) go into one Hyperscan database per field, so a request scans each field once
// for all rules; a rule whose atoms did not hit cannot match and is skipped, and only the rest
// are evaluated in full (their filters confirm, RE2 included). Rules without a requirement are
// always evaluated. Immutable and thread-safe; the Hyperscan scratch is the evaluation's
// (its worker's rules::Scratch).
class PhaseMatcher {
 public:
  // `precompiled` (may be null): databases from an earlier Serialize of the same rules. Each is
  // used when its digest equals that of the patterns derived here and it deserialises on this
  // machine; any other field's database is compiled.
  static absl::StatusOr<std::shared_ptr<const PhaseMatcher>> Build(
      std::vector<PhaseRule> rules, const std::vector<SerializedDatabase>* precompiled = nullptr);

  // Every field database, serialised.
  std::vector<SerializedDatabase> Serialize() const;
  // How many databases Build took from `precompiled` rather than compiling (tests, metrics).
  size_t reused_database_count() const { return reused_databases_; }
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
    int source;  // a FieldId, or kFieldCount + a derived ScanText
    hs_database* database = nullptr;
    std::string pattern_digest;
  };

  PhaseMatcher() = default;
  // Sets candidate[i] for every rule that may match.
  void Candidates(Evaluation& evaluation, std::vector<uint8_t>& candidate) const;

  std::vector<PhaseRule> rules_;
  std::vector<bool> always_;                       // per rule: no requirement
  std::vector<uint8_t> always_candidates_;         // the same, as the initial candidate flags
  std::vector<std::vector<size_t>> atom_rules_;    // per atom id: the rules it enables
  std::vector<FieldDatabase> databases_;
  uint64_t serial_ = 0;                            // identifies this matcher's scratch needs
  size_t reused_databases_ = 0;
};

}  // namespace gatehouse::rules

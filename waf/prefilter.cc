#include "waf/prefilter.h"

#include <hs/hs.h>

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "waf/linked_program.h"

namespace gatehouse::waf {
namespace {

// A phrase as a Hyperscan expression matching it literally.
std::string LiteralPattern(std::string_view phrase) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : phrase) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

// Whether the rule's first condition can be decided by the prefilter, and so the rule.
bool Prefilterable(const LinkedRule& rule) {
  if (rule.unconditional || rule.conditions.empty()) return false;
  const LinkedCondition& head = rule.conditions[0];
  if (head.negated || head.multi_match || head.runtime_argument) return false;
  if (head.op.kind() != OperatorKind::kRx && head.op.kind() != OperatorKind::kPm) return false;
  for (const LinkedTarget& target : head.targets) {
    if (target.source != TargetSource::kRequest || target.count) return false;
  }
  return true;
}

struct Expression {
  std::string pattern;
  unsigned flags;
  uint32_t rule;
};

}  // namespace

absl::StatusOr<std::unique_ptr<const Prefilter>> Prefilter::Build(
    const std::vector<LinkedRule>& rules) {
  std::unique_ptr<Prefilter> prefilter(new Prefilter());
  prefilter->covered_.assign(rules.size(), false);
  // Per pipeline: its expressions and the collections they read.
  std::map<uint32_t, std::vector<Expression>> expressions;
  std::map<uint32_t, std::set<waf_inputs::Collection>> collections;
  for (uint32_t index = 0; index < rules.size(); ++index) {
    const LinkedRule& rule = rules[index];
    if (!Prefilterable(rule)) continue;
    const LinkedCondition& head = rule.conditions[0];
    std::vector<Expression>& list = expressions[head.pipeline];
    if (head.op.kind() == OperatorKind::kRx) {
      list.push_back({head.op.argument().empty() ? ".*" : head.op.argument(),
                      HS_FLAG_DOTALL | HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH |
                          HS_FLAG_ALLOWEMPTY | HS_FLAG_PREFILTER,
                      index});
    } else {
      if (head.op.phrases().empty()) continue;  // matches nothing: leave it to the evaluator
      for (const std::string& phrase : head.op.phrases()) {
        list.push_back({LiteralPattern(phrase), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH, index});
      }
    }
    for (const LinkedTarget& target : head.targets) {
      collections[head.pipeline].insert(target.collection);
    }
    prefilter->covered_[index] = true;
  }

  for (auto& [pipeline, list] : expressions) {
    // Patterns Hyperscan cannot take even in prefilter mode leave their rules uncovered.
    while (!list.empty()) {
      std::vector<const char*> patterns;
      std::vector<unsigned> flags;
      std::vector<unsigned> ids;
      for (size_t i = 0; i < list.size(); ++i) {
        patterns.push_back(list[i].pattern.c_str());
        flags.push_back(list[i].flags);
        ids.push_back(static_cast<unsigned>(i));
      }
      hs_database_t* database = nullptr;
      hs_compile_error_t* error = nullptr;
      if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                           static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr,
                           &database, &error) == HS_SUCCESS) {
        Scan scan;
        scan.pipeline = pipeline;
        scan.database = database;
        scan.collections.assign(collections[pipeline].begin(), collections[pipeline].end());
        for (const Expression& expression : list) scan.rule_of_id.push_back(expression.rule);
        prefilter->scans_.push_back(std::move(scan));
        break;
      }
      const int bad = error != nullptr ? error->expression : -1;
      const std::string message =
          error != nullptr && error->message != nullptr ? error->message : "?";
      hs_free_compile_error(error);
      if (bad < 0) return absl::InternalError(absl::StrCat("hyperscan: ", message));
      const uint32_t rule = list[bad].rule;
      prefilter->covered_[rule] = false;
      std::erase_if(list, [&](const Expression& e) { return e.rule == rule; });
    }
  }
  for (bool covered : prefilter->covered_) prefilter->covered_count_ += covered ? 1 : 0;
  return std::unique_ptr<const Prefilter>(std::move(prefilter));
}

Prefilter::~Prefilter() {
  for (Scan& scan : scans_) hs_free_database(scan.database);
}

absl::Status Prefilter::FitScratch(hs_scratch** scratch) const {
  for (const Scan& scan : scans_) {
    if (hs_alloc_scratch(scan.database, scratch) != HS_SUCCESS) {
      return absl::ResourceExhaustedError("hyperscan: cannot allocate scratch");
    }
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::waf

#include "waf/prefilter.h"

#include <hs/hs.h>

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "waf/linked_program.h"
#include "waf/operators.h"

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

// Patterns whose atoms could not be trusted for the bytes a value holds: a byte escape above
// 0x7F (atoms are computed as text, values are bytes) or an absolute anchor (values are scanned
// as one vector, so \A and \z would see only its ends).
bool AtomsReliable(const std::string& pattern) {
  for (size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (static_cast<unsigned char>(pattern[i]) >= 0x80) return false;
    if (pattern[i] != '\\') continue;
    const char next = pattern[i + 1];
    if (next == 'A' || next == 'z' || next == 'Z') return false;
    if (next == 'x' && i + 2 < pattern.size() && std::string("89abcdefABCDEF").find(pattern[i + 2]) !=
                                                      std::string::npos) {
      return false;
    }
    ++i;  // skip the escaped character
  }
  return static_cast<unsigned char>(pattern.back()) < 0x80;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Prefilter>> Prefilter::Build(
    const std::vector<LinkedRule>& rules) {
  std::unique_ptr<Prefilter> prefilter(new Prefilter());
  prefilter->covered_.assign(rules.size(), false);
  struct Pending {
    std::shared_ptr<re2::FilteredRE2> filter = std::make_shared<re2::FilteredRE2>(3);
    std::vector<uint32_t> rule_of_regex;
    std::vector<std::pair<std::string, uint32_t>> phrases;  // phrase, rule
    std::set<waf_inputs::Collection> collections;
  };
  std::map<uint32_t, Pending> pipelines;
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  for (uint32_t index = 0; index < rules.size(); ++index) {
    const LinkedRule& rule = rules[index];
    if (!Prefilterable(rule)) continue;
    const LinkedCondition& head = rule.conditions[0];
    Pending& pending = pipelines[head.pipeline];
    if (head.op.kind() == OperatorKind::kRx) {
      const std::string& pattern = head.op.argument();
      if (pattern.empty() || !AtomsReliable(pattern)) continue;
      int id = 0;
      if (pending.filter->Add(RegexWithModSecurityFlags(pattern), options, &id) !=
          re2::RE2::NoError) {
        continue;
      }
      pending.rule_of_regex.push_back(index);
    } else {
      if (head.op.phrases().empty()) continue;  // matches nothing: left to the evaluator
      for (const std::string& phrase : head.op.phrases()) pending.phrases.emplace_back(phrase, index);
    }
    for (const LinkedTarget& target : head.targets) pending.collections.insert(target.collection);
    prefilter->covered_[index] = true;
  }

  for (auto& [pipeline, pending] : pipelines) {
    std::vector<std::string> atoms;
    if (!pending.rule_of_regex.empty()) pending.filter->Compile(&atoms);
    std::vector<std::string> patterns;
    for (const std::string& atom : atoms) patterns.push_back(LiteralPattern(atom));
    for (const auto& [phrase, rule] : pending.phrases) patterns.push_back(LiteralPattern(phrase));
    Scan scan;
    scan.pipeline = pipeline;
    scan.collections.assign(pending.collections.begin(), pending.collections.end());
    scan.atom_count = static_cast<uint32_t>(atoms.size());
    for (const auto& [phrase, rule] : pending.phrases) scan.phrase_rule.push_back(rule);
    scan.filter = pending.filter;
    scan.rule_of_regex = pending.rule_of_regex;
    if (!patterns.empty()) {
      std::vector<const char*> expressions;
      std::vector<unsigned> flags(patterns.size(), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
      std::vector<unsigned> ids;
      for (size_t i = 0; i < patterns.size(); ++i) {
        expressions.push_back(patterns[i].c_str());
        ids.push_back(static_cast<unsigned>(i));
      }
      hs_compile_error_t* error = nullptr;
      if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                           static_cast<unsigned>(expressions.size()), HS_MODE_VECTORED, nullptr,
                           &scan.database, &error) != HS_SUCCESS) {
        const std::string message =
            error != nullptr && error->message != nullptr ? error->message : "?";
        hs_free_compile_error(error);
        return absl::InternalError(absl::StrCat("hyperscan: the WAF prefilter: ", message));
      }
    }
    prefilter->scans_.push_back(std::move(scan));
  }
  for (bool covered : prefilter->covered_) prefilter->covered_count_ += covered ? 1 : 0;
  return std::unique_ptr<const Prefilter>(std::move(prefilter));
}

Prefilter::~Prefilter() {
  for (Scan& scan : scans_) {
    if (scan.database != nullptr) hs_free_database(scan.database);
  }
}

absl::Status Prefilter::FitScratch(hs_scratch** scratch) const {
  for (const Scan& scan : scans_) {
    if (scan.database == nullptr) continue;
    if (hs_alloc_scratch(scan.database, scratch) != HS_SUCCESS) {
      return absl::ResourceExhaustedError("hyperscan: cannot allocate scratch");
    }
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::waf

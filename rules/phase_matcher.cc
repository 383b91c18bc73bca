#include "rules/phase_matcher.h"

#include <hs/hs.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

#include "common/content_hash.h"
#include "rules/scratch.h"
#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

std::atomic<uint64_t> next_serial{1};

// Literals become \xHH sequences so any byte is matched exactly.
std::string EscapeLiteral(std::string_view literal) {
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : literal) {
    out += "\\x";
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// RE2 in Latin-1 mode folds case for Latin-1 letters too; Hyperscan folds ASCII only. A
// case-insensitive regex with non-ASCII bytes could then miss in Hyperscan, so it is refused.
bool CaselessWithNonAscii(const std::string& regex) {
  bool non_ascii = regex.find("\\x") != std::string::npos ||
                   std::any_of(regex.begin(), regex.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (!non_ascii) return false;
  for (size_t at = regex.find("(?"); at != std::string::npos; at = regex.find("(?", at + 2)) {
    for (size_t i = at + 2; i < regex.size() && regex[i] != ')' && regex[i] != ':'; ++i) {
      if (regex[i] == 'i') return true;
    }
  }
  return false;
}

unsigned AtomFlags(const Atom& atom) {
  unsigned flags = HS_FLAG_SINGLEMATCH;
  if (atom.is_regex) flags |= HS_FLAG_PREFILTER;
  if (atom.caseless) flags |= HS_FLAG_CASELESS;
  return flags;
}

// Which text a database scans: a field's id, or past the fields, a derived text (atoms.h).
int ScanSource(const Atom& atom) {
  return atom.text == ScanText::kField ? static_cast<int>(atom.field)
                                       : kFieldCount + static_cast<int>(atom.text);
}

// The texts a request is scanned in that are not fields, built into the worker's scratch (no
// allocation once warm).
std::string_view DerivedText(const Evaluation& evaluation, ScanText text) {
  const RequestData& request = evaluation.request();
  switch (text) {
    case ScanText::kHeaderNames: {
      std::string& names = evaluation.scratch().prefilter().header_names;
      names.assign(1, '\n');
      if (request.headers != nullptr) {
        for (const auto& [name, value] : *request.headers) {
          for (char c : name) names.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
          names.push_back('\n');
        }
      }
      return names;
    }
    case ScanText::kIpBytes:
      return std::string_view(reinterpret_cast<const char*>(request.client_ip.bytes.data()),
                              request.client_ip.bytes.size());
    case ScanText::kField:
      break;
  }
  return {};
}

struct ScanContext {
  const std::vector<std::vector<size_t>>* atom_rules;
  std::vector<uint8_t>* candidate;
};

int OnMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* context) {
  auto* ctx = static_cast<ScanContext*>(context);
  for (size_t rule : (*ctx->atom_rules)[id]) (*ctx->candidate)[rule] = 1;
  return 0;
}

}  // namespace

bool PhaseMatcher::IsUsableRegexAtom(const std::string& regex) {
  if (CaselessWithNonAscii(regex)) return false;
  // Zones repeat patterns; Hyperscan compiles are the expensive part of building a matcher.
  static std::mutex mu;
  static auto* known = new absl::flat_hash_map<std::string, bool>();
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = known->find(regex); it != known->end()) return it->second;
  }
  bool usable = CompilesAsPrefilter(regex);
  std::lock_guard<std::mutex> lock(mu);
  if (known->size() < 100000) known->emplace(regex, usable);
  return usable;
}

bool PhaseMatcher::CompilesAsPrefilter(const std::string& regex) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile(regex.c_str(), HS_FLAG_SINGLEMATCH | HS_FLAG_PREFILTER, HS_MODE_BLOCK, nullptr,
                 &db, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return false;
  }
  hs_free_database(db);
  return true;
}

absl::StatusOr<std::shared_ptr<const PhaseMatcher>> PhaseMatcher::Build(
    std::vector<PhaseRule> rules, const std::vector<SerializedDatabase>* precompiled) {
  std::shared_ptr<PhaseMatcher> matcher(new PhaseMatcher());
  matcher->serial_ = next_serial++;
  // Atoms by field; identical atoms of different rules share one pattern id.
  std::map<int, std::vector<size_t>> atoms_by_source;
  std::vector<Atom> atoms;
  absl::flat_hash_map<std::string, size_t> atom_ids;
  for (size_t r = 0; r < rules.size(); ++r) {
    Requirement requirement = ExtractRequirement(*rules[r].expression, &IsUsableRegexAtom);
    matcher->always_.push_back(!requirement.has_value());
    if (!requirement) continue;
    for (Atom& atom : *requirement) {
      std::string key = Cat(ScanSource(atom), atom.is_regex ? "r" : "l",
                            atom.caseless ? "i" : "s", ":", atom.pattern);
      auto [it, inserted] = atom_ids.emplace(std::move(key), atoms.size());
      size_t id = it->second;
      if (inserted) {
        atoms.push_back(atom);
        matcher->atom_rules_.emplace_back();
        atoms_by_source[ScanSource(atom)].push_back(id);
      }
      std::vector<size_t>& enabled = matcher->atom_rules_[id];
      if (enabled.empty() || enabled.back() != r) enabled.push_back(r);
    }
  }
  for (const auto& [source, ids] : atoms_by_source) {
    std::vector<std::string> patterns;
    std::vector<const char*> expressions;
    std::vector<unsigned> flags;
    std::vector<unsigned> hs_ids;
    for (size_t id : ids) {
      patterns.push_back(atoms[id].is_regex ? atoms[id].pattern : EscapeLiteral(atoms[id].pattern));
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      expressions.push_back(patterns[i].c_str());
      flags.push_back(AtomFlags(atoms[ids[i]]));
      hs_ids.push_back(static_cast<unsigned>(ids[i]));
    }
    std::string digest_input;
    for (size_t i = 0; i < ids.size(); ++i) {
      digest_input += Cat(hs_ids[i], ":", flags[i], ":", patterns[i].size(), ":", patterns[i], "\n");
    }
    std::string digest = Sha256Hex(digest_input);
    hs_database_t* db = nullptr;
    if (precompiled != nullptr) {
      for (const SerializedDatabase& candidate : *precompiled) {
        if (candidate.field != source || candidate.pattern_digest != digest) {
          continue;
        }
        // A database built for another CPU does not deserialise here; compile it instead.
        if (hs_deserialize_database(candidate.bytes.data(), candidate.bytes.size(), &db) ==
            HS_SUCCESS) {
          ++matcher->reused_databases_;
        } else {
          db = nullptr;
        }
        break;
      }
    }
    if (db != nullptr) {
      matcher->databases_.push_back(FieldDatabase{source, db, std::move(digest)});
      continue;
    }
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(expressions.data(), flags.data(), hs_ids.data(),
                         static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &db,
                         &error) != HS_SUCCESS) {
      std::string message = error != nullptr && error->message != nullptr ? error->message : "?";
      hs_free_compile_error(error);
      return absl::InternalError(Cat("hyperscan: cannot compile the prefilter: ", message));
    }
    matcher->databases_.push_back(FieldDatabase{source, db, std::move(digest)});
  }
  matcher->rules_ = std::move(rules);
  matcher->always_candidates_.assign(matcher->always_.begin(), matcher->always_.end());
  return std::shared_ptr<const PhaseMatcher>(std::move(matcher));
}

std::vector<SerializedDatabase> PhaseMatcher::Serialize() const {
  std::vector<SerializedDatabase> out;
  for (const FieldDatabase& d : databases_) {
    char* bytes = nullptr;
    size_t length = 0;
    if (hs_serialize_database(d.database, &bytes, &length) != HS_SUCCESS) continue;
    out.push_back({d.source, d.pattern_digest, std::string(bytes, length)});
    std::free(bytes);
  }
  return out;
}

PhaseMatcher::~PhaseMatcher() {
  for (FieldDatabase& d : databases_) hs_free_database(d.database);
}

size_t PhaseMatcher::prefiltered_rule_count() const {
  return static_cast<size_t>(std::count(always_.begin(), always_.end(), false));
}

void PhaseMatcher::Candidates(Evaluation& evaluation, std::vector<uint8_t>& candidate) const {
  candidate = always_candidates_;  // reuses the buffer's capacity
  if (databases_.empty()) return;
  Scratch::Prefilter& ts = evaluation.scratch().prefilter();
  if (!ts.fitted.contains(serial_)) {
    for (const FieldDatabase& d : databases_) {
      if (hs_alloc_scratch(d.database, &ts.hyperscan) != HS_SUCCESS) {
        // Cannot prefilter: evaluate everything rather than fail the request.
        candidate.assign(rules_.size(), 1);
        return;
      }
    }
    if (ts.fitted.size() >= Scratch::Prefilter::kMaxRemembered) ts.fitted.clear();
    ts.fitted.insert(serial_);
  }
  ScanContext context{&atom_rules_, &candidate};
  for (const FieldDatabase& d : databases_) {
    std::string_view text;
    if (d.source < kFieldCount) {
      const std::string* field = evaluation.Field(static_cast<FieldId>(d.source)).as_bytes();
      if (field == nullptr) continue;
      text = *field;
    } else {
      text = DerivedText(evaluation, static_cast<ScanText>(d.source - kFieldCount));
    }
    if (hs_scan(d.database, text.data(), static_cast<unsigned>(text.size()), 0, ts.hyperscan,
                &OnMatch, &context) != HS_SUCCESS) {
      candidate.assign(rules_.size(), 1);
      return;
    }
  }
}

// The candidate flags of the running match are the worker's scratch's, so a request does not
// allocate.
void PhaseMatcher::MatchAll(Evaluation& evaluation, std::vector<size_t>* matched) const {
  std::vector<uint8_t>& candidate = evaluation.scratch().prefilter().candidates;
  Candidates(evaluation, candidate);
  for (size_t r = 0; r < rules_.size(); ++r) {
    if (candidate[r] && rules_[r].filter->Matches(evaluation)) matched->push_back(r);
  }
}

std::optional<size_t> PhaseMatcher::FirstMatch(Evaluation& evaluation) const {
  std::vector<uint8_t>& candidate = evaluation.scratch().prefilter().candidates;
  Candidates(evaluation, candidate);
  for (size_t r = 0; r < rules_.size(); ++r) {
    if (candidate[r] && rules_[r].filter->Matches(evaluation)) return r;
  }
  return std::nullopt;
}

}  // namespace gatehouse::rules

#include "waf/prefilter.h"

#include <hs/hs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "rules/strings.h"
#include "waf/linked_program.h"
#include "waf/operators.h"

namespace gatehouse::waf {
namespace {

// The set of bytes `text` holds, into `present` (a bit per byte value). ASCII is gathered in two
// registers: or-ing into memory would make each byte wait for the store of the one before.
void GatherBytes(std::string_view text, std::array<uint64_t, 4>* present) {
  uint64_t low = 0, high = 0;  // bytes 0-63, 64-127
  uint8_t beyond_ascii = 0;
  for (const char c : text) {
    const auto byte = static_cast<uint8_t>(c);
    const uint64_t bit = uint64_t{1} << (byte & 63);
    low |= byte < 64 ? bit : 0;
    high |= (byte >> 6) == 1 ? bit : 0;
    beyond_ascii |= byte;
  }
  (*present)[0] |= low;
  (*present)[1] |= high;
  if (beyond_ascii & 0x80) {
    for (const char c : text) {
      const auto byte = static_cast<uint8_t>(c);
      if (byte >= 128) (*present)[byte >> 6] |= uint64_t{1} << (byte & 63);
    }
  }
}

using seclang::Transformation;

constexpr size_t kMaxGroups = 64;

// A literal as a Hyperscan expression matching it literally.
std::string LiteralPattern(std::string_view literal) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : literal) {
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
  if (head.negated || head.runtime_argument) return false;
  if (head.op.kind() != OperatorKind::kRx && head.op.kind() != OperatorKind::kPm &&
      head.op.kind() != OperatorKind::kValidateByteRange) {
    return false;
  }
  for (const LinkedTarget& target : head.targets) {
    if (target.source != TargetSource::kRequest || target.count) return false;
  }
  return true;
}

// Patterns whose atoms could not be trusted for the bytes a value holds: an absolute anchor
// (values are scanned laid end to end, so \A and \z would see only the ends). Byte escapes
// above 0x7F are fine: the filters parse Latin-1 as @rx does, so their atoms are those bytes,
// and a letter RE2 folds (\xc9 under (?i)) gives an atom for each case.
bool AtomsReliable(const std::string& pattern) {
  for (size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '\\') continue;
    const char next = pattern[i + 1];
    if (next == 'A' || next == 'z' || next == 'Z') return false;
    ++i;  // skip the escaped character
  }
  return true;
}

// The pipeline as the caseless prefilter needs it: a lowercase step is dropped when every step
// after it treats letters of either case alike (it then only changes the case of the result,
// which a caseless literal does not see).
std::vector<Transformation> CaselessForm(const std::vector<Transformation>& pipeline) {
  auto case_blind = [](Transformation t) {
    return t == Transformation::kLowercase || t == Transformation::kRemoveNulls ||
           t == Transformation::kRemoveWhitespace || t == Transformation::kCompressWhitespace;
  };
  std::vector<Transformation> out;
  for (size_t i = 0; i < pipeline.size(); ++i) {
    if (pipeline[i] == Transformation::kLowercase &&
        std::all_of(pipeline.begin() + static_cast<std::ptrdiff_t>(i) + 1, pipeline.end(),
                    case_blind)) {
      continue;
    }
    out.push_back(pipeline[i]);
  }
  return out;
}

std::atomic<uint64_t> next_serial{1};

// One regex alone in a FilteredRE2, at the longest atom length (3, 2, then 1 byte) for which it
// has any: which of its atoms a value must hold, and in what combination. Null when it has none
// even of one byte.
struct OwnFilter {
  std::shared_ptr<re2::FilteredRE2> filter;
  std::vector<std::string> atoms;
};
// How often an atom can be expected in a request value, for choosing which atoms to require: a
// letter or digit most, another single byte less, then shorter literals before longer ones.
int Commonness(const std::string& atom) {
  if (atom.size() == 1)
    return absl::ascii_isalnum(static_cast<unsigned char>(atom[0])) ? 1000 : 999;
  return 100 - static_cast<int>(std::min<size_t>(atom.size(), 99));
}

// A set of the regex's atoms of which every value it can match holds at least one, made of the
// rarest atoms that will do: the formula is monotone, so a set is necessary when the formula
// fails with every other atom held. Starting from all of them, the most common are dropped while
// the rest stays necessary. For 941160 (HTML injection: an opening "<", "'" or '"' and then an
// event name among some three hundred atoms, letters included) it is those three bytes.
std::vector<bool> NecessaryAtoms(const re2::FilteredRE2& filter,
                                 const std::vector<std::string>& atoms) {
  std::vector<bool> necessary(atoms.size(), true);
  std::vector<int> order(atoms.size());
  for (size_t i = 0; i < atoms.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&atoms](int a, int b) {
    return Commonness(atoms[static_cast<size_t>(a)]) > Commonness(atoms[static_cast<size_t>(b)]);
  });
  std::vector<int> held, potentials;
  for (const int candidate : order) {
    necessary[static_cast<size_t>(candidate)] = false;
    held.clear();
    for (size_t i = 0; i < atoms.size(); ++i) {
      if (!necessary[i]) held.push_back(static_cast<int>(i));
    }
    potentials.clear();
    filter.AllPotentials(held, &potentials);
    if (!potentials.empty()) necessary[static_cast<size_t>(candidate)] = true;
  }
  return necessary;
}

OwnFilter OwnAtoms(const std::string& pattern, const re2::RE2::Options& options) {
  for (int length = 3; length >= 1; --length) {
    auto filter = std::make_shared<re2::FilteredRE2>(length);
    int id = 0;
    if (filter->Add(RegexWithModSecurityFlags(pattern), options, &id) != re2::RE2::NoError) {
      return {};
    }
    OwnFilter own;
    filter->Compile(&own.atoms);
    std::vector<int> atomless;
    filter->AllPotentials({}, &atomless);
    if (atomless.empty() && !own.atoms.empty()) {
      own.filter = std::move(filter);
      return own;
    }
  }
  return {};
}

}  // namespace

Prefilter::State::~State() {
  if (scratch_ != nullptr) hs_free_scratch(scratch_);
}

absl::StatusOr<std::unique_ptr<const Prefilter>> Prefilter::Build(
    const std::vector<LinkedRule>& rules,
    const std::vector<std::vector<seclang::Transformation>>& pipelines,
    uint32_t max_paranoia_level) {
  std::unique_ptr<Prefilter> prefilter(new Prefilter());
  prefilter->serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
  prefilter->covered_.assign(rules.size(), false);
  prefilter->value_filters_.resize(rules.size());
  std::map<std::vector<Transformation>, size_t> group_of_form;
  std::vector<std::vector<std::pair<std::string, uint32_t>>> phrases;  // per group: phrase, rule
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  for (uint32_t index = 0; index < rules.size(); ++index) {
    const LinkedRule& rule = rules[index];
    if (!Prefilterable(rule) || rule.paranoia_level > max_paranoia_level) continue;
    const LinkedCondition& head = rule.conditions[0];
    if (head.op.kind() == OperatorKind::kRx &&
        (head.op.argument().empty() || !AtomsReliable(head.op.argument()))) {
      continue;
    }
    if (head.op.kind() == OperatorKind::kPm && head.op.phrases().empty()) {
      continue;  // matches nothing: left to the evaluator
    }
    // multiMatch tests the value after each step that changes it: each prefix of the pipeline
    // is a form the rule's literals may be found in.
    const std::vector<Transformation>& pipeline = pipelines[head.pipeline];
    std::vector<std::vector<Transformation>> forms;
    for (size_t steps = head.multi_match ? 0 : pipeline.size(); steps <= pipeline.size();
         ++steps) {
      std::vector<Transformation> form = CaselessForm(
          {pipeline.begin(), pipeline.begin() + static_cast<std::ptrdiff_t>(steps)});
      if (std::find(forms.begin(), forms.end(), form) == forms.end()) {
        forms.push_back(std::move(form));
      }
    }
    const size_t new_groups = static_cast<size_t>(
        std::count_if(forms.begin(), forms.end(), [&](const std::vector<Transformation>& form) {
          return !group_of_form.contains(form);
        }));
    if (prefilter->groups_.size() + new_groups > kMaxGroups) {
      continue;  // rare pipelines beyond the mask's width are evaluated in full
    }
    std::vector<uint32_t> rule_groups;
    for (std::vector<Transformation>& form : forms) {
      auto [it, added] = group_of_form.emplace(form, prefilter->groups_.size());
      if (added) {
        Group group;
        group.transformations = std::move(form);
        group.changed_by = seclang::ValueTraits::ChangedByAny(group.transformations);
        group.filter = std::make_shared<re2::FilteredRE2>(3);
        prefilter->groups_.push_back(std::move(group));
        phrases.emplace_back();
      }
      const size_t g = it->second;
      Group& group = prefilter->groups_[g];
      if (head.op.kind() == OperatorKind::kRx) {
        int id = 0;
        if (group.filter->Add(RegexWithModSecurityFlags(head.op.argument()), options, &id) !=
            re2::RE2::NoError) {
          break;  // left uncovered (a regex added to another group only adds candidates)
        }
        group.rule_of_regex.push_back(index);
      } else if (head.op.kind() == OperatorKind::kPm) {
        for (const std::string& phrase : head.op.phrases()) phrases[g].emplace_back(phrase, index);
      } else {
        group.byte_range_rules.push_back(index);
      }
      for (const LinkedTarget& target : head.targets) {
        prefilter->collection_groups_[static_cast<size_t>(target.collection)] |= uint64_t{1} << g;
        prefilter->value_filters_[index].target_collections |=
            uint64_t{1} << static_cast<size_t>(target.collection);
      }
      rule_groups.push_back(static_cast<uint32_t>(g));
    }
    if (rule_groups.size() != forms.size()) continue;
    prefilter->covered_[index] = true;
    prefilter->value_filters_[index].groups.assign(rule_groups.begin(), rule_groups.end());
  }

  prefilter->pipeline_groups_.assign(pipelines.size(), kNoGroup);
  prefilter->pipeline_lowercase_.assign(pipelines.size(), false);
  for (size_t p = 0; p < pipelines.size(); ++p) {
    std::vector<Transformation> form = CaselessForm(pipelines[p]);
    if (auto it = group_of_form.find(form); it != group_of_form.end()) {
      prefilter->pipeline_groups_[p] = static_cast<uint32_t>(it->second);
      prefilter->pipeline_lowercase_[p] = form != pipelines[p];
    }
  }

  // Each covered rule's own atoms: its regex's, or its phrases. The literals among them, with
  // their index among the atoms, get their ids once the database is built.
  std::vector<std::vector<std::pair<std::string, uint32_t>>> own_literals(rules.size());
  std::vector<std::vector<bool>> required_atoms(rules.size());
  for (size_t index = 0; index < rules.size(); ++index) {
    if (!prefilter->covered_[index]) continue;
    const LinkedCondition& head = rules[index].conditions[0];
    ValueFilter& filter = prefilter->value_filters_[index];
    std::vector<std::pair<unsigned char, uint32_t>> byte_atoms;  // (lower-case byte, atom)
    std::vector<std::string> atoms;
    std::vector<bool> required;  // per atom: one of the necessary set
    if (head.op.kind() == OperatorKind::kRx) {
      OwnFilter own = OwnAtoms(head.op.argument(), options);
      atoms = std::move(own.atoms);
      if (own.filter != nullptr) required = NecessaryAtoms(*own.filter, atoms);
      if (own.filter != nullptr && atoms.size() <= 64) {
        // Which of its atoms a value holds is a mask the formula is kept for; a value must
        // first hold one of the necessary ones, which is quicker to tell.
        filter.formula = std::move(own.filter);
        if (std::count(required.begin(), required.end(), true) ==
            static_cast<std::ptrdiff_t>(atoms.size())) {
          required.clear();
        }
      } else if (own.filter != nullptr) {
        // Too many for a mask: the necessary atoms alone, any one of which will do.
        std::vector<std::string> kept;
        for (size_t i = 0; i < atoms.size(); ++i) {
          if (required[i]) kept.push_back(std::move(atoms[i]));
        }
        atoms = std::move(kept);
        required.clear();
      }
    } else if (head.op.kind() == OperatorKind::kPm) {
      atoms = head.op.phrases();
    } else {
      // @validateByteRange matches a value holding a byte outside its ranges: those bytes are
      // its atoms, any one of which will do (exactly, up to the case folding of bytes).
      for (int byte = 0; byte < 256; ++byte) {
        if (!head.op.byte_ranges()->Allowed(static_cast<unsigned char>(byte))) {
          atoms.emplace_back(1, static_cast<char>(byte));
        }
      }
    }
    filter.active = !atoms.empty();
    for (uint32_t atom = 0; atom < atoms.size(); ++atom) {
      const std::string& text = atoms[atom];
      if (text.empty()) {
        filter.active = false;  // an empty phrase is in every value
        break;
      }
      if (text.size() == 1) {
        byte_atoms.emplace_back(absl::ascii_tolower(static_cast<unsigned char>(text[0])), atom);
      } else {
        own_literals[index].emplace_back(rules::ToLower(text), atom);
      }
    }
    filter.has_required = !required.empty();
    required_atoms[index] = std::move(required);
    if (!filter.active) {
      own_literals[index].clear();
      ValueFilter unfiltered;
      unfiltered.groups = std::move(filter.groups);
      unfiltered.target_collections = filter.target_collections;
      filter = std::move(unfiltered);
      continue;
    }
    for (const auto& [byte, atom] : byte_atoms) {
      filter.byte_set[byte >> 6] |= uint64_t{1} << (byte & 63);
      if (filter.formula == nullptr) continue;
      if (filter.has_required && required_atoms[index][atom]) {
        filter.must_hold_one.bytes[byte >> 6] |= uint64_t{1} << (byte & 63);
      }
      if (filter.byte_atom_mask_index.empty()) filter.byte_atom_mask_index.assign(256, 0);
      uint8_t& slot = filter.byte_atom_mask_index[byte];
      if (slot == 0) {
        if (filter.byte_atom_masks.empty()) filter.byte_atom_masks.push_back(0);  // slot 0: none
        slot = static_cast<uint8_t>(filter.byte_atom_masks.size());
        filter.byte_atom_masks.push_back(0);
      }
      filter.byte_atom_masks[slot] |= uint64_t{1} << (atom & 63);
    }
    if (!byte_atoms.empty()) {
      filter.has_byte_atoms = true;
      for (uint32_t g : filter.groups) {
        prefilter->groups_[g].has_literals = true;  // its strings
        prefilter->byte_groups_ |= uint64_t{1} << g;
      }
    }
  }

  // One database: each distinct literal once, with every place it counts.
  std::map<std::string, std::vector<LiteralUse>> literals;
  for (size_t g = 0; g < prefilter->groups_.size(); ++g) {
    Group& group = prefilter->groups_[g];
    std::vector<std::string> atoms, short_atoms;
    if (!group.rule_of_regex.empty()) {
      group.filter->Compile(&atoms);
      std::vector<int> atomless;
      group.filter->AllPotentials({}, &atomless);  // with no atom seen: those it cannot filter
      group.in_short_filter.assign(group.rule_of_regex.size(), false);
      auto short_filter = std::make_shared<re2::FilteredRE2>(2);
      for (int regex : atomless) {
        const LinkedCondition& head = rules[group.rule_of_regex[regex]].conditions[0];
        int id = 0;
        if (short_filter->Add(RegexWithModSecurityFlags(head.op.argument()), options, &id) !=
            re2::RE2::NoError) {
          continue;
        }
        group.short_regex_of.push_back(static_cast<uint32_t>(regex));
        group.in_short_filter[regex] = true;
      }
      if (!group.short_regex_of.empty()) {
        short_filter->Compile(&short_atoms);
        group.short_filter = std::move(short_filter);
        std::vector<int> short_atomless;
        group.short_filter->AllPotentials({}, &short_atomless);
        for (int regex : short_atomless) {
          group.short_atomless_rules.push_back(group.rule_of_regex[group.short_regex_of[regex]]);
        }
      }
      for (int regex : atomless) {
        if (!group.in_short_filter[regex]) {
          group.atomless_rules.push_back(group.rule_of_regex[regex]);
        }
      }
    }
    auto add_uses = [&](const std::vector<std::string>& found, LiteralUse::Kind kind) {
      for (size_t a = 0; a < found.size(); ++a) {
        literals[rules::ToLower(found[a])].push_back(
            {static_cast<uint32_t>(g), kind, static_cast<uint32_t>(a)});
      }
    };
    add_uses(atoms, LiteralUse::kAtom);
    add_uses(short_atoms, LiteralUse::kShortAtom);
    for (const auto& [phrase, rule] : phrases[g]) {
      literals[rules::ToLower(phrase)].push_back(
          {static_cast<uint32_t>(g), LiteralUse::kPhrase, rule});
    }
    group.has_literals |= !atoms.empty() || !short_atoms.empty() || !phrases[g].empty();
  }
  for (const auto& own : own_literals) {
    for (const auto& [literal, atom] : own) literals[literal];  // found even if no group uses it
  }
  std::vector<std::string> patterns;
  std::map<std::string_view, uint32_t> literal_ids;
  for (auto& [literal, uses] : literals) {
    if (literal.empty()) {
      // An empty phrase occurs in every value: its rules are candidates whenever their group
      // has a value, which an impossible literal cannot say; leave those rules uncovered.
      for (const LiteralUse& use : uses) {
        if (use.kind == LiteralUse::kPhrase) prefilter->covered_[use.target] = false;
      }
      continue;
    }
    patterns.push_back(LiteralPattern(literal));
    literal_ids.emplace(literal, static_cast<uint32_t>(patterns.size() - 1));
    prefilter->use_begin_.push_back(static_cast<uint32_t>(prefilter->uses_.size()));
    prefilter->uses_.insert(prefilter->uses_.end(), uses.begin(), uses.end());
  }
  prefilter->use_begin_.push_back(static_cast<uint32_t>(prefilter->uses_.size()));
  prefilter->literal_words_ = (patterns.size() + 63) / 64;
  for (size_t index = 0; index < rules.size(); ++index) {
    ValueFilter& filter = prefilter->value_filters_[index];
    for (const auto& [literal, atom] : own_literals[index]) {
      const uint32_t id = literal_ids.at(literal);
      filter.literal_atoms.emplace_back(id, atom);
      if (!filter.has_required || required_atoms[index][atom]) {
        filter.must_hold_one.literals |= LiteralSignatureBit(id);
      }
      if (filter.has_required && required_atoms[index][atom]) {
        filter.required_literals.push_back(id);
      }
    }
    if (!filter.has_required) filter.must_hold_one.bytes = filter.byte_set;
    std::sort(filter.literal_atoms.begin(), filter.literal_atoms.end());
    if (filter.literal_atoms.size() > 16) {
      filter.literal_bits.assign(prefilter->literal_words_, 0);
      for (const auto& [id, atom] : filter.literal_atoms) {
        filter.literal_bits[id / 64] |= uint64_t{1} << (id % 64);
        if (id / 64 < 64) filter.literal_word_mask |= uint64_t{1} << (id / 64);
      }
    }
  }
  if (!patterns.empty()) {
    std::vector<const char*> expressions;
    std::vector<unsigned> flags(patterns.size(), HS_FLAG_CASELESS);
    std::vector<unsigned> ids;
    for (size_t i = 0; i < patterns.size(); ++i) {
      expressions.push_back(patterns[i].c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr,
                         &prefilter->database_, &error) != HS_SUCCESS) {
      const std::string message =
          error != nullptr && error->message != nullptr ? error->message : "?";
      hs_free_compile_error(error);
      return absl::InternalError(absl::StrCat("hyperscan: the WAF prefilter: ", message));
    }
  }
  for (size_t g = 0; g < prefilter->groups_.size(); ++g) {
    const Group& group = prefilter->groups_[g];
    if (group.has_literals) prefilter->literal_groups_ |= uint64_t{1} << g;
    for (size_t trait = 0; trait < prefilter->groups_changed_by_trait_.size(); ++trait) {
      if (group.changed_by >> trait & 1) {
        prefilter->groups_changed_by_trait_[trait] |= uint64_t{1} << g;
      }
    }
  }
  prefilter->uncovered_.Reset(rules.size());
  prefilter->filtered_.Reset(rules.size());
  prefilter->must_hold_ones_.resize(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    if (prefilter->covered_[i]) {
      ++prefilter->covered_count_;
    } else {
      prefilter->uncovered_.Set(i);
    }
    const ValueFilter& filter = prefilter->value_filters_[i];
    if (filter.active) {
      prefilter->filtered_.Set(i);
      prefilter->must_hold_ones_[i] = filter.must_hold_one;
    }
  }
  return std::unique_ptr<const Prefilter>(std::move(prefilter));
}

Prefilter::~Prefilter() {
  if (database_ != nullptr) hs_free_database(database_);
}

void Prefilter::MarkAll(RuleBits* candidates) const {
  for (size_t i = 0; i < covered_.size(); ++i) {
    if (covered_[i]) candidates->Set(i);
  }
}

uint64_t Prefilter::HeldAtoms(const State& state, const ValueFilter& filter,
                             uint64_t string) const {
  uint64_t mask = 0;
  if (filter.has_byte_atoms) {
    // First whether the string holds any of the bytes at all: most strings hold none.
    const std::array<uint64_t, 4>& present = state.string_summaries_[string].bytes;
    std::array<uint64_t, 4> held;
    for (size_t w = 0; w < 4; ++w) held[w] = present[w] & filter.byte_set[w];
    if ((held[0] | held[1] | held[2] | held[3]) != 0) {
      if (filter.formula == nullptr) {
        mask = 1;  // any one atom will do
      } else {
        for (size_t w = 0; w < 4; ++w) {
          for (uint64_t bits = held[w]; bits != 0; bits &= bits - 1) {
            const size_t byte = w * 64 + static_cast<size_t>(std::countr_zero(bits));
            mask |= filter.byte_atom_masks[filter.byte_atom_mask_index[byte]];
          }
        }
      }
    }
  }
  const uint32_t offset = state.string_literals_[string];
  if (offset == kNoLiteral) return mask;  // the string holds no literal
  const uint64_t words_held = state.literal_bits_[offset];
  const uint64_t* found = state.literal_bits_.data() + offset + 1;
  if (!filter.literal_bits.empty()) {
    // Many literals (a @pm list): first whether the string holds any, in the words where both
    // have some (a string holds a few literals; the database has thousands).
    uint64_t any = 0;
    for (uint64_t words = words_held & filter.literal_word_mask; words != 0; words &= words - 1) {
      const size_t w = static_cast<size_t>(std::countr_zero(words));
      any |= found[w] & filter.literal_bits[w];
    }
    for (size_t w = 64; w < filter.literal_bits.size(); ++w) {
      any |= found[w] & filter.literal_bits[w];
    }
    if (any == 0) return mask;
    if (filter.formula == nullptr) return mask | 1;  // any one will do
  }
  for (const auto& [id, atom] : filter.literal_atoms) {
    if (found[id >> 6] >> (id & 63) & 1) mask |= uint64_t{1} << (atom & 63);
  }
  return mask;
}

bool Prefilter::HoldsRequired(const State& state, const ValueFilter& filter,
                              uint64_t string) const {
  // MayMatch saw the summaries overlap: in the bytes, or perhaps in the literals.
  StringSummary bytes_only = filter.must_hold_one;
  bytes_only.literals = 0;
  if (state.string_summaries_[string].Overlaps(bytes_only)) return true;
  const uint32_t offset = state.string_literals_[string];
  if (offset == kNoLiteral) return false;
  const uint64_t* found = state.literal_bits_.data() + offset + 1;
  for (const uint32_t id : filter.required_literals) {
    if (found[id >> 6] >> (id & 63) & 1) return true;
  }
  return false;
}

bool Prefilter::MayMatchString(const State& state, size_t rule_index, uint64_t string) const {
  const ValueFilter& filter = value_filters_[rule_index];
  if (filter.has_required && !HoldsRequired(state, filter, string)) return false;
  // Which of its atoms the string holds (without a formula, any one of them is enough).
  const uint64_t mask = HeldAtoms(state, filter, string);
  if (filter.formula == nullptr) return mask != 0;
  // Whether the regex's formula holds with those (an AND of an OR of bytes and an OR of words,
  // for 932100): remembered from value to value.
  if (mask == 0) return false;
  const auto key = std::make_pair(static_cast<uint32_t>(rule_index), mask);
  if (auto it = state.formula_results_.find(key); it != state.formula_results_.end()) {
    return it->second;
  }
  std::vector<int> atoms;
  for (uint64_t left = mask; left != 0; left &= left - 1) atoms.push_back(std::countr_zero(left));
  std::vector<int> potentials;
  filter.formula->AllPotentials(atoms, &potentials);
  if (state.formula_results_.size() >= 4096) state.formula_results_.clear();
  state.formula_results_.emplace(key, !potentials.empty());
  return !potentials.empty();
}

const seclang::ValueTraits* Prefilter::Traits(const State& state, std::string_view value) const {
  if (state.all_values_) return nullptr;
  const auto it = state.value_index_.find(std::make_pair(value.data(), value.size()));
  return it != state.value_index_.end() && it->second < state.value_traits_.size()
             ? &state.value_traits_[it->second]
             : nullptr;
}

std::optional<std::string_view> Prefilter::GroupString(const State& state,
                                                       std::string_view value, uint32_t pipeline,
                                                       bool* lowercase) const {
  if (state.all_values_) return std::nullopt;
  const auto it = state.value_index_.find(std::make_pair(value.data(), value.size()));
  if (it == state.value_index_.end()) return std::nullopt;
  return GroupStringAt(state, it->second, pipeline, lowercase);
}

std::optional<std::string_view> Prefilter::GroupStringAt(const State& state, uint32_t value,
                                                         uint32_t pipeline, bool* lowercase) const {
  if (pipeline >= pipeline_groups_.size()) return std::nullopt;
  const uint32_t group = pipeline_groups_[pipeline];
  if (group == kNoGroup || !groups_[group].has_literals ||
      (state.value_groups_[value] >> group & 1) == 0) {
    return std::nullopt;
  }
  *lowercase = pipeline_lowercase_[pipeline];
  return state.strings_[state.value_strings_[value * groups_.size() + group]];
}

std::string_view Prefilter::Transform(const Group& group, std::string_view value,
                                      const seclang::ValueTraits& traits, State* state) const {
  std::optional<std::string> result =
      seclang::ApplyTransformationsIfChanged(group.transformations, value, traits);
  if (!result.has_value()) return value;
  if (state->transformed_used_ == state->transformed_.size()) state->transformed_.emplace_back();
  std::string& slot = state->transformed_[state->transformed_used_++];
  slot = *std::move(result);
  return slot;
}

int Prefilter::OnMatch(unsigned int id, unsigned long long, unsigned long long to, unsigned int,
                       void* context) {
  State& state = *static_cast<State*>(context);
  const Prefilter& prefilter = *state.prefilter_;
  // The string holding the match's last byte (a separator's match counts for the string before).
  const unsigned last = to == 0 ? 0 : static_cast<unsigned>(to - 1);
  // Matches come in the order of the text: most are in the string of the one before.
  size_t scanned = state.last_scanned_;
  if (scanned >= state.starts_.size() || state.starts_[scanned] > last ||
      (scanned + 1 < state.starts_.size() && state.starts_[scanned + 1] <= last)) {
    scanned = static_cast<size_t>(std::upper_bound(state.starts_.begin(), state.starts_.end(),
                                                   last) -
                                  state.starts_.begin()) -
              1;
    state.last_scanned_ = scanned;
  }
  const uint64_t string = state.scanned_strings_[scanned];
  // The literals each string holds, as bits, for strings that hold any.
  state.string_summaries_[string].literals |= LiteralSignatureBit(id);
  uint32_t& offset = state.string_literals_[string];
  if (offset == kNoLiteral) {
    // A block zeroed in place, in storage kept from request to request.
    offset = static_cast<uint32_t>(state.literal_bits_used_);
    const size_t end = state.literal_bits_used_ + 1 + prefilter.literal_words_;
    if (end > state.literal_bits_.size()) {
      state.literal_bits_.resize(std::max(end, 2 * state.literal_bits_.size()));
    }
    std::fill(state.literal_bits_.begin() + offset, state.literal_bits_.begin() + end, 0);
    state.literal_bits_used_ = end;
  }
  if (id / 64 < 64) state.literal_bits_[offset] |= uint64_t{1} << (id / 64);
  state.literal_bits_[offset + 1 + id / 64] |= uint64_t{1} << (id % 64);
  const uint64_t groups = state.string_groups_[string];
  for (uint32_t u = prefilter.use_begin_[id]; u < prefilter.use_begin_[id + 1]; ++u) {
    const LiteralUse& use = prefilter.uses_[u];
    if ((groups >> use.group & 1) == 0) continue;
    switch (use.kind) {
      case LiteralUse::kPhrase:
        state.candidates_->Set(use.target);
        break;
      case LiteralUse::kAtom:
        state.atoms_[use.group].push_back(static_cast<int>(use.target));
        break;
      case LiteralUse::kShortAtom:
        state.short_atoms_[use.group].push_back(static_cast<int>(use.target));
        break;
    }
  }
  return 0;
}

void Prefilter::Run(const waf_inputs::RequestCollections& collections, State* state,
                    RuleBits* candidates) const {
  state->all_values_ = false;
  if (state->fitted_serial_ != serial_) {
    if (database_ != nullptr && hs_alloc_scratch(database_, &state->scratch_) != HS_SUCCESS) {
      state->all_values_ = true;
      MarkAll(candidates);  // without scratch nothing is filtered out
      return;
    }
    state->fitted_serial_ = serial_;
    state->formula_results_.clear();
    state->potential_rules_.clear();
  }
  // Every distinct value once, with the groups that read one of its collections.
  state->value_index_.clear();
  state->values_.clear();
  state->value_groups_.clear();
  for (size_t c = 0; c < waf_inputs::kCollectionCount; ++c) {
    std::vector<uint32_t>& entry_values = state->entry_values_[c];
    entry_values.clear();
    const uint64_t groups = collection_groups_[c];
    if (groups == 0) continue;
    for (const waf_inputs::CollectionEntry& entry :
         collections.Entries(static_cast<waf_inputs::Collection>(c))) {
      auto [it, added] = state->value_index_.try_emplace(
          std::make_pair(entry.value.data(), entry.value.size()),
          static_cast<uint32_t>(state->values_.size()));
      if (added) {
        state->values_.push_back(entry.value);
        state->value_groups_.push_back(groups);
      } else {
        state->value_groups_[it->second] |= groups;
      }
      entry_values.push_back(it->second);
    }
  }
  // Each value as each of its groups transforms it; equal results are one string.
  uint64_t seen_groups = 0;
  state->strings_.clear();
  state->string_groups_.clear();
  state->value_traits_.clear();
  state->value_strings_.resize(state->values_.size() * groups_.size());
  state->transformed_used_ = 0;
  for (size_t v = 0; v < state->values_.size(); ++v) {
    const std::string_view value = state->values_[v];
    const size_t first_string = state->strings_.size();
    state->strings_.push_back(value);
    state->string_groups_.push_back(0);
    seen_groups |= state->value_groups_[v];
    state->value_traits_.emplace_back(value);
    const seclang::ValueTraits& traits = state->value_traits_.back();
    // Most groups leave most values as they are, which the traits tell at once: those groups
    // see the value itself, and only the others transform it.
    const uint64_t groups = state->value_groups_[v] & literal_groups_;
    uint64_t changing = 0;
    for (uint32_t bits = traits.bits(); bits != 0; bits &= bits - 1) {
      changing |= groups_changed_by_trait_[std::countr_zero(bits)];
    }
    changing &= groups;
    uint32_t* const row = &state->value_strings_[v * groups_.size()];
    std::fill(row, row + groups_.size(), static_cast<uint32_t>(first_string));
    state->string_groups_[first_string] |= groups & ~changing;
    for (; changing != 0; changing &= changing - 1) {
      const int g = std::countr_zero(changing);
      const std::string_view out = Transform(groups_[g], value, traits, state);
      size_t s = first_string;
      if (out.data() != value.data() || out.size() != value.size()) {
        for (s = first_string + 1; s < state->strings_.size() && state->strings_[s] != out; ++s) {
        }
        if (s == state->strings_.size()) {
          state->strings_.push_back(out);
          state->string_groups_.push_back(0);
        }
      }
      state->string_groups_[s] |= uint64_t{1} << g;
      row[g] = static_cast<uint32_t>(s);
    }
  }
  // One scan of the strings laid end to end, a newline between them: a literal found across two
  // of them only adds a candidate. (Copying the strings costs less than Hyperscan's vectored
  // mode spends per block on some forty short ones.)
  state->text_.clear();
  state->starts_.clear();
  state->scanned_strings_.clear();
  for (size_t s = 0; s < state->strings_.size(); ++s) {
    if (state->string_groups_[s] == 0) continue;
    if (!state->scanned_strings_.empty()) state->text_.push_back('\n');
    state->starts_.push_back(static_cast<unsigned>(state->text_.size()));
    state->scanned_strings_.push_back(static_cast<uint32_t>(s));
    state->text_.append(state->strings_[s]);
  }
  state->atoms_.resize(groups_.size());
  state->short_atoms_.resize(groups_.size());
  for (std::vector<int>& atoms : state->atoms_) atoms.clear();
  for (std::vector<int>& atoms : state->short_atoms_) atoms.clear();
  state->candidates_ = candidates;
  state->prefilter_ = this;
  state->string_literals_.assign(state->strings_.size(), kNoLiteral);
  state->string_summaries_.assign(state->strings_.size(), {});
  state->literal_bits_used_ = 0;
  if (database_ != nullptr && !state->scanned_strings_.empty() &&
      hs_scan(database_, state->text_.data(), static_cast<unsigned>(state->text_.size()), 0,
              state->scratch_, &OnMatch, state) != HS_SUCCESS) {
    state->all_values_ = true;
    MarkAll(candidates);
    return;
  }
  if (byte_groups_ != 0) {
    for (const uint32_t string : state->scanned_strings_) {
      if ((state->string_groups_[string] & byte_groups_) == 0) continue;
      std::array<uint64_t, 4>& present = state->string_summaries_[string].bytes;
      GatherBytes(state->strings_[string], &present);
      // A-Z count as a-z (32 places up in the same word); the filters hold lower case only.
      constexpr uint64_t kUpperBits = uint64_t{0x3FFFFFF} << ('A' - 64);
      present[1] |= (present[1] & kUpperBits) << 32;
    }
  }
  // Regexes whose atoms were seen, and those without atoms (always potential), of the groups
  // that had a value at all: a group with none has no rule that can match. The rules a group's
  // atoms cannot judge (a regex without atoms of two bytes or more, @validateByteRange) are
  // candidates here, and like every candidate kept below only when a value of theirs holds
  // their own atoms (of one byte) as they need them.
  for (size_t g = 0; g < groups_.size(); ++g) {
    const Group& group = groups_[g];
    if ((seen_groups >> g & 1) == 0) continue;
    for (uint32_t rule : group.byte_range_rules) candidates->Set(rule);
    if (group.rule_of_regex.empty()) continue;
    if (state->atoms_[g].empty()) {
      for (uint32_t rule : group.atomless_rules) candidates->Set(rule);
    } else {
      MarkPotentials(static_cast<uint32_t>(g), false, state->atoms_[g], state, candidates);
    }
    if (group.short_filter == nullptr) continue;
    if (state->short_atoms_[g].empty()) {
      for (uint32_t rule : group.short_atomless_rules) candidates->Set(rule);
    } else {
      MarkPotentials(static_cast<uint32_t>(g), true, state->short_atoms_[g], state, candidates);
    }
  }
  // A candidate is visited only when a value of its own collections may match (its group's
  // strings hold the values of other rules' collections too):
  // a visit that tests no value still reads the rule from memory, and on a proxy that costs
  // more than this check.
  // First against every string of the request at once (most candidates a plain request has
  // stop there), then value by value.
  StringSummary any_string;
  for (const StringSummary& summary : state->string_summaries_) any_string |= summary;
  std::vector<uint64_t>& words = candidates->words();
  const std::vector<uint64_t>& uncovered = uncovered_.words();
  for (size_t w = 0; w < words.size(); ++w) {
    for (uint64_t covered = words[w] & ~uncovered[w]; covered != 0; covered &= covered - 1) {
      const size_t rule = w * 64 + static_cast<size_t>(std::countr_zero(covered));
      if ((filtered_.Contains(rule) && !any_string.Overlaps(must_hold_ones_[rule])) ||
          !SomeValueMayMatch(collections, *state, rule)) {
        words[w] &= ~(uint64_t{1} << (rule & 63));
      }
    }
  }
}

bool Prefilter::SomeValueMayMatch(const waf_inputs::RequestCollections& collections,
                                  const State& state, size_t rule_index) const {
  const ValueFilter& filter = value_filters_[rule_index];
  if (!filter.active) return true;
  for (uint64_t left = filter.target_collections; left != 0; left &= left - 1) {
    const auto collection = static_cast<size_t>(std::countr_zero(left));
    const std::vector<uint32_t>& entry_values = state.entry_values_[collection];
    if (entry_values.size() !=
        collections.Entries(static_cast<waf_inputs::Collection>(collection)).size()) {
      return true;  // values Run did not read
    }
    for (const uint32_t value : entry_values) {
      if (MayMatchValue(state, rule_index, static_cast<int32_t>(value))) return true;
    }
  }
  return false;
}

void Prefilter::MarkPotentials(uint32_t g, bool short_filter, const std::vector<int>& found,
                               State* state, RuleBits* candidates) const {
  // A literal is reported once per occurrence: the set of atoms, sorted, is the key.
  std::vector<int>& atoms = state->sorted_atoms_;
  atoms.assign(found.begin(), found.end());
  std::sort(atoms.begin(), atoms.end());
  atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
  std::string& key = state->potentials_key_;
  key.clear();
  const uint32_t head = g << 1 | (short_filter ? 1 : 0);
  key.append(reinterpret_cast<const char*>(&head), sizeof(head));
  key.append(reinterpret_cast<const char*>(atoms.data()), atoms.size() * sizeof(int));
  auto it = state->potential_rules_.find(key);
  if (it == state->potential_rules_.end()) {
    const Group& group = groups_[g];
    std::vector<int> regexes;
    (short_filter ? group.short_filter : group.filter)->AllPotentials(atoms, &regexes);
    std::vector<uint32_t> rules;
    for (int regex : regexes) {
      if (short_filter) {
        rules.push_back(group.rule_of_regex[group.short_regex_of[regex]]);
      } else if (!group.in_short_filter[regex]) {
        rules.push_back(group.rule_of_regex[regex]);
      }
    }
    if (state->potential_rules_.size() >= 4096) state->potential_rules_.clear();
    it = state->potential_rules_.emplace(key, std::move(rules)).first;
  }
  for (uint32_t rule : it->second) candidates->Set(rule);
}

}  // namespace gatehouse::waf

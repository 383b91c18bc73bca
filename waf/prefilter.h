#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "re2/filtered_re2.h"
#include "seclang/transformations.h"
#include "waf/rule_bits.h"
#include "waf_inputs/collection.h"
#include "waf_inputs/request_collections.h"

struct hs_database;
struct hs_scratch;

namespace gatehouse::waf {

struct LinkedRule;

// The managed WAF's prefilter. Most CRS rules test request values with a positive @rx or @pm:
// such a rule cannot match unless some value of its collections, after its transformations,
// holds one of the literals its pattern requires. RE2's FilteredRE2 works out those literals
// ("atoms") for each @rx; @pm's phrases are literals already; @validateByteRange's atoms are
// the bytes outside its ranges.
//
// The literals are matched caselessly, so a pipeline's lowercase step changes nothing a literal
// can find: pipelines that differ only by it form one group, and the groups' literals go into
// one Hyperscan database. A request's values are transformed once per group (most stay as they
// are, so most groups share the value itself), every distinct string is scanned once in one
// scan, and a literal found in a string counts for the groups that produced it. Only
// the rules whose atoms were seen (or that have none) are then evaluated, and each only on the
// values that hold its own atoms as its regex needs them.
// Built at link time; immutable and shared after.
class Prefilter {
 public:
  // What a string holds, in brief: its bytes (lower case, gathered when a rule has one-byte
  // atoms) and LiteralSignatureBit of each literal found in it. A filter's summary is the
  // atoms of which a value must hold one: when the two do not overlap, the value cannot match.
  struct StringSummary {
    std::array<uint64_t, 4> bytes{};
    uint64_t literals = 0;
    StringSummary& operator|=(const StringSummary& other) {
      for (size_t i = 0; i < bytes.size(); ++i) bytes[i] |= other.bytes[i];
      literals |= other.literals;
      return *this;
    }
    bool Overlaps(const StringSummary& other) const {
      return ((bytes[0] & other.bytes[0]) | (bytes[1] & other.bytes[1]) |
              (bytes[2] & other.bytes[2]) | (bytes[3] & other.bytes[3]) |
              (literals & other.literals)) != 0;
    }
  };
  static constexpr uint64_t LiteralSignatureBit(uint32_t id) { return uint64_t{1} << (id & 63); }

  // What one worker keeps from request to request.
  class State {
   public:
    State() = default;
    ~State();
    State(const State&) = delete;
    State& operator=(const State&) = delete;

   private:
    friend class Prefilter;
    hs_scratch* scratch_ = nullptr;
    uint64_t fitted_serial_ = 0;  // the prefilter the scratch fits
    absl::flat_hash_map<std::pair<const char*, size_t>, uint32_t> value_index_;
    std::vector<std::string_view> values_;
    std::vector<uint64_t> value_groups_;
    // Per collection, the value index of each entry.
    std::vector<uint32_t> entry_values_[waf_inputs::kCollectionCount];
    // [value * group_count + group]: the string the group's transformations make of the value.
    std::vector<uint32_t> value_strings_;
    std::vector<std::string_view> strings_;
    std::vector<uint64_t> string_groups_;
    std::vector<unsigned> starts_;            // each scanned string's offset in the stream
    std::vector<uint32_t> scanned_strings_;   // each scanned string's index in strings_
    size_t last_scanned_ = 0;                 // the scanned string of the last match
    std::vector<seclang::ValueTraits> value_traits_;  // per value
    // The literals found: per string, the offset in literal_bits_ of its block, or kNoLiteral
    // when it holds none. A block is a word saying which of the first 64 words of bits are not
    // zero (a @pm list's test visits only those), then literal_words_ words of bits by literal.
    std::vector<uint32_t> string_literals_;
    std::vector<uint64_t> literal_bits_;
    size_t literal_bits_used_ = 0;
    std::vector<StringSummary> string_summaries_;  // per string
    // A scan failed: every value of every covered rule is a candidate.
    bool all_values_ = false;
    // (rule, mask of its atoms a string holds) -> whether the rule's formula holds; kept from
    // request to request while the prefilter is the same.
    mutable absl::flat_hash_map<std::pair<uint32_t, uint64_t>, bool> formula_results_;
    std::deque<std::string> transformed_;
    size_t transformed_used_ = 0;
    std::string text_;  // the scanned strings, a newline between each two
    std::vector<std::vector<int>> atoms_;        // per group
    std::vector<std::vector<int>> short_atoms_;  // per group
    std::vector<int> sorted_atoms_;  // scratch
    // The rules a group's filter lets through for a set of atoms (sorted; the key holds the
    // group, which filter, and the atom ids), from request to request while the prefilter is
    // the same: FilteredRE2::AllPotentials allocates on every call.
    absl::flat_hash_map<std::string, std::vector<uint32_t>> potential_rules_;
    std::string potentials_key_;
    RuleBits* candidates_ = nullptr;
    const Prefilter* prefilter_ = nullptr;
  };

  // Covers only rules at or below `max_paranoia_level`: a zone at paranoia level 1 scans for no
  // literal of the rules it never runs.
  static absl::StatusOr<std::unique_ptr<const Prefilter>> Build(
      const std::vector<LinkedRule>& rules,
      const std::vector<std::vector<seclang::Transformation>>& pipelines,
      uint32_t max_paranoia_level = UINT32_MAX);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  // Whether the prefilter decides this rule: when it does, a rule Run did not mark cannot match.
  bool Covers(size_t rule_index) const { return !uncovered_.Contains(rule_index); }
  size_t covered_count() const { return covered_count_; }
  size_t group_count() const { return groups_.size(); }

  // Adds to `candidates` each covered rule that may match this request; leaves the others as
  // they are. Never under-reports: when a scan fails, every covered rule is added.
  void Run(const waf_inputs::RequestCollections& collections, State* state,
           RuleBits* candidates) const;
  // The rules the prefilter does not cover, as bits (the complement of Covers).
  const RuleBits& uncovered() const { return uncovered_; }

  // After Run over `collections`: whether covered rule `rule_index`'s first condition may match
  // entry `entry` of `collection` (one of that condition's targets). A value whose atoms (the
  // literals, or single bytes, the rule's regex is made of; its phrases for @pm) do not satisfy
  // the regex's own FilteredRE2 cannot match it, so a candidate rule is tested only on the
  // values that can.
  // Inline: the evaluator asks it for every value of every candidate rule, and most answers
  // are a "no" the summaries give.
  bool MayMatch(const State& state, size_t rule_index, waf_inputs::Collection collection,
                size_t entry) const {
    return MayMatchValue(state, rule_index, ValueIndex(state, collection, entry));
  }
  // The same for the value ValueIndex numbers `value` (-1: one Run did not read, never skipped).
  bool MayMatchValue(const State& state, size_t rule_index, int32_t value) const {
    const ValueFilter& filter = value_filters_[rule_index];
    if (!filter.active || value < 0) return true;
    const size_t first = static_cast<size_t>(value) * groups_.size();
    // The value as each of the rule's groups transforms it (one, or one per multiMatch step).
    for (const uint32_t group : filter.groups) {
      if (StringMayMatch(state, rule_index, state.value_strings_[first + group])) return true;
    }
    return false;
  }

  // After Run: the number of the value at `entry` of `collection` among the distinct values it
  // read (below ValueCount), or -1 when it did not read it. Equal values share a number.
  int32_t ValueIndex(const State& state, waf_inputs::Collection collection, size_t entry) const {
    if (state.all_values_) return -1;
    const std::vector<uint32_t>& entry_values =
        state.entry_values_[static_cast<size_t>(collection)];
    return entry < entry_values.size() ? static_cast<int32_t>(entry_values[entry]) : -1;
  }
  size_t ValueCount(const State& state) const { return state.values_.size(); }
  // After Run: the ValueTraits of value number `value`.
  const seclang::ValueTraits& TraitsAt(const State& state, uint32_t value) const {
    return state.value_traits_[value];
  }
  // GroupString for value number `value`.
  std::optional<std::string_view> GroupStringAt(const State& state, uint32_t value,
                                                uint32_t pipeline, bool* lowercase) const;

  // After Run: the ValueTraits of `value` (a request value Run read); nullptr when it has none.
  const seclang::ValueTraits* Traits(const State& state, std::string_view value) const;

  // After Run: `value` (a request value Run read) through pipeline `pipeline`, as Run computed
  // it for the pipeline's group, when it did; `*lowercase` is set when the group leaves out a
  // lowercase step the caller must still apply.
  std::optional<std::string_view> GroupString(const State& state, std::string_view value,
                                              uint32_t pipeline, bool* lowercase) const;

 private:
  struct Group {
    // The pipeline without the steps a caseless literal cannot tell apart.
    std::vector<seclang::Transformation> transformations;
    uint32_t changed_by = 0;  // ValueTraits::ChangedByAny(transformations)
    bool has_literals = false;
    std::shared_ptr<re2::FilteredRE2> filter;
    std::vector<uint32_t> rule_of_regex;  // by FilteredRE2 regex id
    // Its @validateByteRange rules: candidates whenever the group has a value, each filtered
    // value by value by the bytes it holds.
    std::vector<uint32_t> byte_range_rules;
    // The regexes FilteredRE2 finds no atom of three bytes for (a ".." between slashes, runs
    // of character classes) are tried again with atoms of two: a second filter whose regex k is
    // regex short_regex_of[k] of the first. Without it they are evaluated on every request.
    std::shared_ptr<re2::FilteredRE2> short_filter;
    std::vector<uint32_t> short_regex_of;
    std::vector<bool> in_short_filter;  // per regex id of the first filter
    // The rules of the regexes each filter lets through when it saw no atom (those it cannot
    // filter): what AllPotentials would say, without its allocations, for most groups of most
    // requests.
    std::vector<uint32_t> atomless_rules;
    std::vector<uint32_t> short_atomless_rules;
  };
  // Where a literal of the database counts: an atom of a group's FilteredRE2 or a @pm phrase
  // of a rule.
  struct LiteralUse {
    enum Kind : uint8_t { kAtom, kShortAtom, kPhrase };
    uint32_t group;
    Kind kind;
    uint32_t target;  // the atom id in the group's filter or short filter, or the rule index
  };

  Prefilter() = default;
  void MarkAll(RuleBits* candidates) const;
  // Marks the rules of `filter`'s regexes that `atoms` (sorted, unique) leave potential.
  // `short_filter`: the group's filter of two-byte atoms.
  void MarkPotentials(uint32_t group, bool short_filter, const std::vector<int>& atoms,
                      State* state, RuleBits* candidates) const;
  std::string_view Transform(const Group& group, std::string_view value,
                             const seclang::ValueTraits& traits, State* state) const;
  static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                     unsigned int flags, void* context);

  std::vector<Group> groups_;  // at most 64: a request value carries their set as a bit mask
  // Per pipeline: the group of its caseless form (kNoGroup: none), and whether that form left
  // out a lowercase step.
  static constexpr uint32_t kNoGroup = UINT32_MAX;
  std::vector<uint32_t> pipeline_groups_;
  std::vector<bool> pipeline_lowercase_;
  uint64_t collection_groups_[waf_inputs::kCollectionCount] = {};
  hs_database* database_ = nullptr;
  size_t literal_words_ = 0;  // 64-bit words for one bit per literal
  std::vector<uint32_t> use_begin_;  // literal id -> first index in uses_ (one past the end too)
  std::vector<LiteralUse> uses_;
  std::vector<bool> covered_;
  RuleBits uncovered_;
  size_t covered_count_ = 0;
  static constexpr uint32_t kNoLiteral = UINT32_MAX;
  // What a value must hold for a rule to be tested on it. A rule with no atom is tested on every
  // value.
  // Cache-line aligned, what every check reads first in its first line: a request checks many
  // rules' filters once each, with caches a proxy's network work has emptied.
  struct alignas(64) ValueFilter {
    // The required atoms, or else all of them, in brief.
    StringSummary must_hold_one;
    bool active = false;
    // With a formula: atoms of which a value must hold one before the formula is worth asking
    // (its one-byte atoms in must_hold_one.bytes, its literals by id); has_required when they
    // are fewer than all its atoms.
    bool has_required = false;
    bool has_byte_atoms = false;
    // The rule's group, or one per step of a multiMatch: inline, not a second cache miss.
    absl::InlinedVector<uint32_t, 3> groups;
    // The collections its first condition reads, a bit per waf_inputs::Collection.
    uint64_t target_collections = 0;
    static_assert(waf_inputs::kCollectionCount <= 64);

    // Its atoms, by their index in `formula`: (literal id, atom) sorted.
    std::vector<std::pair<uint32_t, uint32_t>> literal_atoms;
    // Its one-byte atoms (lower case): the set of bytes, and for a formula each byte's atoms as
    // a mask (at the byte's index in byte_atom_mask_index), so a string's atoms are found in as
    // many steps as it holds such bytes.
    std::array<uint64_t, 4> byte_set{};
    std::vector<uint64_t> byte_atom_masks;
    std::vector<uint8_t> byte_atom_mask_index;  // by byte; empty without a formula
    // With many literals, the same as bits by literal id (literal_words_ words), and which of
    // the first 64 words hold any.
    std::vector<uint64_t> literal_bits;
    uint64_t literal_word_mask = 0;
    // The regex alone: which combinations of its atoms it needs. Null: any one atom will do.
    std::shared_ptr<const re2::FilteredRE2> formula;
    std::vector<uint32_t> required_literals;
  };
  std::vector<ValueFilter> value_filters_;
  // Each rule's ValueFilter::must_hold_one again, packed, and the rules whose filter is active:
  // a candidate no string of the request overlaps at all is dropped from these alone, without
  // reading its filter's own lines.
  std::vector<StringSummary> must_hold_ones_;
  RuleBits filtered_;

  // The rule's atoms the string holds, as a mask (atom i at bit i % 64: exact up to 64 atoms,
  // which is all a rule with a formula has; without a formula, only whether it is 0 counts).
  uint64_t HeldAtoms(const State& state, const ValueFilter& filter, uint64_t string) const;
  bool MayMatchString(const State& state, size_t rule_index, uint64_t string) const;
  // The summaries' overlap first (inline, and most strings stop there), then MayMatchString.
  bool StringMayMatch(const State& state, size_t rule_index, uint32_t string) const {
    return state.string_summaries_[string].Overlaps(value_filters_[rule_index].must_hold_one) &&
           MayMatchString(state, rule_index, string);
  }
  // Whether a value of the rule's own collections may match.
  bool SomeValueMayMatch(const waf_inputs::RequestCollections& collections, const State& state,
                         size_t rule_index) const;
  // Whether the string holds one of the filter's required atoms.
  bool HoldsRequired(const State& state, const ValueFilter& filter, uint64_t string) const;
  uint64_t byte_groups_ = 0;  // the groups with a rule that needs the bytes of their strings
  uint64_t literal_groups_ = 0;  // the groups with has_literals
  // Per ValueTraits bit, the groups whose transformations may change a value with that trait.
  std::array<uint64_t, 32> groups_changed_by_trait_{};
  uint64_t serial_ = 0;
};

}  // namespace gatehouse::waf

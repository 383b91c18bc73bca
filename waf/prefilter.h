#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "re2/filtered_re2.h"
#include "waf_inputs/collection.h"

struct hs_database;
struct hs_scratch;

namespace gatehouse::waf {

struct LinkedRule;

// The managed WAF's prefilter. Most CRS rules test request values with a positive @rx or @pm:
// such a rule cannot match unless some value of its collections, after its transformations,
// holds one of the literals its pattern requires. RE2's FilteredRE2 works out those literals
// ("atoms") for each @rx; @pm's phrases are literals already. Per pipeline, one Hyperscan
// literal database (caseless) holds them all; a request's values are scanned once per pipeline
// as one vector, and only the rules whose atoms were seen (or that have none) are evaluated in
// full. Built at link time; immutable and shared after.
class Prefilter {
 public:
  struct Scan {
    uint32_t pipeline = 0;
    hs_database* database = nullptr;
    // The collections whose values this pipeline's rules read.
    std::vector<waf_inputs::Collection> collections;
    // Hyperscan ids below atom_count are FilteredRE2 atoms; id atom_count + k is @pm phrase k,
    // whose rule is phrase_rule[k].
    uint32_t atom_count = 0;
    std::vector<uint32_t> phrase_rule;
    // The @rx heads of this pipeline, and the rule of each FilteredRE2 regex id.
    std::shared_ptr<re2::FilteredRE2> filter;
    std::vector<uint32_t> rule_of_regex;
  };

  static absl::StatusOr<std::unique_ptr<const Prefilter>> Build(
      const std::vector<LinkedRule>& rules);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  // Whether the prefilter decides this rule: when it does, a rule the scan did not report
  // cannot match.
  bool Covers(size_t rule_index) const { return covered_[rule_index]; }
  const std::vector<Scan>& scans() const { return scans_; }
  size_t covered_count() const { return covered_count_; }

  // Makes `scratch` fit every database (hs_alloc_scratch grows it).
  absl::Status FitScratch(hs_scratch** scratch) const;

 private:
  Prefilter() = default;
  std::vector<Scan> scans_;
  std::vector<bool> covered_;
  size_t covered_count_ = 0;
};

}  // namespace gatehouse::waf

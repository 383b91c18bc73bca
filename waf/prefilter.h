#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "waf_inputs/collection.h"

struct hs_database;
struct hs_scratch;

namespace gatehouse::waf {

struct LinkedRule;

// The managed WAF's prefilter. Most CRS rules test request values with a positive @rx or @pm:
// such a rule cannot match unless its pattern occurs in some value of its collections after its
// transformations. Per pipeline, one Hyperscan database holds those patterns (in prefilter mode,
// which may report more than the pattern matches, never less) and phrases; each request value is
// scanned once per pipeline that reads its collection, and only the rules whose pattern was seen
// somewhere are evaluated in full. Built at link time; immutable and shared after.
class Prefilter {
 public:
  struct Scan {
    uint32_t pipeline = 0;
    hs_database* database = nullptr;
    // The collections whose values this pipeline's rules read.
    std::vector<waf_inputs::Collection> collections;
    // Hyperscan id -> rule index.
    std::vector<uint32_t> rule_of_id;
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

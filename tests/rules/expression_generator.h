#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "rules/named_list.h"
#include "rules/test_request.h"
#include "tests/rules/fixed_geo_locator.h"

namespace gatehouse::rules::testing {

// Random, well-typed rules-language expressions and requests drawn from small pools of values,
// so that comparisons hit as often as they miss. Deterministic for a given seed. Used by the
// differential test and the benchmarks.
class ExpressionGenerator {
 public:
  explicit ExpressionGenerator(uint64_t seed, bool response_phase = false);

  // The named lists generated expressions may refer to.
  static std::vector<NamedListDefinition> Lists();

  std::string Filter(int depth = 3);
  // Shaped like real firewall rules: mostly tests of a field against a literal, pattern or
  // set, combined with and / or / not; the rest are Filter()s.
  std::string RuleLike();
  std::string BytesValue(int depth = 2);
  // A Bytes value expression of a rewrite: BytesValue() or the value-only functions.
  std::string RewriteValue(int depth = 2);
  std::string IntValue(int depth = 2);
  // Its geolocation, when it has one, points into this generator.
  TestRequest Request();

 private:
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }
  bool Chance(int percent) { return static_cast<int>(rng_() % 100) < percent; }
  template <typename T, size_t N>
  const T& OneOf(const T (&items)[N]) { return items[Pick(N)]; }

  std::string Comparison(int depth);
  std::string FieldTest();
  std::string BytesLiteral();
  std::string Quote(const std::string& s);

  std::mt19937_64 rng_;
  bool response_phase_;
  std::deque<FixedGeoLocator> locators_;  // a deque: requests keep pointers to them
};

}  // namespace gatehouse::rules::testing

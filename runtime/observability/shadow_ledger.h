#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace gatehouse::runtime {

// Shadow mode's comparison of Gatehouse's verdicts with the legacy proxy's answers, per zone and
// per deciding rule. Gatehouse agrees with the legacy system when the legacy system answered with
// the status Gatehouse would have answered with (a block's, a redirect's); for a request Gatehouse
// would have passed, when the legacy system did not refuse it (403).
class ShadowLedger {
 public:
  // `rule` is the rule that decided ("" when Gatehouse would have passed the request);
  // `would_answer` is the status Gatehouse would have served itself (0 when it would pass).
  void Record(std::string_view zone, std::string_view rule, int would_answer, int legacy_status);

  struct Tally {
    uint64_t agree = 0;
    uint64_t disagree = 0;
  };
  // By (zone, rule).
  std::map<std::pair<std::string, std::string>, Tally> Summary() const;
  // The summary as JSON: {"zones": [{"zone": …, "rules": [{"rule": …, "agree": n, "disagree": n}]}]}
  std::string SummaryJson() const;

  static bool Agrees(int would_answer, int legacy_status);

 private:
  mutable std::mutex mutex_;  // shadow traffic is a migration aid, not the hot path of a live zone
  std::map<std::pair<std::string, std::string>, Tally> tallies_;
};

}  // namespace gatehouse::runtime

#pragma once

#include <string>

#include "rules/evaluation.h"

namespace gatehouse::rules {

// A compiled boolean filter. Immutable and thread-safe: share one across threads and call
// Matches with a per-request Evaluation.
class Filter {
 public:
  virtual ~Filter() = default;
  // True if the request matches. Never fails: missing data makes comparisons false.
  virtual bool Matches(Evaluation& evaluation) const = 0;
};

// A compiled value expression (rewrites, redirects), e.g. concat("/v2", http.request.uri.path).
// Immutable and thread-safe.
class ValueExpression {
 public:
  virtual ~ValueExpression() = default;
  // The value as bytes: Bytes as is, Int in decimal, Bool as "true"/"false"; a missing value
  // (e.g. an absent header) is "".
  virtual std::string Evaluate(Evaluation& evaluation) const = 0;
};

}  // namespace gatehouse::rules

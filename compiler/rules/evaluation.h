#pragma once

#include <array>
#include <optional>

#include "compiler/rules/request_data.h"
#include "compiler/rules/scheme.h"
#include "compiler/rules/value.h"

namespace gatehouse::rules {

// Per-request evaluation state. Fields derived from the request (normalised path, query
// arguments, cookies, header maps, ...) are computed on first use and cached, so each is derived
// at most once however many rules read it. Not thread-safe: one per request. `request` must
// outlive it.
class Evaluation {
 public:
  explicit Evaluation(const RequestData& request) : request_(request) {}
  Evaluation(const Evaluation&) = delete;
  Evaluation& operator=(const Evaluation&) = delete;

  const RequestData& request() const { return request_; }

  // The field's value; missing where the request has none (e.g. response fields in a request
  // phase).
  const Value& Field(FieldId id);

 private:
  Value Compute(FieldId id);

  const RequestData& request_;
  std::array<std::optional<Value>, kFieldCount> fields_;
};

}  // namespace gatehouse::rules

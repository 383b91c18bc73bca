#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

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

  // Per-request memo of results that an optimised plan shares between rules (see plan.h). Slots
  // belong to one owner (a zone's plan cache); a different owner starts from an empty memo.
  // A bool slot holds -1 (not computed), 0 or 1.
  int8_t& BoolMemo(const void* owner, size_t slot);
  std::optional<std::optional<std::string>>& BytesMemo(const void* owner, size_t slot);

 private:
  void ClaimMemo(const void* owner);

  Value Compute(FieldId id);

  const RequestData& request_;
  std::array<std::optional<Value>, kFieldCount> fields_;
  const void* memo_owner_ = nullptr;
  std::vector<int8_t> bool_memo_;
  // A deque: growing it keeps references to existing slots valid, so views stay usable. Made on
  // first use: an empty std::deque already allocates, and most requests need no memo at all.
  std::optional<std::deque<std::optional<std::optional<std::string>>>> bytes_memo_;
};

}  // namespace gatehouse::rules

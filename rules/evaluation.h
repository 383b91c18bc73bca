#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "body/form.h"
#include "body/multipart.h"
#include "body/text_arena.h"
#include "rules/geo_location.h"
#include "rules/request_data.h"
#include "rules/scheme.h"
#include "rules/value.h"

namespace gatehouse::rules {

class Scratch;

// Per-request evaluation state. Fields derived from the request (normalised path, query
// arguments, cookies, header maps, ...) are computed on first use and cached, so each is derived
// at most once however many rules read it. Not thread-safe: one per request. `request` and
// `scratch` (what the worker's evaluations reuse, scratch.h) must outlive it.
class Evaluation {
 public:
  Evaluation(const RequestData& request, Scratch& scratch)
      : request_(&request), scratch_(&scratch) {}
  Evaluation(const Evaluation&) = delete;
  Evaluation& operator=(const Evaluation&) = delete;

  // Starts over for `request`. Field values of the last request keep their storage, so deriving
  // the same fields again fills existing strings instead of allocating (see
  // Scratch::AcquireEvaluation).
  void Reset(const RequestData& request);

  const RequestData& request() const { return *request_; }
  // The worker's scratch this evaluation runs with (the phase matcher's Hyperscan scratch).
  Scratch& scratch() const { return *scratch_; }

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

  // Derives the field into `slot`, reusing the storage it holds.
  void Compute(FieldId id, Value& slot);
  // Fills the slot of a geolocation field from Geo().
  void ComputeGeo(FieldId id, Value& slot);
  // Fills the slot of a multipart field from Multipart().
  void ComputeMultipart(FieldId id, Value& slot);

  // The client's geolocation, looked up on the first call for this request.
  const GeoLocation& Geo();
  // The inspected body read as a form or as multipart/form-data, once per request; empty unless
  // the request's Content-Type says it is one. Views point into the body or into `body_text_`.
  const std::vector<body::FormField>& Form();
  const body::MultipartBody& Multipart();

  const RequestData* request_;
  Scratch* scratch_;
  std::array<Value, kFieldCount> fields_;
  std::bitset<kFieldCount> computed_;
  // Derived once per request for several fields each (reset by Reset()).
  enum Derived { kGeoDerived, kFormDerived, kMultipartDerived, kDerivedCount };
  std::bitset<kDerivedCount> derived_;
  GeoLocation geo_;
  body::TextArena body_text_;
  std::vector<body::FormField> form_;
  body::MultipartBody multipart_;
  const void* memo_owner_ = nullptr;
  std::vector<int8_t> bool_memo_;
  // A deque: growing it keeps references to existing slots valid, so views stay usable. Made on
  // first use: an empty std::deque already allocates, and most requests need no memo at all.
  std::optional<std::deque<std::optional<std::optional<std::string>>>> bytes_memo_;
};

// Gives an Evaluation back to the scratch it was made with (Scratch::AcquireEvaluation).
struct EvaluationRecycler {
  void operator()(Evaluation* evaluation) const;
};
using EvaluationLease = std::unique_ptr<Evaluation, EvaluationRecycler>;

}  // namespace gatehouse::rules

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "rules/evaluation.h"
#include "rules/request_data.h"

struct hs_scratch;

namespace gatehouse::rules {

// What evaluating rules reuses from one request to the next, so that a warm worker's requests
// allocate nothing for it: Evaluations whose field storage earlier requests left behind, and
// the prefilter's Hyperscan scratch, candidate flags and derived texts.
//
// One per thread of work, passed explicitly: each of the proxy's workers has its own (in its
// WorkerContext, down through RequestState and Evaluation to the phase matcher); a tool, test
// or benchmark that evaluates outside a proxy makes its own. Never used by two threads at once.
// It must outlive every Evaluation made with it.
class Scratch {
 public:
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  // An Evaluation for `request`: one an earlier request gave back when there is one (its field
  // storage reused), else a new one. The lease gives it back to this scratch when it ends.
  EvaluationLease AcquireEvaluation(const RequestData& request);

  // The phase matcher's (phase_matcher.cc). One Hyperscan scratch, grown to fit every database
  // of every matcher used with it: it only grows, so once fitted to a matcher it stays fitted,
  // and `fitted` remembers which matchers (by serial) it fits, sparing the (not free)
  // hs_alloc_scratch check when a request moves from one phase's matcher to the next.
  struct Prefilter {
    static constexpr size_t kMaxRemembered = 4096;  // old snapshots' matchers are forgotten
    hs_scratch* hyperscan = nullptr;
    absl::flat_hash_set<uint64_t> fitted;
    std::vector<uint8_t> candidates;  // the running match's candidate flags, one per rule
    std::string header_names;         // the request's lower-cased header names, one per line
  };
  Prefilter& prefilter() { return prefilter_; }

 private:
  friend struct EvaluationRecycler;
  static constexpr size_t kMaxFreeEvaluations = 64;

  void Recycle(Evaluation* evaluation);

  std::vector<std::unique_ptr<Evaluation>> free_evaluations_;
  Prefilter prefilter_;
};

}  // namespace gatehouse::rules

#include "rules/scratch.h"

#include <hs/hs.h>

namespace gatehouse::rules {

Scratch::Scratch() = default;

Scratch::~Scratch() {
  if (prefilter_.hyperscan != nullptr) hs_free_scratch(prefilter_.hyperscan);
}

EvaluationLease Scratch::AcquireEvaluation(const RequestData& request) {
  if (free_evaluations_.empty()) return EvaluationLease(new Evaluation(request, *this));
  EvaluationLease lease(free_evaluations_.back().release());
  free_evaluations_.pop_back();
  lease->Reset(request);
  return lease;
}

void Scratch::Recycle(Evaluation* evaluation) {
  if (free_evaluations_.size() < kMaxFreeEvaluations) {
    free_evaluations_.emplace_back(evaluation);
  } else {
    delete evaluation;
  }
}

void EvaluationRecycler::operator()(Evaluation* evaluation) const {
  evaluation->scratch().Recycle(evaluation);
}

}  // namespace gatehouse::rules

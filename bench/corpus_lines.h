#ifndef GATEHOUSE_BENCH_CORPUS_LINES_H_
#define GATEHOUSE_BENCH_CORPUS_LINES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::bench {

// The strings of a detector corpus (detect/corpus/*.txt): one per line, a trailing '\r' dropped,
// empty lines skipped. A stand-in until //detect/corpus:corpus_lib's ReadCorpus lands; the bench
// tools call only this function, so switching is a one-line change.
absl::StatusOr<std::vector<std::string>> ReadCorpusLines(const std::string& path);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_CORPUS_LINES_H_

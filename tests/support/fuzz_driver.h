#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::testing {

// A fuzz target as the bounded driver below runs it. Each target also defines libFuzzer's
// LLVMFuzzerTestOneInput over the same `run`, for clang -fsanitize=fuzzer builds.
struct FuzzTarget {
  // Runs one input; aborts when an invariant breaks.
  std::function<void(std::string_view input)> run;
  // Fragments mutations insert, so inputs reach past the first parser state.
  std::vector<std::string_view> tokens;
};

// Aborts, printing `what` and the input as hex escapes, unless `ok`: how a target reports a
// broken invariant, under both the driver below and libFuzzer.
void RequireInvariant(bool ok, std::string_view what, std::string_view input);

// Reads every regular file under `directory` (sorted by name, so runs are reproducible).
std::vector<std::string> ReadCorpus(const std::string& directory);

// A small stand-in for libFuzzer where it is unavailable (gcc): runs every corpus input, then
// `iterations` inputs made by mutating corpus entries (byte flips, token insertions, deletions,
// splices) from a fixed seed. Returns how many inputs ran.
int64_t RunFuzzer(const FuzzTarget& target, const std::vector<std::string>& corpus,
                  int64_t iterations, uint64_t seed);

// main() of a driver binary: DRIVER CORPUS_DIR [ITERATIONS] [SEED].
int FuzzDriverMain(const FuzzTarget& target, int argc, char** argv);

}  // namespace gatehouse::testing

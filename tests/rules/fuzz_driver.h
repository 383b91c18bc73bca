#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gatehouse::rules::testing {

// Reads every regular file under `directory` (sorted by name, so runs are reproducible).
std::vector<std::string> ReadCorpus(const std::string& directory);

// A small stand-in for libFuzzer where it is unavailable (gcc): runs every corpus input through
// LLVMFuzzerTestOneInput, then `iterations` inputs made by mutating corpus entries (byte flips,
// insertions of language tokens, deletions, splices) from a fixed seed. Returns how many inputs
// ran. A crash or abort in the target fails the caller.
int64_t RunFuzzer(const std::vector<std::string>& corpus, int64_t iterations, uint64_t seed);

}  // namespace gatehouse::rules::testing

#include "tests/support/fuzz_driver.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace gatehouse::testing {
namespace {

std::string Mutate(std::string input, const FuzzTarget& target,
                   const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < rounds; ++i) {
    size_t at = pick(input.size() + 1);
    switch (rng() % 5) {
      case 0:
        if (!input.empty()) input[pick(input.size())] ^= static_cast<char>(1 << (rng() % 8));
        break;
      case 1:
        if (!target.tokens.empty()) input.insert(at, target.tokens[pick(target.tokens.size())]);
        break;
      case 2:
        if (!input.empty()) input.erase(pick(input.size()), 1 + pick(8));
        break;
      case 3: {
        const std::string& other = corpus[pick(corpus.size())];
        size_t from = pick(other.size() + 1);
        input.insert(at, other.substr(from, pick(other.size() - from + 1)));
        break;
      }
      default:
        input.insert(at, 1, static_cast<char>(rng() % 256));
        break;
    }
  }
  return input;
}

}  // namespace

void RequireInvariant(bool ok, std::string_view what, std::string_view input) {
  if (ok) return;
  static constexpr char kHex[] = "0123456789abcdef";
  std::cerr << "fuzz invariant broken: " << what << "\ninput (" << input.size() << " bytes): ";
  for (unsigned char c : input) std::cerr << "\\x" << kHex[c >> 4] << kHex[c & 15];
  std::cerr << "\n";
  std::abort();
}

std::vector<std::string> ReadCorpus(const std::string& directory) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> corpus;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    corpus.push_back(text.str());
  }
  return corpus;
}

int64_t RunFuzzer(const FuzzTarget& target, const std::vector<std::string>& corpus,
                  int64_t iterations, uint64_t seed) {
  int64_t runs = 0;
  for (const std::string& input : corpus) {
    target.run(input);
    ++runs;
  }
  if (corpus.empty()) return runs;
  std::mt19937_64 rng(seed);
  for (int64_t i = 0; i < iterations; ++i) {
    target.run(Mutate(corpus[static_cast<size_t>(rng() % corpus.size())], target, corpus, rng));
    ++runs;
  }
  return runs;
}

int FuzzDriverMain(const FuzzTarget& target, int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR [ITERATIONS] [SEED]\n";
    return 2;
  }
  const int64_t iterations = argc > 2 ? std::atoll(argv[2]) : 100000;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  const int64_t runs = RunFuzzer(target, ReadCorpus(argv[1]), iterations, seed);
  std::cout << "ran " << runs << " inputs without a failure\n";
  return 0;
}

}  // namespace gatehouse::testing

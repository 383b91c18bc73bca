// Runs the parser fuzz target for a bounded number of mutations without libFuzzer:
//   parser_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include <cstdlib>
#include <iostream>
#include <string>

#include "tests/rules/fuzz_driver.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR [ITERATIONS] [SEED]\n";
    return 2;
  }
  int64_t iterations = argc > 2 ? std::atoll(argv[2]) : 100000;
  uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  auto corpus = gatehouse::rules::testing::ReadCorpus(argv[1]);
  int64_t runs = gatehouse::rules::testing::RunFuzzer(corpus, iterations, seed);
  std::cout << "ran " << runs << " inputs without a failure\n";
  return 0;
}

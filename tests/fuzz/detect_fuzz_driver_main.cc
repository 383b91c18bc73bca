// Runs the detectors' fuzz target for a bounded number of mutations without libFuzzer:
//   detect_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/detect_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::DetectFuzzTarget(), argc, argv);
}

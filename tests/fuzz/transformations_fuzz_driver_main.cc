// Runs the SecLang transformations fuzz target for a bounded number of mutations without
// libFuzzer:
//   transformations_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/transformations_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::TransformationsFuzzTarget(), argc,
                                            argv);
}

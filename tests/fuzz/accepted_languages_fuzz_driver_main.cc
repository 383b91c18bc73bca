// Runs the Accept-Language fuzz target for a bounded number of mutations without libFuzzer:
//   accepted_languages_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/accepted_languages_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::AcceptedLanguagesFuzzTarget(),
                                            argc, argv);
}

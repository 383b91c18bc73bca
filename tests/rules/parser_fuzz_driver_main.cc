// Runs the parser fuzz target for a bounded number of mutations without libFuzzer:
//   parser_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/rules/parser_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::rules::testing::ParserFuzzTarget(), argc,
                                            argv);
}

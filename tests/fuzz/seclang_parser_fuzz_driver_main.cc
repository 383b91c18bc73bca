// Runs the SecLang parser's fuzz target for a bounded number of mutations without libFuzzer:
//   seclang_parser_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/seclang_parser_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::SeclangParserFuzzTarget(), argc,
                                            argv);
}

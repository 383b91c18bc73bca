// Runs the IR reader fuzz target for a bounded number of mutations without libFuzzer:
//   ir_reader_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/ir_reader_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::IrReaderFuzzTarget(), argc, argv);
}

// Runs the request-path fuzz target for a bounded number of mutations without libFuzzer:
//   request_path_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/request_path_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::RequestPathFuzzTarget(), argc,
                                            argv);
}

// Runs the client-address fuzz target for a bounded number of mutations without libFuzzer:
//   client_address_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/client_address_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::ClientAddressFuzzTarget(), argc,
                                            argv);
}

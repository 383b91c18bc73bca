// Runs the certificate PEM fuzz target for a bounded number of mutations without libFuzzer:
//   certificate_pem_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/certificate_pem_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::CertificatePemFuzzTarget(), argc,
                                            argv);
}

// Runs the HTTP/2 request fuzz target for a bounded number of mutations without libFuzzer:
//   http2_request_fuzz_driver CORPUS_DIR [ITERATIONS] [SEED]
#include "tests/fuzz/http2_request_fuzz.h"

int main(int argc, char** argv) {
  return gatehouse::testing::FuzzDriverMain(gatehouse::testing::Http2RequestFuzzTarget(), argc,
                                            argv);
}

// Runs one request-body parser's fuzz target for a bounded number of mutations without
// libFuzzer:
//   body_fuzz_driver form|multipart|json|xml CORPUS_DIR [ITERATIONS] [SEED]
#include <iostream>

#include "tests/fuzz/body_fuzz.h"

int main(int argc, char** argv) {
  const gatehouse::testing::FuzzTarget target =
      argc > 1 ? gatehouse::testing::BodyFuzzTargetByName(argv[1])
               : gatehouse::testing::FuzzTarget{};
  if (!target.run) {
    std::cerr << "usage: body_fuzz_driver form|multipart|json|xml CORPUS_DIR [ITERATIONS] [SEED]\n";
    return 2;
  }
  return gatehouse::testing::FuzzDriverMain(target, argc - 1, argv + 1);
}

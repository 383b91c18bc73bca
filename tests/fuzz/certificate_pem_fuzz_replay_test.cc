#include "gtest/gtest.h"
#include "tests/fuzz/certificate_pem_fuzz.h"
#include "tests/support/fuzz_driver.h"

namespace gatehouse::testing {
namespace {

// The seeds (certificate chains, whole and broken, wildcard names, key-shaped text with no real
// key: no private key is checked in, only the header of one), then bounded mutations.
TEST(CertificatePemFuzzReplayTest, CorpusAndBoundedMutations) {
  const std::vector<std::string> corpus = ReadCorpus("tests/fuzz/certificate_pem_corpus");
  ASSERT_GE(corpus.size(), 10u);
  // The target aborts on a broken invariant; reaching the end is the assertion.
  EXPECT_EQ(RunFuzzer(CertificatePemFuzzTarget(), corpus, 8000, 20261203),
            static_cast<int64_t>(corpus.size()) + 8000);
}

}  // namespace
}  // namespace gatehouse::testing

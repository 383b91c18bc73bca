// The detectors on the generated corpora, through the transformations CRS applies before
// @detectSQLi (942100) and @detectXSS (941100): detection and false-positive rates must stay at
// least as good as libinjection's as shipped in libmodsecurity 3.0.9, measured on the same
// corpora by //bench:detect_compare (bench/RESULTS.md). That tool needs libmodsecurity; this
// test holds its figures so CI catches a regression without it.
#include <string>
#include <vector>

#include "detect/corpus/corpus.h"
#include "detect/sqli.h"
#include "detect/xss.h"
#include "gtest/gtest.h"
#include "seclang/transformations.h"

namespace gatehouse::detect {
namespace {

// libinjection through libmodsecurity 3.0.9, one CRS-like rule, on these corpora.
constexpr int kLibinjectionSqliDetected = 2610;    // of 3,003
constexpr int kLibinjectionXssDetected = 1375;     // of 1,500
constexpr int kLibinjectionSqliFalsePositives = 27;  // of 13,300
constexpr int kLibinjectionXssFalsePositives = 0;

constexpr char kSqliTransformations[] = "t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls";
constexpr char kXssTransformations[] =
    "t:none,t:utf8toUnicode,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,"
    "t:removeNulls";

template <typename Detector>
int CountDetected(const std::vector<std::string>& corpus, const char* transformations,
                  Detector detect, std::vector<std::string>* hits) {
  const auto list = *seclang::ParseTransformationList(transformations);
  int detected = 0;
  for (const std::string& line : corpus) {
    if (detect(seclang::ApplyTransformations(list, line))) {
      ++detected;
      if (hits != nullptr && hits->size() < 20) hits->push_back(line);
    }
  }
  return detected;
}

bool Sqli(const std::string& value) { return DetectSqli(value); }
bool Xss(const std::string& value) { return DetectXss(value); }

TEST(CorpusRatesTest, SqlInjectionDetectedAtLeastAsOftenAsLibinjection) {
  const auto attacks = corpus::ReadCorpusFile(corpus::kSqliAttacks);
  ASSERT_GE(attacks.size(), 2000u);
  EXPECT_GE(CountDetected(attacks, kSqliTransformations, Sqli, nullptr),
            kLibinjectionSqliDetected);
}

TEST(CorpusRatesTest, XssDetectedAtLeastAsOftenAsLibinjection) {
  const auto attacks = corpus::ReadCorpusFile(corpus::kXssAttacks);
  ASSERT_GE(attacks.size(), 1000u);
  EXPECT_GE(CountDetected(attacks, kXssTransformations, Xss, nullptr), kLibinjectionXssDetected);
}

TEST(CorpusRatesTest, NoMoreFalsePositivesThanLibinjection) {
  const auto benign = corpus::ReadCorpusFile(corpus::kBenign);
  ASSERT_GE(benign.size(), 10000u);
  std::vector<std::string> sqli_hits;
  std::vector<std::string> xss_hits;
  EXPECT_LE(CountDetected(benign, kSqliTransformations, Sqli, &sqli_hits),
            kLibinjectionSqliFalsePositives)
      << "first: " << (sqli_hits.empty() ? "" : sqli_hits[0]);
  EXPECT_LE(CountDetected(benign, kXssTransformations, Xss, &xss_hits),
            kLibinjectionXssFalsePositives)
      << "first: " << (xss_hits.empty() ? "" : xss_hits[0]);
}

}  // namespace
}  // namespace gatehouse::detect

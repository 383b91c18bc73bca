#pragma once

#include "gtest/gtest.h"
#include "tests/support/test_pki.h"

namespace gatehouse::testing {

// A test suite with a CA and one site certificate for example.com and *.example.com (site_:
// the chain, leaf first, and its key), made once for the suite.
class SiteCertificateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*std::move(pki));
    auto site = MakeSiteCertificate(*pki_, "site", {"example.com", "*.example.com"});
    ASSERT_TRUE(site.ok()) << site.status();
    site_ = new SiteCertificate(*std::move(site));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete site_;
    pki_ = nullptr;
    site_ = nullptr;
  }

  static inline TestPki* pki_ = nullptr;
  static inline SiteCertificate* site_ = nullptr;
};

}  // namespace gatehouse::testing

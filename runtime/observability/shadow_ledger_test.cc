#include "runtime/observability/shadow_ledger.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

TEST(ShadowLedgerTest, AgreementRules) {
  EXPECT_TRUE(ShadowLedger::Agrees(403, 403));
  EXPECT_FALSE(ShadowLedger::Agrees(403, 200));
  EXPECT_TRUE(ShadowLedger::Agrees(301, 301));
  EXPECT_FALSE(ShadowLedger::Agrees(301, 200));
  EXPECT_TRUE(ShadowLedger::Agrees(0, 200));
  EXPECT_TRUE(ShadowLedger::Agrees(0, 404));
  EXPECT_FALSE(ShadowLedger::Agrees(0, 403));
}

TEST(ShadowLedgerTest, TalliesPerZoneAndRule) {
  ShadowLedger ledger;
  ledger.Record("a.com", "block-admin", 403, 403);
  ledger.Record("a.com", "block-admin", 403, 200);
  ledger.Record("a.com", "block-admin", 403, 403);
  ledger.Record("a.com", "", 0, 200);
  ledger.Record("b.com", "", 0, 403);
  const auto summary = ledger.Summary();
  EXPECT_EQ((summary.at({"a.com", "block-admin"}).agree), 2u);
  EXPECT_EQ((summary.at({"a.com", "block-admin"}).disagree), 1u);
  EXPECT_EQ((summary.at({"b.com", ""}).disagree), 1u);
  EXPECT_EQ(ledger.SummaryJson(),
            "{\"zones\": [{\"zone\": \"a.com\", \"rules\": [{\"rule\": \"(none: passed)\", "
            "\"agree\": 1, \"disagree\": 0}, {\"rule\": \"block-admin\", \"agree\": 2, "
            "\"disagree\": 1}]}, {\"zone\": \"b.com\", \"rules\": [{\"rule\": \"(none: passed)\", "
            "\"agree\": 0, \"disagree\": 1}]}]}\n");
  EXPECT_EQ(ShadowLedger().SummaryJson(), "{\"zones\": []}\n");
}

}  // namespace
}  // namespace gatehouse::runtime

#include "seclang/macros.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;

MacroPart Literal(std::string text) { return {false, std::move(text), "", ""}; }
MacroPart Macro(std::string text, std::string collection, std::string key) {
  return {true, std::move(text), std::move(collection), std::move(key)};
}

TEST(MacrosTest, SplitsCrsLogData) {
  EXPECT_THAT(SplitMacros("Matched Data: %{TX.0} found within %{MATCHED_VAR_NAME}: %{MATCHED_VAR}"),
              ElementsAre(Literal("Matched Data: "), Macro("%{TX.0}", "TX", "0"),
                          Literal(" found within "),
                          Macro("%{MATCHED_VAR_NAME}", "MATCHED_VAR_NAME", ""), Literal(": "),
                          Macro("%{MATCHED_VAR}", "MATCHED_VAR", "")));
}

TEST(MacrosTest, CollectionIsUpperCasedKeyKept) {
  EXPECT_THAT(SplitMacros("%{tx.critical_anomaly_score}"),
              ElementsAre(Macro("%{tx.critical_anomaly_score}", "TX", "critical_anomaly_score")));
  // A key may hold dots and dashes: CRS's %{request_headers.user-agent}.
  EXPECT_THAT(SplitMacros("%{request_headers.user-agent}"),
              ElementsAre(Macro("%{request_headers.user-agent}", "REQUEST_HEADERS", "user-agent")));
}

TEST(MacrosTest, SetvarNameWithMacros) {
  // CRS: setvar:'tx.%{rule.id}-OWASP_CRS/LEAKAGE/ERRORS-%{MATCHED_VAR_NAME}=%{tx.0}' (the name).
  EXPECT_THAT(SplitMacros("%{rule.id}-OWASP_CRS/LEAKAGE-%{MATCHED_VAR_NAME}"),
              ElementsAre(Macro("%{rule.id}", "RULE", "id"), Literal("-OWASP_CRS/LEAKAGE-"),
                          Macro("%{MATCHED_VAR_NAME}", "MATCHED_VAR_NAME", "")));
}

TEST(MacrosTest, WhatIsNotAMacroStaysLiteral) {
  EXPECT_THAT(SplitMacros("100% {x} %{ } %{a b} %{unterminated %"),
              ElementsAre(Literal("100% {x} %{ } %{a b} %{unterminated %")));
  EXPECT_THAT(SplitMacros(""), ElementsAre());
  EXPECT_FALSE(HasMacros("%{}"));
  EXPECT_TRUE(HasMacros("a%{tx.b}"));
}

}  // namespace
}  // namespace gatehouse::seclang

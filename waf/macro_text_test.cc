#include "waf/macro_text.h"

#include "gtest/gtest.h"

namespace gatehouse::waf {
namespace {

using Source = MacroText::Source;

TEST(MacroTextTest, SplitsTextIntoLiteralsAndWhatItsMacrosRead) {
  const MacroText text = MacroText::Parse("tx.header_name_%{TX.Zero}=/%{MATCHED_VAR}/ %{rule.id}");
  ASSERT_EQ(text.pieces().size(), 6u);
  EXPECT_EQ(text.pieces()[0].source, Source::kLiteral);
  EXPECT_EQ(text.pieces()[0].text, "tx.header_name_");
  EXPECT_EQ(text.pieces()[1].source, Source::kTx);
  EXPECT_EQ(text.pieces()[1].text, "zero");  // TX names ignore case
  EXPECT_EQ(text.pieces()[2].text, "=/");
  EXPECT_EQ(text.pieces()[3].source, Source::kMatchedVar);
  EXPECT_EQ(text.pieces()[4].text, "/ ");
  EXPECT_EQ(text.pieces()[5].source, Source::kRuleId);
  EXPECT_FALSE(text.constant());
  EXPECT_EQ(text.literal_prefix(), "tx.header_name_");
}

TEST(MacroTextTest, CollectionsByKeyOrFirstValue) {
  const MacroText text = MacroText::Parse("%{REQUEST_HEADERS.Host}%{ARGS}");
  ASSERT_EQ(text.pieces().size(), 2u);
  EXPECT_EQ(text.pieces()[0].source, Source::kCollection);
  EXPECT_EQ(text.pieces()[0].collection, waf_inputs::Collection::kRequestHeaders);
  EXPECT_EQ(text.pieces()[0].text, "Host");
  EXPECT_FALSE(text.pieces()[0].any_key);
  EXPECT_EQ(text.pieces()[1].collection, waf_inputs::Collection::kArgs);
  EXPECT_TRUE(text.pieces()[1].any_key);
}

TEST(MacroTextTest, UnknownMacrosExpandToNothingAndAnUnclosedOneIsText) {
  MacroText text = MacroText::Parse("a%{nosuch.thing}b%{rule.nope}c");
  EXPECT_TRUE(text.constant());
  EXPECT_EQ(text.constant_text(), "abc");

  text = MacroText::Parse("50%{tx.x");
  EXPECT_TRUE(text.constant());
  EXPECT_EQ(text.constant_text(), "50%{tx.x");

  text = MacroText::Parse("");
  EXPECT_TRUE(text.constant());
  EXPECT_EQ(text.constant_text(), "");

  text = MacroText::Parse("Tx.Score");
  text.LowerLiterals();
  EXPECT_EQ(text.constant_text(), "tx.score");
}

TEST(MacroTextTest, TxMacrosAreLookedUpOnlyWhenResolved) {
  MacroText text = MacroText::Parse("%{tx.a}-%{tx.b}");
  EXPECT_EQ(text.pieces()[0].initial_tx_index, MacroText::kUnresolved);
  text.ResolveTx([](std::string_view name) { return name == "a" ? 3 : -1; });
  EXPECT_EQ(text.pieces()[0].initial_tx_index, 3);
  EXPECT_EQ(text.pieces()[1].source, Source::kLiteral);
  EXPECT_EQ(text.pieces()[2].initial_tx_index, -1);
}

}  // namespace
}  // namespace gatehouse::waf

#include "waf_inputs/key_selector.h"

#include "gtest/gtest.h"
#include "re2/re2.h"

namespace gatehouse::waf_inputs {
namespace {

TEST(KeySelectorTest, AllKeyAndRegex) {
  EXPECT_TRUE(KeySelector::All().Matches("anything"));
  EXPECT_TRUE(KeySelector::Key("ID").Matches("id"));  // libmodsecurity ignores case
  EXPECT_FALSE(KeySelector::Key("id").Matches("ids"));
  re2::RE2::Options caseless;
  caseless.set_case_sensitive(false);
  const re2::RE2 utm("__utm", caseless);
  EXPECT_TRUE(KeySelector::Regex(utm).Matches("x__UTMz"));  // a search, not a full match
  EXPECT_FALSE(KeySelector::Regex(utm).Matches("utm"));
}

}  // namespace
}  // namespace gatehouse::waf_inputs

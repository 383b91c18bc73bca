#include "rules/accepted_languages.h"

#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string_view> Languages(std::string_view value) {
  std::vector<std::string_view> out;
  AppendAcceptedLanguages(value, out);
  return out;
}

TEST(AcceptedLanguagesTest, OrderedByQualityThenAsSent) {
  EXPECT_THAT(Languages("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"),
              ElementsAre("fr-CH", "fr", "en", "de", "*"));
  EXPECT_THAT(Languages("en;q=0.5, da, en-GB;q=0.8, nl"), ElementsAre("da", "nl", "en-GB", "en"));
  EXPECT_THAT(Languages("a;q=0.25,b;q=0.250,c;q=0.3"), ElementsAre("c", "a", "b"));
}

TEST(AcceptedLanguagesTest, NotAcceptableAndEmptyRangesAreLeftOut) {
  EXPECT_THAT(Languages("en, fr;q=0, de;q=0.000"), ElementsAre("en"));
  EXPECT_THAT(Languages(" , ,en,,"), ElementsAre("en"));
  EXPECT_THAT(Languages(""), IsEmpty());
}

TEST(AcceptedLanguagesTest, MalformedQualityIsTheDefault) {
  EXPECT_THAT(Languages("a;q=0.5, b;q=2, c;q=0.1234, d;q=x, e;Q=0.6, f;q=1.5"),
              ElementsAre("b", "c", "d", "f", "e", "a"));
  EXPECT_THAT(Languages("a;level=1;q=0.2, b;q=0.3"), ElementsAre("b", "a"));
}

}  // namespace
}  // namespace gatehouse::rules

#include "waf_inputs/collection.h"

#include <cstddef>

#include "gtest/gtest.h"

namespace gatehouse::waf_inputs {
namespace {

TEST(CollectionTest, EveryNameRoundTrips) {
  for (std::size_t i = 0; i < kCollectionCount; ++i) {
    const auto collection = static_cast<Collection>(i);
    EXPECT_EQ(CollectionByName(CollectionName(collection)), collection)
        << CollectionName(collection);
  }
}

TEST(CollectionTest, NamesIgnoreCaseAndUnknownNamesAreReported) {
  EXPECT_EQ(CollectionByName("args"), Collection::kArgs);
  EXPECT_EQ(CollectionByName("Request_Headers_Names"), Collection::kRequestHeadersNames);
  EXPECT_EQ(CollectionByName("TX"), std::nullopt);
  EXPECT_EQ(CollectionByName("ARGS:id"), std::nullopt);
  EXPECT_EQ(CollectionByName(""), std::nullopt);
}

TEST(CollectionTest, Scalars) {
  EXPECT_TRUE(IsScalar(Collection::kRequestUri));
  EXPECT_TRUE(IsScalar(Collection::kMultipartStrictError));
  EXPECT_FALSE(IsScalar(Collection::kArgs));
  EXPECT_FALSE(IsScalar(Collection::kXml));
  EXPECT_FALSE(IsScalar(Collection::kMultipartPartHeaders));
}

}  // namespace
}  // namespace gatehouse::waf_inputs

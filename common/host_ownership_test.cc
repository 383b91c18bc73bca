#include "common/host_ownership.h"

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

TEST(HostOwnershipTest, OverlapIsSomeHostMatchingBoth) {
  EXPECT_TRUE(HostClaimsOverlap("a.test", "a.test"));
  EXPECT_FALSE(HostClaimsOverlap("a.test", "b.test"));
  EXPECT_TRUE(HostClaimsOverlap("*.a.test", "www.a.test"));
  EXPECT_TRUE(HostClaimsOverlap("x.y.a.test", "*.a.test"));
  // A wildcard covers the names below its suffix, not the suffix itself.
  EXPECT_FALSE(HostClaimsOverlap("*.a.test", "a.test"));
  EXPECT_FALSE(HostClaimsOverlap("*.a.test", "xa.test"));
  EXPECT_TRUE(HostClaimsOverlap("*.a.test", "*.a.test"));
  EXPECT_TRUE(HostClaimsOverlap("*.test", "*.a.test"));
  EXPECT_TRUE(HostClaimsOverlap("*.b.a.test", "*.a.test"));
  EXPECT_FALSE(HostClaimsOverlap("*.b.test", "*.a.test"));
}

TEST(HostOwnershipTest, ClaimsFindEveryOverlapOfOtherZones) {
  HostClaims claims;
  claims.Set("alpha", {"a.test", "*.a.test"});
  claims.Set("beta", {"b.test", "deep.x.b.test"});
  auto conflicts = [&](const std::string& zone, const std::vector<std::string>& wanted) {
    std::vector<std::string> out;
    for (const auto& c : claims.Conflicts(zone, wanted)) {
      out.push_back(c.claim + ">" + c.other_zone + ":" + c.other_claim);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(conflicts("evil", {"a.test"}), V{"a.test>alpha:a.test"});
  EXPECT_EQ(conflicts("evil", {"www.a.test"}), V{"www.a.test>alpha:*.a.test"});
  EXPECT_EQ(conflicts("evil", {"*.x.b.test"}), V{"*.x.b.test>beta:deep.x.b.test"});
  EXPECT_EQ(conflicts("evil", {"*.test"}),
            (V{"*.test>alpha:a.test", "*.test>alpha:*.a.test", "*.test>beta:b.test",
               "*.test>beta:deep.x.b.test"}));
  EXPECT_TRUE(conflicts("evil", {"c.test", "*.c.test", "xa.test", "*.xa.test"}).empty());
  // A zone never conflicts with itself, and a replaced claim is gone.
  EXPECT_TRUE(conflicts("alpha", {"a.test", "www.a.test"}).empty());
  claims.Set("alpha", {"a.test"});
  EXPECT_TRUE(conflicts("evil", {"www.a.test"}).empty());
  claims.Remove("alpha");
  EXPECT_TRUE(conflicts("evil", {"a.test"}).empty());
}

TEST(HostOwnershipTest, AllOverlapsReportsEachPairOnce) {
  HostClaims claims;
  claims.Set("0evil", {"a.test"});
  claims.Set("alpha", {"a.test"});
  claims.Set("gamma", {"g.test"});
  const auto overlaps = claims.AllOverlaps();
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_EQ(overlaps[0].zone, "0evil");
  EXPECT_EQ(overlaps[0].conflict.other_zone, "alpha");
}

TEST(HostOwnershipTest, IndexPrefersExactThenLongestAndServesNoAmbiguousName) {
  HostIndex<int> index;
  index.Add("a.test", 1);
  index.Add("*.a.test", 2);
  index.Add("*.b.a.test", 3);
  ASSERT_NE(index.Find("a.test"), nullptr);
  EXPECT_EQ(*index.Find("a.test"), 1);
  EXPECT_EQ(*index.Find("x.a.test"), 2);
  EXPECT_EQ(*index.Find("x.b.a.test"), 3);
  EXPECT_EQ(index.Find("test"), nullptr);
  // Claimed identically by two zones (a store from before the rule): served by neither, never
  // by whichever was added first.
  index.Add("a.test", 9);
  EXPECT_EQ(index.Find("a.test"), nullptr);
  EXPECT_EQ(index.ambiguous(), 1u);
}

}  // namespace
}  // namespace gatehouse

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
  HostIndex<int>::Editor editor;
  editor.Add("a.test", 1);
  editor.Add("*.a.test", 2);
  editor.Add("*.b.a.test", 3);
  const HostIndex<int> index = std::move(editor).Finish();
  ASSERT_NE(index.Find("a.test"), nullptr);
  EXPECT_EQ(*index.Find("a.test"), 1);
  EXPECT_EQ(*index.Find("x.a.test"), 2);
  EXPECT_EQ(*index.Find("x.b.a.test"), 3);
  EXPECT_EQ(index.Find("test"), nullptr);
  // Claimed identically by two zones (a store from before the rule): served by neither, never
  // by whichever was added first.
  HostIndex<int>::Editor again(index);
  again.Add("a.test", 9);
  const HostIndex<int> ambiguous = std::move(again).Finish();
  EXPECT_EQ(ambiguous.Find("a.test"), nullptr);
  EXPECT_EQ(ambiguous.ambiguous(), 1u);
  // The index it was made from is unchanged.
  EXPECT_EQ(*index.Find("a.test"), 1);
  EXPECT_EQ(index.ambiguous(), 0u);
}

TEST(HostOwnershipTest, IndexEditsRemoveAZonesClaimsAndHandNamesBack) {
  HostIndex<int>::Editor editor;
  editor.Add("a.test", 1);
  editor.Add("a.test", 1);  // the same claim again changes nothing
  editor.Add("a.test", 2);
  editor.Add("*.w.test", 2);
  const HostIndex<int> both = std::move(editor).Finish();
  EXPECT_EQ(both.Find("a.test"), nullptr);
  EXPECT_EQ(both.ambiguous(), 1u);

  // Zone 2 gives up its claims: the name is zone 1's alone again, the wildcard is gone.
  HostIndex<int>::Editor change(both);
  change.Remove("a.test", 2);
  change.Remove("*.w.test", 2);
  change.Remove("never.test", 2);
  const HostIndex<int> one = std::move(change).Finish();
  ASSERT_NE(one.Find("a.test"), nullptr);
  EXPECT_EQ(*one.Find("a.test"), 1);
  EXPECT_EQ(one.Find("x.w.test"), nullptr);
  EXPECT_EQ(one.ambiguous(), 0u);

  HostIndex<int>::Editor last(one);
  last.Remove("a.test", 1);
  const HostIndex<int> none = std::move(last).Finish();
  EXPECT_EQ(none.Find("a.test"), nullptr);
  EXPECT_EQ(both.Find("x.w.test") != nullptr ? *both.Find("x.w.test") : 0, 2);
}

}  // namespace
}  // namespace gatehouse

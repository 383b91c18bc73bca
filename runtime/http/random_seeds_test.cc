#include "runtime/http/random_seeds.h"

#include <array>
#include <set>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

TEST(RandomSeedsTest, EverySeedIsNewAcrossBlocks) {
  RandomSeeds seeds;
  std::set<std::array<unsigned char, RandomSeeds::kSeedBytes>> seen;
  // Three blocks' worth: the refills give new bytes too.
  for (size_t i = 0; i < 3 * RandomSeeds::kSeedsPerDraw; ++i) {
    std::array<unsigned char, RandomSeeds::kSeedBytes> seed{};
    ASSERT_TRUE(seeds.Next(seed));
    EXPECT_TRUE(seen.insert(seed).second) << "seed " << i << " repeated";
  }
}

}  // namespace
}  // namespace gatehouse::runtime

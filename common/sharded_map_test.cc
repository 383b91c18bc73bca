#include "common/sharded_map.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

using Map = ShardedMap<int>;

Map Build(int count) {
  Map::Editor editor;
  for (int i = 0; i < count; ++i) editor.Set("name" + std::to_string(i), i);
  return std::move(editor).Finish();
}

TEST(ShardedMapTest, FindsCountsAndIteratesEveryEntryOnce) {
  const Map map = Build(1000);
  EXPECT_EQ(map.size(), 1000u);
  ASSERT_NE(map.Find("name7"), nullptr);
  EXPECT_EQ(*map.Find("name7"), 7);
  EXPECT_EQ(map.at("name999"), 999);
  EXPECT_EQ(map.Find("name1000"), nullptr);
  EXPECT_EQ(map.count("name1000"), 0u);
  EXPECT_THROW(map.at("absent"), std::out_of_range);
  std::vector<bool> seen(1000, false);
  size_t visited = 0;
  for (const auto& [name, value] : map) {
    EXPECT_EQ(name, "name" + std::to_string(value));
    EXPECT_FALSE(seen[static_cast<size_t>(value)]);
    seen[static_cast<size_t>(value)] = true;
    ++visited;
  }
  EXPECT_EQ(visited, 1000u);
}

TEST(ShardedMapTest, SortedListsByName) {
  const Map map = Build(300);
  const auto sorted = map.Sorted();
  ASSERT_EQ(sorted.size(), 300u);
  for (size_t i = 1; i < sorted.size(); ++i) EXPECT_LT(sorted[i - 1]->first, sorted[i]->first);
}

TEST(ShardedMapTest, AnEditCopiesOnlyTheShardsItTouchesAndLeavesTheBaseAlone) {
  const Map base = Build(5000);
  Map::Editor editor(base);
  editor.Set("name42", -42);
  editor.Set("new", 1);
  EXPECT_TRUE(editor.Erase("name43"));
  EXPECT_FALSE(editor.Erase("absent"));
  EXPECT_EQ(editor.Find("name42") != nullptr ? *editor.Find("name42") : 0, -42);
  const std::bitset<Map::kShards> touched = editor.touched();
  const Map next = std::move(editor).Finish();

  EXPECT_EQ(next.size(), 5000u);  // one in, one out
  EXPECT_EQ(next.at("name42"), -42);
  EXPECT_EQ(next.at("new"), 1);
  EXPECT_EQ(next.count("name43"), 0u);
  EXPECT_EQ(base.at("name42"), 42);
  EXPECT_EQ(base.count("new"), 0u);
  EXPECT_EQ(base.at("name43"), 43);

  std::bitset<Map::kShards> expected;
  expected.set(Map::ShardOf("name42"));
  expected.set(Map::ShardOf("new"));
  expected.set(Map::ShardOf("name43"));
  EXPECT_EQ(touched, expected);
  for (size_t i = 0; i < Map::kShards; ++i) EXPECT_EQ(next.SameShard(base, i), !expected[i]) << i;
}

TEST(ShardedMapTest, MutableAccessCopiesOnFirstTouchOnly) {
  const Map base = Build(10);
  Map::Editor editor(base);
  EXPECT_EQ(editor.FindMutable("absent"), nullptr);
  EXPECT_TRUE(editor.touched().none());
  *editor.FindMutable("name1") += 100;
  editor["name1"] += 1000;
  editor["fresh"] = 5;
  const Map next = std::move(editor).Finish();
  EXPECT_EQ(next.at("name1"), 1101);
  EXPECT_EQ(next.at("fresh"), 5);
  EXPECT_EQ(next.size(), 11u);
  EXPECT_EQ(base.at("name1"), 1);
}

TEST(ShardedMapTest, EmptiedShardsAndEmptyMapsIterateAsEmpty) {
  Map::Editor editor(Build(1));
  EXPECT_TRUE(editor.Erase("name0"));
  const Map empty = std::move(editor).Finish();
  EXPECT_TRUE(empty.empty());
  EXPECT_TRUE(empty.begin() == empty.end());
  const Map none;
  EXPECT_TRUE(none.begin() == none.end());
  EXPECT_TRUE(none.Sorted().empty());
}

TEST(ShardedMapTest, UnsharedValuesAreThoseOfShardsNoOtherMapHolds) {
  const Map base = Build(2000);
  EXPECT_EQ(base.UnsharedValues().size(), 2000u);  // the only holder of every shard
  Map::Editor editor(base);
  editor.Set("name5", 5);
  const Map next = std::move(editor).Finish();
  // Every shard but one is shared now; the one each holds alone is name5's.
  const size_t shard_size = next.shard(Map::ShardOf("name5"))->size();
  EXPECT_EQ(base.UnsharedValues().size(), shard_size);
  EXPECT_EQ(next.UnsharedValues().size(), shard_size);
}

TEST(ShardedMapTest, TheShardOfANameIsStable) {
  // Part of the snapshot content hash's definition: it must never change.
  EXPECT_EQ(StableNameHash(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(StableNameHash("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Map::ShardOf("a"), 0x8cu);
}

}  // namespace
}  // namespace gatehouse

#include "runtime/workers/worker_shards.h"

#include <string>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

struct Counter {
  explicit Counter(std::string name) : name(std::move(name)) {}
  std::string name;
  int count = 0;
};

TEST(WorkerShardsTest, EachWorkerHasItsOwnShardAndAReaderSeesThemAll) {
  WorkerShards<Counter> shards;
  Counter& first = shards.Add("first");
  Counter& second = shards.Add("second");
  EXPECT_NE(&first, &second);
  first.count = 1;
  // More shards move no earlier one: a worker keeps its reference.
  for (int i = 0; i < 100; ++i) shards.Add("more");
  second.count = 2;
  const std::vector<Counter*> all = shards.All();
  ASSERT_EQ(all.size(), 102u);
  EXPECT_EQ(all[0], &first);
  EXPECT_EQ(all[0]->count, 1);
  EXPECT_EQ(all[1]->name, "second");
  EXPECT_EQ(all[1]->count, 2);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(all[2]) % 64, 0u);  // a cache line each
}

}  // namespace
}  // namespace gatehouse::runtime

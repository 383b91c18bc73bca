#include "plan/zone_plan.h"

#include <memory>

#include "gtest/gtest.h"

namespace gatehouse::plan {
namespace {

struct Block : ActionConfigOf<Block> {
  int status = 403;
};
struct Log : ActionConfigOf<Log> {};

TEST(ActionConfigTest, ARuleTellsItsProductsActionsApartByTheirTag) {
  CompiledRule block{"b", "block", nullptr, std::make_shared<const Block>()};
  CompiledRule log{"l", "log", nullptr, std::make_shared<const Log>()};
  ASSERT_NE(block.action_if<Block>(), nullptr);
  EXPECT_EQ(block.action_if<Block>()->status, 403);
  EXPECT_EQ(block.action_if<Log>(), nullptr);
  EXPECT_EQ(log.action_if<Block>(), nullptr);
  EXPECT_NE(log.action_if<Log>(), nullptr);
  // A copy keeps its type's tag.
  const Block copy = block.action_as<Block>();
  EXPECT_EQ(copy.As<Block>(), &copy);
}

}  // namespace
}  // namespace gatehouse::plan

#include "rules/scheme.h"

#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

TEST(SchemeTest, EveryFieldIdHasItsOwnNameBothWays) {
  ASSERT_EQ(AllFields().size(), static_cast<size_t>(kFieldCount));
  for (int i = 0; i < kFieldCount; ++i) {
    const auto id = static_cast<FieldId>(i);
    const std::string_view name = FindFieldName(id);
    const FieldDefinition* field = FindField(name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_EQ(field->id, id) << name;
  }
  EXPECT_EQ(FindFieldName(FieldId::kTimestampSec), "http.request.timestamp.sec");
  EXPECT_EQ(FindFieldName(FieldId::kTrue), "true");
}

}  // namespace
}  // namespace gatehouse::rules

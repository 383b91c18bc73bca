#include "rules/json_lookup.h"

#include <string>

#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

TEST(JsonLookupTest, WalksObjectsAndArrays) {
  std::string json = R"( {"a": {"b": [10, "x", {"c": "d\"e\n"}], "n": -5}, "s": true} )";
  EXPECT_EQ(LookupJsonString(json, {std::string("a"), std::string("b"), int64_t{2}, std::string("c")}),
            "d\"e\n");
  EXPECT_EQ(LookupJsonString(json, {std::string("a"), std::string("b"), int64_t{1}}), "x");
  EXPECT_EQ(LookupJsonInteger(json, {std::string("a"), std::string("b"), int64_t{0}}), 10);
  EXPECT_EQ(LookupJsonInteger(json, {std::string("a"), std::string("n")}), -5);
}

TEST(JsonLookupTest, WrongTypesAndMissingPathsAreNullopt) {
  std::string json = R"({"a": [1.5, "2", 1e3, 99999999999999999999], "b": {}})";
  EXPECT_EQ(LookupJsonInteger(json, {std::string("a"), int64_t{0}}), std::nullopt);
  EXPECT_EQ(LookupJsonInteger(json, {std::string("a"), int64_t{1}}), std::nullopt);
  EXPECT_EQ(LookupJsonInteger(json, {std::string("a"), int64_t{2}}), std::nullopt);
  EXPECT_EQ(LookupJsonInteger(json, {std::string("a"), int64_t{3}}), std::nullopt);
  EXPECT_EQ(LookupJsonString(json, {std::string("a"), int64_t{9}}), std::nullopt);
  EXPECT_EQ(LookupJsonString(json, {std::string("b"), std::string("x")}), std::nullopt);
  EXPECT_EQ(LookupJsonString(json, {std::string("a"), int64_t{-1}}), std::nullopt);
  EXPECT_EQ(LookupJsonString("not json", {std::string("a")}), std::nullopt);
  EXPECT_EQ(LookupJsonString(R"({"a": "unterminated)", {std::string("a")}), std::nullopt);
}

TEST(JsonLookupTest, DeepNestingIsRejectedNotRecursedInto) {
  std::string deep = "{\"skip\": " + std::string(100000, '[') + ", \"a\": \"x\"}";
  EXPECT_EQ(LookupJsonString(deep, {std::string("a")}), std::nullopt);
}

}  // namespace
}  // namespace gatehouse::rules

#include "compiler/zone_config_json.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace gatehouse::compiler {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(ZoneConfigJsonTest, ParsesTheExampleZone) {
  const auto config = ParseZoneConfigJson(ReadFile("examples/zone.json"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->zone(), "example.com");
  ASSERT_EQ(config->origins_size(), 2);
  EXPECT_EQ(config->origins(1).servers(0), "127.0.0.1:9002");
  ASSERT_EQ(config->rulesets_size(), 3);
  const auto& block = config->rulesets(0).rules(0);
  EXPECT_EQ(block.action(), "block");
  EXPECT_TRUE(block.has_enabled());
  // Parameters stay a JSON object here; the action's product reads them as its own message.
  EXPECT_EQ(block.action_parameters().fields().at("response").struct_value().fields().at(
                "status_code").number_value(),
            403);
  EXPECT_EQ(config->rulesets(1).rules(0).action_parameters().fields().at("host_header")
                .string_value(),
            "api.internal");
  EXPECT_FALSE(config->rulesets(1).rules(0).has_enabled());
}

TEST(ZoneConfigJsonTest, RejectsUnknownFieldByName) {
  const auto config = ParseZoneConfigJson(R"({"zone": "a.com", "hostnamez": ["a.com"]})");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("hostnamez"), std::string::npos) << config.status();
}

TEST(ZoneConfigJsonTest, AnUnknownFieldNamesTheValidOnes) {
  const auto config = ParseZoneConfigJson(
      R"({"zone": "a.com", "rulesets": [{"rules": [{"actoin": "block"}]}]})");
  ASSERT_FALSE(config.ok());
  const std::string message(config.status().message());
  EXPECT_NE(message.find("rulesets[0].rules[0]: unknown field \"actoin\"; the fields here are: "),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("action_parameters"), std::string::npos) << message;
  const auto top = ParseZoneConfigJson(R"({"zone": "a.com", "hostnamez": ["a.com"]})");
  EXPECT_NE(top.status().message().find("unknown field \"hostnamez\"; the fields here are: zone, "
                                        "hostnames"),
            std::string::npos)
      << top.status();
}

TEST(ZoneConfigJsonTest, RejectsMalformedJson) {
  EXPECT_FALSE(ParseZoneConfigJson(R"({"zone": )").ok());
  EXPECT_FALSE(ParseZoneConfigJson(R"({"zone": 5})").ok());
}

TEST(ZoneConfigJsonTest, CanonicalJsonRoundTrips) {
  const auto config = ParseZoneConfigJson(ReadFile("examples/zone.json"));
  ASSERT_TRUE(config.ok());
  const auto again = ParseZoneConfigJson(ZoneConfigToJson(*config));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ZoneConfigToJson(*again), ZoneConfigToJson(*config));
}

}  // namespace
}  // namespace gatehouse::compiler

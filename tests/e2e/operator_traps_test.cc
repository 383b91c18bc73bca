// Operator mistakes get one line that says what is wrong and how to fix it, at start rather than
// later (issue 12, item 7).
#include <filesystem>

#include "gtest/gtest.h"
#include "tests/support/binaries.h"
#include "tests/support/proxy_process.h"

namespace gatehouse::testing {
namespace {

CommandResult RunBounded(std::vector<std::string> argv) {
  // Anything that starts when it should refuse is killed at the deadline and fails.
  return RunCommand(argv, std::chrono::seconds(10));
}

void ExpectOneLine(const CommandResult& result, int exit_code, const std::string& reason) {
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, exit_code) << result.err;
  EXPECT_NE(result.err.find(reason), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
  EXPECT_EQ(result.err.find("libprotobuf"), std::string::npos) << result.err;
}

TEST(OperatorTrapsTest, ProxyChecksItsFlagsAtStart) {
  const std::string file = UniqueTestPath("not-a-dir");
  WriteFile(file, "x");
  ExpectOneLine(
      RunBounded({kProxyBinary, "--listen=127.0.0.1:0", "--admin=", "--state-dir=" + file}), 2,
      "is not a directory");
  ExpectOneLine(RunBounded({kProxyBinary, "--listen=127.0.0.1:0", "--admin=", "--workers=0",
                     "--state-dir=" + UniqueTestPath("state")}),
                2, "--workers must be from 1");
  ExpectOneLine(RunBounded({kProxyBinary, "--bogus"}), 2, "unknown flag");
  // A missing state directory is created at start, with its parents.
  const std::string snapshot = UniqueTestPath("served") + ".snapshot";
  ASSERT_EQ(CompileSnapshot({R"({"zone": "a.com", "hostnames": ["a.com"],
      "origins": [{"name": "o", "servers": ["127.0.0.1:9"]}]})"},
                            snapshot)
                .exit_code,
            0);
  const std::string state = UniqueTestPath("missing") + "/state";
  auto proxy = StartProxy({"--snapshot-file=" + snapshot, "--state-dir=" + state});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  EXPECT_TRUE(std::filesystem::is_directory(state));
}

TEST(OperatorTrapsTest, GatectlSaysWhatIsWrongInOneLine) {
  ExpectOneLine(RunBounded({kGatectlBinary, "bogus"}), 2, "unknown command \"bogus\"");
  ExpectOneLine(RunBounded({kGatectlBinary}), 2, "no command given");
  ExpectOneLine(RunBounded({kGatectlBinary, "push"}), 2, "usage: gatectl push FILE.json");
  ExpectOneLine(RunBounded({kGatectlBinary, "--bogus", "zones"}), 2, "unknown flag");
  ExpectOneLine(RunBounded({kGatectlBinary, "push", UniqueTestPath("nope.json")}), 2,
                "cannot read");

  // A snapshot file pushed as a config: named for what it is, no protobuf noise.
  const std::string snapshot = UniqueTestPath("pushed") + ".snapshot";
  ASSERT_EQ(CompileSnapshot({R"({"zone": "a.com", "hostnames": ["a.com"],
      "origins": [{"name": "o", "servers": ["127.0.0.1:9"]}]})"},
                            snapshot)
                .exit_code,
            0);
  ExpectOneLine(RunBounded({kGatectlBinary, "--addr=127.0.0.1:1", "push", snapshot}), 2,
                "is a snapshot file (from gatectl compile), not a zone config");
  const std::string binary = UniqueTestPath("binary.json");
  WriteFile(binary, std::string("{\"zone\": \"\xff\xfe\"}"));
  ExpectOneLine(RunBounded({kGatectlBinary, "validate", binary}), 2, "is not a JSON zone config");

  // An unknown action_parameters field names the valid ones.
  const std::string config = UniqueTestPath("params.json");
  WriteFile(config, R"({"zone": "a.com", "hostnames": ["a.com"],
    "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}],
    "rulesets": [{"phase": "http_request_origin", "rules": [{"id": "r", "expression": "true",
      "action": "route", "action_parameters": {"origin": "app", "hostheader": "x"}}]}]})");
  const auto validated = RunBounded({kGatectlBinary, "validate", config});
  EXPECT_EQ(validated.exit_code, 1);
  EXPECT_NE(validated.err.find("unknown field \"hostheader\"; the fields here are:"),
            std::string::npos)
      << validated.err;
  EXPECT_NE(validated.err.find("host_header"), std::string::npos) << validated.err;
}

}  // namespace
}  // namespace gatehouse::testing

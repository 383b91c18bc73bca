// How the real control plane starts, or refuses to: authentication is never off by accident, and
// a second instance on a busy port fails instead of sharing it.
#include <cstdlib>

#include "gtest/gtest.h"
#include "tests/support/binaries.h"
#include "tests/support/control_plane.h"

namespace gatehouse::testing {
namespace {

CommandResult RunControl(std::vector<std::string> flags) {
  std::vector<std::string> argv = {kControlBinary, "--data-dir="};
  argv.insert(argv.end(), flags.begin(), flags.end());
  // A control plane that starts when it should not would run forever: the deadline fails it.
  return RunCommand(argv, std::chrono::seconds(10));
}

void ExpectRefused(const CommandResult& result, const std::string& reason) {
  EXPECT_FALSE(result.timed_out) << "started when it should have refused";
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(reason), std::string::npos) << result.err;
  // One line that says what is wrong.
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
}

TEST(ControlStartupTest, AnEmptyAdminTokenIsAnError) {
  setenv("GATEHOUSE_ADMIN_TOKEN", "", 1);
  ExpectRefused(RunControl({"--listen=127.0.0.1:0"}), "GATEHOUSE_ADMIN_TOKEN is set but empty");
  setenv("GATEHOUSE_ADMIN_TOKEN", "  \n", 1);
  ExpectRefused(RunControl({"--listen=127.0.0.1:0"}), "GATEHOUSE_ADMIN_TOKEN is set but empty");
  unsetenv("GATEHOUSE_ADMIN_TOKEN");
  ExpectRefused(RunControl({"--listen=127.0.0.1:0",
                            "--admin-token-file=" + WriteTempFile("empty-token", "\n")}),
                "is empty");
}

TEST(ControlStartupTest, NoAuthenticationOnlyWhenAskedAndOnLoopback) {
  unsetenv("GATEHOUSE_ADMIN_TOKEN");
  ExpectRefused(RunControl({"--listen=127.0.0.1:0"}), "--insecure-no-auth");
  ExpectRefused(RunControl({"--listen=0.0.0.0:0", "--insecure-no-auth"}),
                "--insecure-no-auth is refused with --listen=0.0.0.0:0");
  ExpectRefused(RunControl({"--listen=127.0.0.1:0", "--insecure-no-auth",
                            "--admin-token-file=" + WriteTempFile("token", "secret\n")}),
                "contradicts");
}

TEST(ControlStartupTest, ASecondInstanceOnABusyPortFails) {
  ControlPlane first;
  ASSERT_TRUE(first.Start({}).ok());
  const CommandResult second =
      RunControl({"--listen=" + first.address(), "--insecure-no-auth"});
  EXPECT_FALSE(second.timed_out) << "a second control plane shares the port";
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.err.find("address already in use"), std::string::npos) << second.err;
  // The first one still answers.
  EXPECT_EQ(first.Gatectl({"zones"}).exit_code, 0);
}

}  // namespace
}  // namespace gatehouse::testing

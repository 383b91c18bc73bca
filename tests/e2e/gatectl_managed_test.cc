// `gatectl managed list` and `gatectl managed show` against the real control plane, which imports
// Debian's OWASP CRS at start (ConfigService's ListManagedRulesets / GetManagedRuleset, with its
// tokens' permissions), and file-only with --crs-dir, which must print the same.
#include "gtest/gtest.h"
#include "tests/support/binaries.h"
#include "tests/support/control_plane.h"

namespace gatehouse::testing {
namespace {

constexpr char kAdmin[] = "the-admin-token";
constexpr char kCrsDir[] = "/usr/share/modsecurity-crs/rules";
// Every gatectl call here gives up after this long.
constexpr char kTimeout[] = "--timeout-ms=5000";

class GatectlManagedTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(control_.Start({kAdmin, {}}).ok()); }

  CommandResult Managed(std::vector<std::string> args, const std::string& token) {
    args.insert(args.begin(), {kTimeout, "managed"});
    return control_.Gatectl(args, token);
  }

  // The same command, file-only: no control plane is asked (its address is not even given).
  static CommandResult ManagedFromFiles(std::vector<std::string> args) {
    std::vector<std::string> argv = {kGatectlBinary, "--addr=127.0.0.1:1", kTimeout,
                                     std::string("--crs-dir=") + kCrsDir, "managed"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, std::chrono::seconds(20));
  }

  std::string Token(const std::string& permission) {
    const auto created = control_.Gatectl(
        {kTimeout, "tokens", "create", "--permission", permission, "--zone", "a.com"}, kAdmin);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return created.out.substr(0, created.out.find('\n'));
  }

  ControlPlane control_;
};

TEST_F(GatectlManagedTest, ListsTheRulesetTheControlPlaneImported) {
  const auto listed = Managed({"list"}, kAdmin);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.find("owasp-crs  OWASP_CRS/3.3"), 0u) << listed.out;
  EXPECT_NE(listed.out.find(" digest "), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(" left out, "), std::string::npos) << listed.out;
  const auto json = Managed({"list", "--json"}, kAdmin);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"rulesets\":[{\"id\":\"owasp-crs\""), std::string::npos) << json.out;
  // File-only, the same ruleset (same version and digest).
  const auto local = ManagedFromFiles({"list", "--json"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(local.out, json.out);
}

TEST_F(GatectlManagedTest, ShowsRulesAndWhatWasLeftOutTheSameFromEitherSource) {
  const std::string reader = Token("read");
  const auto shown = Managed({"show", "owasp-crs", "--paranoia-level", "1"}, reader);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const std::string& text = shown.out;
  EXPECT_NE(text.find("rules at paranoia level 1 ("), std::string::npos) << text;
  // A rule with its phase, level, category, severity, file:line and tags.
  EXPECT_NE(text.find("  942100  2     1   attack-sqli              CRITICAL  "
                      "REQUEST-942-APPLICATION-ATTACK-SQLI.conf:"),
            std::string::npos)
      << text;
  // 942130 runs from paranoia level 2 only.
  EXPECT_EQ(text.find("  942130  2 "), std::string::npos) << text;
  // Left out, and adjusted, each with file:line and why.
  EXPECT_NE(text.find("\nleft out ("), std::string::npos) << text;
  EXPECT_NE(text.find("  910100  REQUEST-910-IP-REPUTATION.conf:"), std::string::npos) << text;
  EXPECT_NE(text.find("@geoLookup"), std::string::npos) << text;
  EXPECT_NE(text.find("\nadjusted ("), std::string::npos) << text;
  EXPECT_NE(text.find("  942130  REQUEST-942-APPLICATION-ATTACK-SQLI.conf:"), std::string::npos)
      << text;

  const auto all = Managed({"show", "owasp-crs"}, reader);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("  942130  2     2   attack-sqli"), std::string::npos) << all.out;

  // The control plane's answer and gatectl's own import of the same files agree byte for byte.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"show", "owasp-crs", "--json"},
        std::vector<std::string>{"show", "owasp-crs", "--json", "--paranoia-level", "3"}}) {
    const auto remote = Managed(args, reader);
    const auto local = ManagedFromFiles(args);
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    ASSERT_EQ(local.exit_code, 0) << local.err;
    EXPECT_EQ(remote.out, local.out);
    EXPECT_NE(remote.out.find("\"omitted\":[{\"id\":\"910000\""), std::string::npos);
  }
}

TEST_F(GatectlManagedTest, TokensAndIdsAreChecked) {
  const auto unknown = Managed({"show", "owasp-crs-9"}, kAdmin);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown managed ruleset \"owasp-crs-9\"; available: owasp-crs"),
            std::string::npos)
      << unknown.err;
  const auto unknown_local = ManagedFromFiles({"show", "owasp-crs-9"});
  EXPECT_EQ(unknown_local.exit_code, 1);
  EXPECT_EQ(unknown_local.err, unknown.err);

  const auto anonymous = Managed({"list"}, "");
  EXPECT_EQ(anonymous.exit_code, 1) << anonymous.err;
  const auto node = Managed({"list"}, Token("watch"));
  EXPECT_EQ(node.exit_code, 1) << node.err;
  EXPECT_NE(node.err.find("a node token may only watch snapshots"), std::string::npos)
      << node.err;
  EXPECT_EQ(Managed({"list"}, Token("edit")).exit_code, 0);

  const auto usage = Managed({"show"}, kAdmin);
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(Managed({"show", "owasp-crs", "--paranoia-level", "5"}, kAdmin).exit_code, 2);
}

}  // namespace
}  // namespace gatehouse::testing

#include "seclang/ruleset_loader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "seclang/data_file.h"
#include "seclang/package_version.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

// A fresh directory under the test's temporary directory.
class RulesetLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    root_ = fs::path(tmp != nullptr ? tmp : "/tmp") /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_ / "rules");
  }

  void Write(const std::string& relative, const std::string& text) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

  CrsLoadOptions Options() const {
    CrsLoadOptions options;
    options.setup_file = (root_ / "crs-setup.conf").string();
    options.rules_dir = (root_ / "rules").string();
    options.dpkg_dir = (root_ / "dpkg").string();
    return options;
  }

  void WriteSmallCrs() {
    Write("crs-setup.conf",
          "SecDefaultAction \"phase:1,log,auditlog,pass\"\n"
          "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=1\"\n");
    Write("rules/REQUEST-901-INITIALIZATION.conf",
          "SecComponentSignature \"OWASP_CRS/3.3.4\"\n"
          "SecRule &TX:paranoia_level \"@eq 0\" \"id:901120,phase:1,pass,nolog,"
          "setvar:tx.paranoia_level=1\"\n");
    Write("rules/REQUEST-913-SCANNER-DETECTION.conf",
          "SecRule REQUEST_HEADERS:User-Agent \"@pmFromFile scanners-user-agents.data\" "
          "\"id:913100,phase:2,block,skipAfter:END\"\n"
          "SecMarker END\n");
    Write("rules/scanners-user-agents.data",
          "# comment\n\n  nikto  \r\nsqlmap\n   # indented comment\narachni\n");
    Write("rules/README.txt", "not a rule file");
  }

  fs::path root_;
};

TEST_F(RulesetLoaderTest, LoadsSetupThenRuleFilesInOrderWithDataFiles) {
  WriteSmallCrs();
  absl::StatusOr<LoadedRuleset> ruleset = LoadCrs(Options());
  ASSERT_TRUE(ruleset.ok()) << ruleset.status();
  ASSERT_EQ(ruleset->files.size(), 3u);
  EXPECT_EQ(ruleset->files[0].name, "crs-setup.conf");
  EXPECT_EQ(ruleset->files[1].name, "REQUEST-901-INITIALIZATION.conf");
  EXPECT_EQ(ruleset->files[2].name, "REQUEST-913-SCANNER-DETECTION.conf");
  ASSERT_EQ(ruleset->directives.size(), 6u);
  EXPECT_EQ(ruleset->directives[0].name(), "SecDefaultAction");
  EXPECT_EQ(ruleset->directives[4].rule_id(), 913100);
  EXPECT_THAT(ruleset->directives[4].location().file, HasSubstr("REQUEST-913"));
  ASSERT_TRUE(ruleset->data_files.contains("scanners-user-agents.data"));
  EXPECT_THAT(ruleset->data_files.at("scanners-user-agents.data").entries,
              ElementsAre("nikto", "sqlmap", "arachni"));
  EXPECT_EQ(ruleset->component_signature, "OWASP_CRS/3.3.4");
  EXPECT_EQ(ruleset->version, "OWASP_CRS/3.3.4");  // no dpkg here
  EXPECT_EQ(ruleset->digest.size(), 64u);
}

TEST_F(RulesetLoaderTest, DigestFollowsContentNotLocation) {
  WriteSmallCrs();
  const std::string first = LoadCrs(Options())->digest;
  EXPECT_EQ(LoadCrs(Options())->digest, first);
  Write("rules/scanners-user-agents.data", "nikto\n");
  const std::string data_changed = LoadCrs(Options())->digest;
  EXPECT_NE(data_changed, first);
  Write("rules/REQUEST-901-INITIALIZATION.conf", "SecComponentSignature \"OWASP_CRS/3.3.5\"\n");
  EXPECT_NE(LoadCrs(Options())->digest, data_changed);
}

TEST_F(RulesetLoaderTest, PackageVersionFromDpkg) {
  WriteSmallCrs();
  Write("dpkg/info/modsecurity-crs.list",
        "/.\n/usr\n" + fs::canonical(root_ / "rules").string() + "\n");
  Write("dpkg/status",
        "Package: other\nStatus: install ok installed\nVersion: 1\n\n"
        "Package: modsecurity-crs\nStatus: install ok installed\nPriority: optional\n"
        "Version: 3.3.4-1+deb12u3\nDescription: x\n\n");
  absl::StatusOr<LoadedRuleset> ruleset = LoadCrs(Options());
  ASSERT_TRUE(ruleset.ok()) << ruleset.status();
  EXPECT_EQ(ruleset->package_version, "3.3.4-1+deb12u3");
  EXPECT_EQ(ruleset->version, "OWASP_CRS/3.3.4 (modsecurity-crs 3.3.4-1+deb12u3)");
}

TEST_F(RulesetLoaderTest, ErrorsOfEveryFileAreReportedWithLocations) {
  WriteSmallCrs();
  Write("rules/REQUEST-920-X.conf",
        "SecRule ARGS \"@rx a\" \"id:913100,phase:2,pass\"\n"  // duplicate id
        "SecRule ARGS \"@rx a\" \"id:920001,phase:2,pass,skipAfter:NOWHERE\"\n"
        "SecRule ARGS \"@pmFromFile missing.data\" \"id:920002,phase:2,pass\"\n"
        "SecRule ARGS \"@rx a\" \"id:920003,phase:2,blok\"\n"
        "Include other.conf\n");
  absl::StatusOr<LoadedRuleset> ruleset = LoadCrs(Options());
  ASSERT_FALSE(ruleset.ok());
  const std::string message(ruleset.status().message());
  EXPECT_THAT(message, HasSubstr("5 problems loading the ruleset"));
  EXPECT_THAT(message, HasSubstr("REQUEST-920-X.conf:4:41: error: unknown action \"blok\""));
  EXPECT_THAT(message, HasSubstr("REQUEST-920-X.conf:5:1: error: Include in a CRS file"));
  EXPECT_THAT(message, HasSubstr("REQUEST-920-X.conf:1:1: error: duplicate rule id 913100: first "
                                 "defined at "));
  EXPECT_THAT(message, HasSubstr("REQUEST-913-SCANNER-DETECTION.conf:1:1"));
  EXPECT_THAT(message,
              HasSubstr("REQUEST-920-X.conf:2:1: error: skipAfter:NOWHERE names no SecMarker"));
  EXPECT_THAT(message, HasSubstr("REQUEST-920-X.conf:3:27: error: cannot read the data file"));
  EXPECT_THAT(message, HasSubstr("SecRule ARGS \"@pmFromFile missing.data\""));  // the line
}

TEST_F(RulesetLoaderTest, MissingFilesAndDirectories) {
  CrsLoadOptions options = Options();
  options.rules_dir = (root_ / "nowhere").string();
  EXPECT_TRUE(absl::IsNotFound(LoadCrs(options).status()));
  EXPECT_TRUE(absl::IsNotFound(LoadCrs(Options()).status()));  // no *.conf
  Write("rules/REQUEST-901.conf", "SecMarker a\n");
  EXPECT_THAT(LoadCrs(Options()).status().message(), HasSubstr("cannot read the file"));
}

TEST_F(RulesetLoaderTest, ConfigFollowsIncludesInPlace) {
  WriteSmallCrs();
  Write("main.conf",
        "SecRuleEngine DetectionOnly\n"
        "Include crs-setup.conf\n"
        "SecAction \"id:1,phase:1,pass,nolog\"\n"
        "Include rules/*.conf\n"
        "IncludeOptional optional/*.conf\n");
  absl::StatusOr<LoadedRuleset> ruleset =
      LoadSecLangConfig((root_ / "main.conf").string(), (root_ / "dpkg").string());
  ASSERT_TRUE(ruleset.ok()) << ruleset.status();
  ASSERT_EQ(ruleset->files.size(), 4u);
  EXPECT_EQ(ruleset->directives[0].name(), "SecRuleEngine");
  EXPECT_EQ(ruleset->directives[1].name(), "SecDefaultAction");  // from crs-setup.conf
  EXPECT_EQ(ruleset->directives[3].rule_id(), 1);
  EXPECT_EQ(ruleset->directives[4].name(), "SecComponentSignature");
  EXPECT_EQ(ruleset->component_signature, "OWASP_CRS/3.3.4");
}

TEST_F(RulesetLoaderTest, IncludeErrors) {
  Write("a.conf", "Include b.conf\nInclude none.conf\n");
  Write("b.conf", "Include a.conf\n");
  absl::StatusOr<LoadedRuleset> ruleset = LoadSecLangConfig((root_ / "a.conf").string(), "");
  ASSERT_FALSE(ruleset.ok());
  EXPECT_THAT(ruleset.status().message(), HasSubstr("b.conf:1:1: error: include cycle"));
  EXPECT_THAT(ruleset.status().message(), HasSubstr("a.conf:2:9: error: Include names no file"));
}

TEST(DataFileTest, EntriesAsModSecurity2ReadsThem) {
  EXPECT_THAT(DataFileEntries("a\r\n  b c  \n\n#x\n  #y\nd#e\n\tf"),
              ElementsAre("a", "b c", "d#e", "f"));
  EXPECT_THAT(DataFileEntries(""), ElementsAre());
}

TEST(PackageVersionTest, DpkgStatusStanzas) {
  const std::string status =
      "Package: modsecurity-crs\nStatus: deinstall ok config-files\nVersion: 3.3.0-1\n\n"
      "Package: modsecurity-crs-extra\nStatus: install ok installed\nVersion: 9\n\n"
      "Package: modsecurity-crs\nStatus: install ok installed\nVersion: 3.3.4-1+deb12u3\n";
  EXPECT_EQ(VersionInDpkgStatus(status, "modsecurity-crs"), "3.3.4-1+deb12u3");
  EXPECT_EQ(VersionInDpkgStatus(status.substr(0, 80), "modsecurity-crs"), std::nullopt);
  EXPECT_EQ(VersionInDpkgStatus(status, "nginx"), std::nullopt);
}

}  // namespace
}  // namespace gatehouse::seclang

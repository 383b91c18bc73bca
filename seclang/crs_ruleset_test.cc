// The installed CRS (Debian's modsecurity-crs 3.3.4, which tools/setup.sh installs), loaded as
// the control plane will load it: every file parses, rules land where they belong, and every
// operator and transformation the request rules use is one the managed WAF plans to support.
#include <filesystem>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "seclang/parser.h"
#include "seclang/ruleset_loader.h"
#include "common/file_util.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

const LoadedRuleset& Crs() {
  static const LoadedRuleset* crs = [] {
    absl::StatusOr<LoadedRuleset> loaded = LoadCrs();
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new LoadedRuleset(loaded.ok() ? *std::move(loaded) : LoadedRuleset{});
  }();
  return *crs;
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// Rules with an id (SecRule heads, SecActions) per file, counted from the package with grep
// (non-comment lines holding "id:N"): an independent count of what the parser must find.
struct FileCount {
  std::string_view file;
  int sec_rules;
  int sec_actions;
};
constexpr FileCount kCounts[] = {
    {"REQUEST-901-INITIALIZATION.conf", 30, 2},
    {"REQUEST-903.9001-DRUPAL-EXCLUSION-RULES.conf", 21, 2},
    {"REQUEST-903.9002-WORDPRESS-EXCLUSION-RULES.conf", 33, 1},
    {"REQUEST-903.9003-NEXTCLOUD-EXCLUSION-RULES.conf", 26, 0},
    {"REQUEST-903.9004-DOKUWIKI-EXCLUSION-RULES.conf", 11, 0},
    {"REQUEST-903.9005-CPANEL-EXCLUSION-RULES.conf", 3, 0},
    {"REQUEST-903.9006-XENFORO-EXCLUSION-RULES.conf", 39, 1},
    {"REQUEST-905-COMMON-EXCEPTIONS.conf", 2, 0},
    {"REQUEST-910-IP-REPUTATION.conf", 17, 1},
    {"REQUEST-911-METHOD-ENFORCEMENT.conf", 9, 0},
    {"REQUEST-912-DOS-PROTECTION.conf", 19, 0},
    {"REQUEST-913-SCANNER-DETECTION.conf", 13, 0},
    {"REQUEST-920-PROTOCOL-ENFORCEMENT.conf", 61, 0},
    {"REQUEST-921-PROTOCOL-ATTACK.conf", 22, 0},
    {"REQUEST-922-MULTIPART-ATTACK.conf", 5, 0},
    {"REQUEST-930-APPLICATION-ATTACK-LFI.conf", 12, 0},
    {"REQUEST-931-APPLICATION-ATTACK-RFI.conf", 12, 0},
    {"REQUEST-932-APPLICATION-ATTACK-RCE.conf", 23, 0},
    {"REQUEST-933-APPLICATION-ATTACK-PHP.conf", 24, 0},
    {"REQUEST-934-APPLICATION-ATTACK-NODEJS.conf", 9, 0},
    {"REQUEST-941-APPLICATION-ATTACK-XSS.conf", 38, 0},
    {"REQUEST-942-APPLICATION-ATTACK-SQLI.conf", 57, 0},
    {"REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION.conf", 11, 0},
    {"REQUEST-944-APPLICATION-ATTACK-JAVA.conf", 17, 0},
    {"REQUEST-949-BLOCKING-EVALUATION.conf", 14, 0},
    {"RESPONSE-950-DATA-LEAKAGES.conf", 11, 0},
    {"RESPONSE-951-DATA-LEAKAGES-SQL.conf", 25, 0},
    {"RESPONSE-952-DATA-LEAKAGES-JAVA.conf", 10, 0},
    {"RESPONSE-953-DATA-LEAKAGES-PHP.conf", 11, 0},
    {"RESPONSE-954-DATA-LEAKAGES-IIS.conf", 12, 0},
    {"RESPONSE-959-BLOCKING-EVALUATION.conf", 13, 0},
    {"RESPONSE-980-CORRELATION.conf", 14, 2},
};

TEST(CrsRulesetTest, LoadsWithVersionAndDigest) {
  const LoadedRuleset& crs = Crs();
  EXPECT_EQ(crs.component_signature, "OWASP_CRS/3.3.4");
  // Debian's package version, from dpkg.
  EXPECT_THAT(crs.version, StartsWith("OWASP_CRS/3.3.4 (modsecurity-crs 3.3.4-"));
  EXPECT_EQ(crs.digest.size(), 64u);
  EXPECT_EQ(crs.files.size(), std::size(kCounts) + 1);  // + crs-setup.conf
  EXPECT_EQ(crs.files[0].name, "crs-setup.conf");
}

TEST(CrsRulesetTest, RuleCountsPerFile) {
  std::map<std::string, std::pair<int, int>> found;
  for (const Directive& directive : Crs().directives) {
    const std::string file = BaseName(directive.location().file);
    if (std::holds_alternative<SecRule>(directive.body)) {
      ASSERT_TRUE(directive.rule_id().has_value()) << directive.location().ToString();
      ++found[file].first;
    } else if (std::holds_alternative<SecAction>(directive.body)) {
      ++found[file].second;
    }
  }
  for (const FileCount& count : kCounts) {
    const std::string file(count.file);
    EXPECT_EQ(found[file].first, count.sec_rules) << file;
    EXPECT_EQ(found[file].second, count.sec_actions) << file;
  }
}

// What the managed WAF supports (issue 15), plus @geoLookup and @rbl of the IP reputation
// rules (910), which it lists as not supported.
const std::set<std::string> kRequestOperators = {
    "rx", "pm", "pmfromfile", "eq", "ge", "gt", "lt", "le", "streq", "contains", "beginswith",
    "endswith", "within", "ipmatch", "validatebyterange", "validateurlencoding",
    "validateutf8encoding", "detectsqli", "detectxss", "geolookup", "rbl"};
const std::set<std::string> kRequestTransformations = {
    "urlDecodeUni", "urlDecode", "lowercase", "htmlEntityDecode", "utf8toUnicode", "removeNulls",
    "jsDecode", "cssDecode", "cmdLine", "compressWhitespace", "removeWhitespace",
    "normalizePath", "normalisePath", "normalizePathWin", "replaceComments", "length", "sha1",
    "hexEncode", "base64Decode", "none"};

void CheckRequestRule(const SecRule& rule, std::set<std::string>* operators,
                      std::set<std::string>* transformations) {
  EXPECT_TRUE(kRequestOperators.contains(rule.op.name))
      << rule.op.name << " at " << rule.location.ToString();
  operators->insert(rule.op.name);
  for (const RawAction& action : rule.actions.raw) {
    if (action.kind != ActionKind::kTransformation) continue;
    EXPECT_TRUE(kRequestTransformations.contains(*action.value))
        << *action.value << " at " << action.location.ToString();
    transformations->insert(*action.value);
  }
}

TEST(CrsRulesetTest, RequestRulesUseKnownOperatorsAndTransformations) {
  std::set<std::string> operators;
  std::set<std::string> transformations;
  for (const Directive& directive : Crs().directives) {
    if (!BaseName(directive.location().file).starts_with("REQUEST-")) continue;
    const auto* rule = std::get_if<SecRule>(&directive.body);
    if (rule == nullptr) continue;
    CheckRequestRule(*rule, &operators, &transformations);
    for (const SecRule& link : rule->chain) CheckRequestRule(link, &operators, &transformations);
  }
  // Every one but @le and @beginsWith is used: the list is not larger than CRS needs.
  std::set<std::string> unused;
  for (const std::string& op : kRequestOperators) {
    if (!operators.contains(op)) unused.insert(op);
  }
  EXPECT_THAT(unused, ElementsAre("beginswith", "le"));
  EXPECT_EQ(transformations, kRequestTransformations);
}

const SecRule* FindRule(int64_t id) {
  for (const Directive& directive : Crs().directives) {
    if (directive.rule_id() == id) return std::get_if<SecRule>(&directive.body);
  }
  return nullptr;
}

TEST(CrsRulesetTest, ChainsAttachToTheirHeads) {
  // 920180: POST without Content-Length or Transfer-Encoding, a head and three links.
  const SecRule* rule = FindRule(920180);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->op.name, "within");
  EXPECT_TRUE(rule->op.negated);
  ASSERT_EQ(rule->chain.size(), 3u);
  EXPECT_EQ(rule->chain[0].variables[0].collection, "REQUEST_METHOD");
  EXPECT_EQ(rule->chain[0].op.argument, "POST");
  EXPECT_EQ(rule->chain[1].variables[0].selector.value, "Content-Length");
  EXPECT_TRUE(rule->chain[1].variables[0].count);
  EXPECT_EQ(rule->chain[2].variables[0].selector.value, "Transfer-Encoding");
  EXPECT_EQ(rule->chain[2].actions.setvars[0].name, "anomaly_score_pl1");
  EXPECT_EQ(rule->actions.severity, 4);  // WARNING, on the head

  // Every chain: links without id, `chain` on every link but the last.
  int links = 0;
  for (const Directive& directive : Crs().directives) {
    const auto* head = std::get_if<SecRule>(&directive.body);
    if (head == nullptr) continue;
    EXPECT_EQ(head->actions.chain, !head->chain.empty()) << head->location.ToString();
    for (size_t i = 0; i < head->chain.size(); ++i) {
      const SecRule& link = head->chain[i];
      ++links;
      EXPECT_FALSE(link.actions.id.has_value());
      EXPECT_EQ(link.actions.chain, i + 1 < head->chain.size()) << link.location.ToString();
      EXPECT_TRUE(link.chain.empty());
    }
  }
  EXPECT_EQ(links, 166);
}

TEST(CrsRulesetTest, DataFilesAreRead) {
  const LoadedRuleset& crs = Crs();
  std::set<std::string> names;
  for (const auto& [name, data] : crs.data_files) {
    names.insert(name);
    EXPECT_FALSE(data.entries.empty()) << name;
  }
  // Every .data file of the package but iis-errors.data, which no rule names (954's rules
  // carry their IIS patterns inline).
  EXPECT_EQ(names.size(), 19u);
  const DataFile& agents = crs.data_files.at("scanners-user-agents.data");
  std::string text;
  ASSERT_TRUE(ReadFile("/usr/share/modsecurity-crs/rules/scanners-user-agents.data", &text));
  EXPECT_EQ(agents.content, text);
  EXPECT_THAT(std::vector<std::string>(agents.entries.begin(), agents.entries.begin() + 2),
              ElementsAre("(hydra)", ".nasl"));
}

// The other configuration files of the machine parse too.
TEST(CrsRulesetTest, OtherInputsParseWithoutErrors) {
  for (const char* path : {"/etc/nginx/modsecurity.conf", "/etc/modsecurity/crs/crs-setup.conf",
                           "/etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf",
                           "/etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf"}) {
    std::string text;
    ASSERT_TRUE(ReadFile(path, &text)) << path;
    absl::StatusOr<ConfigFile> file = ParseSecLang(text, path);
    EXPECT_TRUE(file.ok()) << file.status();
  }
}

// The libmodsecurity baseline's engine configuration: its Includes are directives; loading it
// with includes followed reads nginx's modsecurity.conf, the setup file and every rule file.
TEST(CrsRulesetTest, BaselineConfigurationWithIncludes) {
  const std::string path = "/work/shared/tools/modsec-baseline/crs-3.3.4-test.conf";
  std::string text;
  if (!ReadFile(path, &text)) GTEST_SKIP() << path << " is not on this machine";
  absl::StatusOr<ConfigFile> file = ParseSecLang(text, path);
  ASSERT_TRUE(file.ok()) << file.status();
  int includes = 0;
  for (const Directive& directive : file->directives) includes += directive.name() == "Include";
  EXPECT_EQ(includes, 3);
  absl::StatusOr<LoadedRuleset> loaded = LoadSecLangConfig(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->files.size(), Crs().files.size() + 2);
  EXPECT_EQ(loaded->version, Crs().version);
}

}  // namespace
}  // namespace gatehouse::seclang

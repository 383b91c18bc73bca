#include "rules/phase_matcher.h"

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"
#include "rules/scratch.h"
#include "rules/test_request.h"

namespace gatehouse::rules {
namespace {

TEST(PhaseMatcherTest, SkipsRulesWhoseAtomsMissAndKeepsOrder) {
  ExpressionCompiler compiler = *ExpressionCompiler::Create({}, Limits(), nullptr);
  std::vector<std::string> sources = {
      "starts_with(http.request.uri.path, \"/admin\")",
      "http.user_agent matches \"(?i)curl/\\\\d\"",
      "not ssl",
      "http.host eq \"a.example\" or http.request.uri.query contains \"debug=1\"",
      "http.request.uri.path contains \"/api/\" and http.request.method eq \"POST\"",
  };
  std::vector<PhaseRule> rules;
  for (const std::string& s : sources) {
    std::vector<Diagnostic> d;
    rules.push_back(compiler.CompileRule(s, "http_request_firewall_custom", &d));
    ASSERT_NE(rules.back().filter, nullptr) << s;
  }
  auto matcher = *PhaseMatcher::Build(rules);
  EXPECT_EQ(matcher->rule_count(), 5u);
  EXPECT_EQ(matcher->prefiltered_rule_count(), 4u);

  TestRequest r;
  r.scheme = "https";
  r.target = "/admin/api/x?debug=1";
  r.headers = {{"User-Agent", "CURL/8.1"}};
  Scratch scratch;
  Evaluation evaluation(r.data(), scratch);
  std::vector<size_t> matched;
  matcher->MatchAll(evaluation, &matched);
  EXPECT_EQ(matched, (std::vector<size_t>{0, 1, 3}));
  EXPECT_EQ(matcher->FirstMatch(evaluation), 0u);

  TestRequest other;
  other.scheme = "http";
  other.target = "/";
  Evaluation other_evaluation(other.data(), scratch);
  matched.clear();
  matcher->MatchAll(other_evaluation, &matched);
  EXPECT_EQ(matched, (std::vector<size_t>{2}));
}

TEST(PhaseMatcherTest, HeaderNamesAndClientAddressesPrefilterToo) {
  ExpressionCompiler compiler = *ExpressionCompiler::Create({}, Limits(), nullptr);
  std::vector<std::string> sources = {
      "http.request.headers[\"x-k1\"][0] eq \"v\"",
      "ip.src in {203.0.113.0/24 2001:db8::/32}",
      "http.request.headers[\"x-k2\"][0] ne \"v\" or ip.src eq 198.51.100.7",
  };
  std::vector<PhaseRule> rules;
  for (const std::string& s : sources) {
    rules.push_back(compiler.CompileRule(s, "http_request_firewall_custom", nullptr));
    ASSERT_NE(rules.back().filter, nullptr) << s;
  }
  auto matcher = *PhaseMatcher::Build(rules);
  EXPECT_EQ(matcher->prefiltered_rule_count(), 3u);
  const auto match = [&](TestRequest request) {
    Scratch scratch;
    Evaluation evaluation(request.data(), scratch);
    std::vector<size_t> matched;
    matcher->MatchAll(evaluation, &matched);
    return matched;
  };
  TestRequest none;
  none.client_ip = "192.0.2.1";
  none.headers = {{"X-K1", "other"}, {"Accept", "*/*"}};
  EXPECT_EQ(match(none), std::vector<size_t>{});
  TestRequest all;
  all.client_ip = "203.0.113.9";
  all.headers = {{"X-K1", "v"}, {"x-k2", "w"}};
  EXPECT_EQ(match(all), (std::vector<size_t>{0, 1, 2}));
  TestRequest v6;
  v6.client_ip = "2001:db8::5";
  EXPECT_EQ(match(v6), std::vector<size_t>{1});
  TestRequest exact;
  exact.client_ip = "198.51.100.7";
  EXPECT_EQ(match(exact), std::vector<size_t>{2});
}

TEST(PhaseMatcherTest, RegexAtoms) {
  EXPECT_TRUE(PhaseMatcher::IsUsableRegexAtom("^/a+b"));
  EXPECT_FALSE(PhaseMatcher::IsUsableRegexAtom("a*"));           // matches the empty string
  EXPECT_FALSE(PhaseMatcher::IsUsableRegexAtom("(?i)caf\\xe9"));  // Latin-1 case folding
}

TEST(PhaseMatcherTest, SerialisedDatabasesAreReusedOnlyWhenTheyFit) {
  ExpressionCompiler compiler = *ExpressionCompiler::Create({}, Limits(), nullptr);
  const auto compile_rules = [&](const std::vector<std::string>& sources) {
    std::vector<PhaseRule> rules;
    for (const std::string& s : sources) {
      rules.push_back(compiler.CompileRule(s, "http_request_firewall_custom", nullptr));
    }
    return rules;
  };
  const std::vector<std::string> sources = {
      "starts_with(http.request.uri.path, \"/admin\")",
      "http.user_agent contains \"bot\"",
      "http.request.uri.query contains \"debug=1\""};
  auto original = *PhaseMatcher::Build(compile_rules(sources));
  const std::vector<SerializedDatabase> serialized = original->Serialize();
  ASSERT_FALSE(serialized.empty());
  EXPECT_EQ(original->reused_database_count(), 0u);

  auto reloaded = *PhaseMatcher::Build(compile_rules(sources), &serialized);
  EXPECT_EQ(reloaded->reused_database_count(), serialized.size());
  TestRequest r;
  r.target = "/admin?debug=1";
  r.headers = {{"User-Agent", "a bot"}};
  Scratch scratch;
  Evaluation first(r.data(), scratch);
  Evaluation second(r.data(), scratch);
  std::vector<size_t> a, b;
  original->MatchAll(first, &a);
  reloaded->MatchAll(second, &b);
  EXPECT_EQ(a, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(a, b);

  // Different rules derive different patterns: the stale databases are not used.
  auto changed = *PhaseMatcher::Build(
      compile_rules({"starts_with(http.request.uri.path, \"/other\")",
                     "http.user_agent contains \"crawler\"",
                     "http.request.uri.query contains \"x=1\""}),
      &serialized);
  EXPECT_EQ(changed->reused_database_count(), 0u);

  // Corrupt bytes are compiled afresh, not trusted.
  std::vector<SerializedDatabase> corrupt = serialized;
  for (auto& database : corrupt) database.bytes = "not a database";
  auto recompiled = *PhaseMatcher::Build(compile_rules(sources), &corrupt);
  EXPECT_EQ(recompiled->reused_database_count(), 0u);
  Evaluation third(r.data(), scratch);
  std::vector<size_t> c;
  recompiled->MatchAll(third, &c);
  EXPECT_EQ(c, a);
}

}  // namespace
}  // namespace gatehouse::rules

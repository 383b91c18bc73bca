#include "compiler/rules/atoms.h"

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

bool AcceptAll(const std::string&) { return true; }

// Renders a requirement compactly: "always" or "path:/admin host:~example r:uri:^a".
std::string Describe(std::string_view source) {
  ExpressionCompiler compiler = *ExpressionCompiler::Create({}, Limits(), nullptr);
  std::vector<Diagnostic> d;
  auto tree = compiler.CompileTree(source, "http_request_firewall_custom", ExpressionKind::kFilter, &d);
  EXPECT_NE(tree, nullptr) << source;
  if (tree == nullptr) return "<error>";
  Requirement r = ExtractRequirement(*tree, &AcceptAll);
  if (!r) return "always";
  std::string out;
  for (const Atom& a : *r) {
    out += (out.empty() ? "" : " ") + std::string(a.is_regex ? "r:" : "") +
           std::string(FindFieldName(a.field)) + ":" + (a.caseless ? "~" : "") + a.pattern;
  }
  return out;
}

TEST(AtomsTest, LiteralsOfPositiveTests) {
  EXPECT_EQ(Describe("http.host contains \"example\""), "http.host:example");
  EXPECT_EQ(Describe("http.host eq \"a.com\""), "http.host:a.com");
  EXPECT_EQ(Describe("starts_with(http.request.uri.path, \"/admin\")"), "http.request.uri.path:/admin");
  EXPECT_EQ(Describe("ends_with(http.request.uri.path, \".php\")"), "http.request.uri.path:.php");
  EXPECT_EQ(Describe("http.host wildcard \"*.example.*\""), "http.host:~.example.");
  EXPECT_EQ(Describe("http.host strict wildcard \"ab*\""), "http.host:ab");
  EXPECT_EQ(Describe("http.host matches \"^a+b\""), "r:http.host:^a+b");
  EXPECT_EQ(Describe("http.request.method in {\"GET\" \"HEAD\"}"),
            "http.request.method:GET http.request.method:HEAD");
  EXPECT_EQ(Describe("lower(http.user_agent) contains \"curl\""), "http.user_agent:~curl");
  EXPECT_EQ(Describe("upper(http.user_agent) eq \"CURL\""), "http.user_agent:~CURL");
}

TEST(AtomsTest, CombinesThroughAndAndOr) {
  EXPECT_EQ(Describe("http.host eq \"a\" and (http.request.uri.path contains \"x\" or "
                     "http.request.uri.path contains \"y\")"),
            "http.host:a");
  EXPECT_EQ(Describe("ssl and http.host contains \"b\""), "http.host:b");
  EXPECT_EQ(Describe("http.host eq \"a\" or http.user_agent contains \"b\""),
            "http.host:a http.user_agent:b");
}

TEST(AtomsTest, NoRequirementWhereATestCanPassWithoutALiteral) {
  for (std::string_view source : {
           "not http.host contains \"a\"", "http.host ne \"a\"", "http.host contains \"\"",
           "http.host eq \"a\" or ssl", "http.host eq \"a\" xor ssl", "http.host wildcard \"*\"",
           "http.host in {\"a\" \"\"}", "lower(http.host) contains \"ABC\"",
           "http.request.headers[\"x\"][0] contains \"a\"", "ip.src in {10.0.0.0/8}",
           "any(http.request.headers.names[*] contains \"a\")", "http.host lt \"b\"",
           "lower(http.host) wildcard \"a*\""}) {
    EXPECT_EQ(Describe(source), "always") << source;
  }
}

}  // namespace
}  // namespace gatehouse::rules

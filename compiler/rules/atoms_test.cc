#include "rules/atoms.h"

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

bool AcceptAll(const std::string&) { return true; }

// Renders a requirement compactly: "always" or "path:/admin host:~example r:uri:^a".
std::string Describe(std::string_view source, std::vector<NamedListDefinition> lists = {}) {
  ExpressionCompiler compiler = *ExpressionCompiler::Create(lists, Limits(), nullptr);
  std::vector<Diagnostic> d;
  auto tree = compiler.CompileTree(source, "http_request_firewall_custom", ExpressionKind::kFilter, &d);
  EXPECT_NE(tree, nullptr) << source;
  if (tree == nullptr) return "<error>";
  Requirement r = ExtractRequirement(*tree, &AcceptAll);
  if (!r) return "always";
  std::string out;
  for (const Atom& a : *r) {
    out += out.empty() ? "" : " ";
    switch (a.text) {
      case ScanText::kField:
        out += std::string(a.is_regex ? "r:" : "") + std::string(FindFieldName(a.field)) + ":" +
               (a.caseless ? "~" : "") + a.pattern;
        break;
      case ScanText::kHeaderNames:
        out += "header-name:" + a.pattern.substr(1, a.pattern.size() - 2);
        EXPECT_EQ(a.pattern.front(), '\n');
        EXPECT_EQ(a.pattern.back(), '\n');
        break;
      case ScanText::kIpBytes:
        out += "ip-bytes:";
        for (unsigned char c : a.pattern) out += "0123456789abcdef"[c >> 4], out += "0123456789abcdef"[c & 15];
        break;
    }
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

TEST(AtomsTest, DetectorsHaveNoLiteralRequirement) {
  // A detector reads the whole value: no literal is necessary for it to match.
  EXPECT_EQ(Describe("detect_sqli(http.request.uri.query)"), "always");
  EXPECT_EQ(Describe("any(detect_xss(http.request.headers.values[*]))"), "always");
  EXPECT_EQ(Describe("detect_sqli(http.request.uri.query) and http.host eq \"a.com\""),
            "http.host:a.com");
  EXPECT_EQ(Describe("detect_sqli(http.request.uri.query) or http.host eq \"a.com\""), "always");
}

TEST(AtomsTest, HeaderLookupsRequireTheHeaderName) {
  // A missing header compares false with every operator, ne included.
  EXPECT_EQ(Describe("http.request.headers[\"x-k1\"][0] eq \"v\""), "header-name:x-k1");
  EXPECT_EQ(Describe("http.request.headers[\"x-k1\"][1] ne \"v\""), "header-name:x-k1");
  EXPECT_EQ(Describe("http.request.headers[\"x-k1\"][0] matches \"a.c\" or "
                     "http.request.headers[\"x-k2\"][0] contains \"b\""),
            "header-name:x-k1 header-name:x-k2");
}

TEST(AtomsTest, ClientAddressesRequireTheirBytes) {
  EXPECT_EQ(Describe("ip.src eq 192.0.2.1"), "ip-bytes:00000000000000000000ffffc0000201");
  EXPECT_EQ(Describe("ip.src in {10.0.0.0/8 2001:db8::/32}"),
            "ip-bytes:00000000000000000000ffff0a ip-bytes:20010db8");
  // A range: the bytes both ends share.
  EXPECT_EQ(Describe("ip.src in {192.0.2.0..192.0.2.9}"), "ip-bytes:00000000000000000000ffffc00002");
  EXPECT_EQ(Describe("http.request.headers[\"x\"][0] eq \"v\" or ip.src in {203.0.113.7}"),
            "header-name:x ip-bytes:00000000000000000000ffffcb007107");
}

TEST(AtomsTest, NamedListsGiveTheirMembers) {
  const std::vector<NamedListDefinition> lists = {
      {"ips", "ip", {"192.0.2.1", "10.0.0.0/8"}},
      {"hosts", "bytes", {"b.com", "a.com"}},
      {"everyone", "ip", {"::/0"}},
      {"ports", "int", {"80", "443"}}};
  EXPECT_EQ(Describe("ip.src in $ips", lists),
            "ip-bytes:00000000000000000000ffff0a ip-bytes:00000000000000000000ffffc0000201");
  EXPECT_EQ(Describe("http.host in $hosts", lists), "http.host:a.com http.host:b.com");
  EXPECT_EQ(Describe("ip.src in $everyone", lists), "always");
  EXPECT_EQ(Describe("not ip.src in $ips", lists), "always");
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
           "not http.request.headers[\"x\"][0] contains \"a\"", "ip.src ne 10.0.0.1",
           "http.request.headers[\"x\"][0] eq \"a\" xor ssl", "ip.src in {::/0}",
           "ip.src in {10.0.0.1} or ssl",
           "any(http.request.headers.names[*] contains \"a\")", "http.host lt \"b\"",
           "lower(http.host) wildcard \"a*\""}) {
    EXPECT_EQ(Describe(source), "always") << source;
  }
}

}  // namespace
}  // namespace gatehouse::rules

#include "compiler/rules/checker.h"

#include <vector>

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

constexpr std::string_view kFirewall = "http_request_firewall_custom";

ExpressionCompiler MakeCompiler() {
  std::vector<NamedListDefinition> lists = {
      {"office_ips", "ip", {"10.0.0.0/8", "192.0.2.7"}},
      {"ports", "int", {"80", "8000..8999"}},
      {"bad_agents", "bytes", {"curl", "wget"}},
  };
  return *ExpressionCompiler::Create(lists, Limits(), nullptr);
}

std::vector<Diagnostic> Errors(std::string_view source, std::string_view phase = kFirewall,
                               ExpressionKind kind = ExpressionKind::kFilter) {
  std::vector<Diagnostic> diagnostics;
  MakeCompiler().CompileTree(source, phase, kind, &diagnostics);
  return diagnostics;
}

TEST(CheckerTest, AcceptsValidFilters) {
  for (std::string_view source : {
           "starts_with(http.request.uri.path, \"/admin\") and not ip.src in $office_ips",
           "http.request.method in {\"GET\" \"HEAD\"}",
           "http.request.headers[\"x-a\"][0] contains \"b\"",
           "any(http.request.headers.names[*] eq \"X-A\")",
           "all(lower(http.request.uri.args.values[*]) ne \"x\")",
           "len(http.request.cookies) gt 2",
           "http.request.body.size & 1",
           "ssl",
           "ip.src eq 2001:db8::1 or ip.src in {10.0.0.0/8 ::1}",
           "http.user_agent in $bad_agents and http.request.timestamp.sec ge 0",
           "http.request.uri.path matches r\"^/a\\d+$\"",
           "http.host wildcard \"*.example.com\" xor http.host strict wildcard \"A*\"",
           "concat(http.host, \"x\") eq \"ax\"",
           "to_string(ip.src) eq \"1.2.3.4\" and url_decode(http.request.uri.query, \"r\") eq \"\"",
       }) {
    EXPECT_TRUE(Errors(source).empty()) << source << ": " << Errors(source)[0].message;
  }
  EXPECT_TRUE(Errors("http.response.code ge 500", "http_custom_errors").empty());
}

struct ErrorCase {
  std::string source;
  std::string message;
  int column;
  int length;
};

void ExpectErrors(const std::vector<ErrorCase>& cases, std::string_view phase = kFirewall,
                  ExpressionKind kind = ExpressionKind::kFilter) {
  for (const ErrorCase& c : cases) {
    std::vector<Diagnostic> d = Errors(c.source, phase, kind);
    ASSERT_EQ(d.size(), 1u) << c.source;
    EXPECT_EQ(d[0].message, c.message) << c.source;
    EXPECT_EQ(d[0].column, c.column) << c.source;
    EXPECT_EQ(d[0].length, c.length) << c.source;
  }
}

TEST(CheckerTest, TypeErrorsSayExpectedAndFound) {
  ExpectErrors({
      {"http.host eq 1", "'eq' compares Bytes on its left, so expected Bytes on its right, found Int", 14, 1},
      {"ip.src lt 1.2.3.4", "'lt' expects Int or Bytes on its left, found Ip", 1, 6},
      {"http.request.body.size contains \"5\"", "'contains' expects Bytes on its left, found Int", 1, 22},
      {"http.request.body.size matches \"a\"", "'matches' expects Bytes on its left, found Int", 1, 22},
      {"http.host matches http.host", "'matches' expects a string literal pattern on its right, found Bytes", 19, 9},
      {"http.host & 1", "'&' expects Int on its left, found Bytes", 1, 9},
      {"http.request.headers eq \"a\"", "'eq' expects Bytes, Int, Bool or Ip on its left, found Map<Array<Bytes>>", 1, 20},
      {"http.host", "a filter must be a Bool expression, found Bytes", 1, 9},
      {"http.request.headers.names[*] eq \"a\"", "a filter must be a Bool expression, found per-element Bool from [*]; wrap it in any() or all()", 1, 36},
      {"ssl and http.host", "'and' expects Bool operands, found Bytes", 9, 9},
      {"not http.request.body.size", "'not' expects Bool operands, found Int", 5, 22},
      {"http.request.method in {\"GET\" 2}", "a set of Bytes values needs a string, found an integer", 31, 1},
      {"ip.src in {\"a\"}", "a set of Ip values needs an IP address, CIDR or IP range, found a string", 12, 3},
      {"http.request.body.size in {10.0.0.1}", "a set of Int values needs an integer or integer range, found an IP address", 28, 8},
      {"ssl in {1}", "'in' expects Bytes, Int or Ip on its left, found Bool", 1, 3},
  });
}

TEST(CheckerTest, FieldFunctionAndListErrors) {
  ExpectErrors({
      {"http.request.urii eq \"a\"", "unknown field 'http.request.urii'; did you mean 'http.request.uri'?", 1, 17},
      {"nonsense eq \"a\"", "unknown field 'nonsense'", 1, 8},
      {"lowr(http.host) eq \"a\"", "unknown function 'lowr'; did you mean 'lower'?", 1, 4},
      {"lower(http.host, \"a\") eq \"a\"", "lower() takes 1 argument, found 2", 1, 21},
      {"substring(http.host) eq \"a\"", "substring() takes 2 to 3 arguments, found 1", 1, 20},
      {"lower(ip.src) eq \"a\"", "argument 1 of lower(): expected Bytes, found Ip", 7, 6},
      {"starts_with(http.host, 1)", "argument 2 of starts_with(): expected Bytes, found Int", 24, 1},
      {"any(ssl)", "argument 1 of any(): expected Array<Bool> (e.g. any(http.request.headers.names[*] eq \"x\")), found Bool", 5, 3},
      {"ip.src in $nope", "unknown list $nope; lists are declared in the zone's \"lists\"", 8, 8},
      {"http.host in $office_ips", "list $office_ips holds Ip values, so expected Ip on the left of 'in', found Bytes", 1, 9},
      {"http.response.code ge 500", "field 'http.response.code' is only available in response phases (http_custom_errors, http_response_headers_transform), not in phase 'http_request_firewall_custom'", 1, 18},
      {"regex_replace(http.host, \"a\", \"b\") eq \"\"", "regex_replace() is only available in value expressions (rewrites and redirects), not in filters", 1, 13},
      {"http.host matches \"(\"", "invalid regex: missing ): (", 19, 3},
      {"http.host[0] eq \"a\"", "only arrays and maps can be indexed, found Bytes", 10, 1},
      {"http.request.headers[0][0] eq \"a\"", "a map is indexed by a string key, found an integer", 22, 1},
      {"http.request.headers.names[\"a\"] eq \"a\"", "an array is indexed by an integer, found a string", 28, 3},
      {"http.request.headers[\"User-Agent\"][0] eq \"a\"", "header names are lower-cased in http.request.headers; write \"user-agent\"", 22, 12},
      {"http.host[*] eq \"a\"", "[*] needs an array or a map, found Bytes", 10, 1},
      {"any(http.request.headers[*][*] eq \"a\")", "[*] cannot be nested inside another [*]", 28, 1},
      {"split(http.host, \",\", 0)[0] eq \"a\"", "argument 3 of split(): the limit must be an integer literal from 1 to 128", 23, 1},
  });
}

TEST(CheckerTest, IssueNineteenFunctionErrorsPointAtTheArgument) {
  ExpectErrors({
      {"cidr(ip.src, 33, 24) eq 1.2.3.4",
       "argument 2 of cidr(): the IPv4 prefix length must be an integer literal from 1 to 32", 14,
       2},
      {"cidr(1.2.3.4, 24, 24) eq 1.2.3.4",
       "argument 1 of cidr(): the address must be a field such as ip.src, not a literal", 6, 7},
      {"cidr6(ip.src, 129) eq ::1",
       "argument 2 of cidr6(): the IPv6 prefix length must be an integer literal from 1 to 128", 15,
       3},
      {"encode_base64(http.host, \"x\") eq \"\"",
       "argument 2 of encode_base64(): unknown flag; expected \"u\" (URL-safe alphabet) and/or "
       "\"p\" (padding)",
       26, 3},
      {"has_key(http.request.headers, \"Accept\")",
       "argument 2 of has_key(): header names are lower-cased in http.request.headers; write "
       "\"accept\"",
       31, 8},
      {"has_value(http.request.uri.args, 1)",
       "argument 2 of has_value(): expected Bytes (an element of Map<Array<Bytes>>), found Int", 34,
       1},
      {"is_timed_hmac_valid_v0(\"k\", http.request.uri, -1, http.request.timestamp.sec)",
       "argument 3 of is_timed_hmac_valid_v0(): the ttl must be a non-negative integer literal "
       "(seconds)",
       47, 2},
      {"is_timed_hmac_valid_v0(\"k\", http.request.uri, 1, 1, 8, \"u\")",
       "argument 6 of is_timed_hmac_valid_v0(): unknown flag; expected \"s\" (the MAC is URL-safe "
       "base64 without padding)",
       56, 3},
      {"uuidv4(http.host) eq \"\"",
       "uuidv4() is only available in value expressions (rewrites and redirects), not in filters",
       1, 6},
      {"lower(http.request.headers.names[*])[\"a\"] eq \"x\"",
       "an array is indexed by an integer, found a string", 38, 3},
      {"any(http.request.headers.names[*][*] eq \"x\")", "[*] needs an array or a map, found Bytes",
       34, 1},
  });
  ExpectErrors({{"to_string(cidr(ip.src, 24, 64))",
                 "cidr() is only available in filters, not in value expressions", 11, 4},
                {"remove_query_args(http.request.uri.path, \"a\")",
                 "argument 1 of remove_query_args(): expected the field http.request.uri.query or "
                 "raw.http.request.uri.query",
                 19, 21}},
               kFirewall, ExpressionKind::kValue);
}

TEST(CheckerTest, IssueNineteenFieldErrorsPointAtTheOperand) {
  ExpectErrors({
      {"ip.src.country eq 1",
       "'eq' compares Bytes on its left, so expected Bytes on its right, found Int", 19, 1},
      {"ip.src.asnum eq \"13335\"",
       "'eq' compares Int on its left, so expected Int on its right, found Bytes", 17, 7},
      {"ip.geoip.is_in_european_union eq \"true\"",
       "'eq' compares Bool on its left, so expected Bool on its right, found Bytes", 34, 6},
      {"ip.src.lat gt 51",
       "'gt' compares Bytes on its left, so expected Bytes on its right, found Int", 15, 2},
      {"cf.edge.server_ip contains \"203\"", "'contains' expects Bytes on its left, found Ip", 1,
       17},
      {"http.request.timestamp.msec matches \"8\"",
       "'matches' expects Bytes on its left, found Int", 1, 27},
      {"http.request.body.form.names eq \"a\"",
       "'eq' expects Bytes, Int, Bool or Ip on its left, found Array<Bytes>", 1, 28},
      {"http.request.body.multipart.names[0] eq \"a\"",
       "'eq' expects Bytes, Int, Bool or Ip on its left, found Array<Bytes>", 1, 36},
      {"any(http.request.body.multipart.filenames[*] eq \"a.txt\")",
       "'eq' expects Bytes, Int, Bool or Ip on its left, found Array<Bytes>", 5, 40},
      {"http.request.accepted_languages[\"en\"] eq \"a\"",
       "an array is indexed by an integer, found a string", 33, 4},
      {"ip.geoip.city eq \"London\"", "unknown field 'ip.geoip.city'", 1, 13},
  });
}

TEST(CheckerTest, IssueNineteenFieldsAreAccepted) {
  for (std::string_view source : {
           "ip.src.country in {\"GB\" \"FR\"} and not ip.src.is_in_european_union",
           "ip.geoip.asnum in {13335 64496..64511} or ip.src.asnum eq 0",
           "ip.src.subdivision_1_iso_code eq \"GB-ENG\" and ip.src.timezone.name ne \"\"",
           "cf.edge.server_ip in {10.0.0.0/8} and cf.ray_id ne \"\" and cf.random_seed ne \"\"",
           "http.request.timestamp.msec lt 500 and not http.request.headers.truncated",
           "any(http.request.accepted_languages[*] eq \"en\")",
           "any(http.request.body.form[\"role\"][*] eq \"admin\") or "
           "has_key(http.request.body.form, \"a\")",
           "any(http.request.body.multipart.filenames[*][0] in {\"a.php\"})",
           "any(lower(http.request.body.multipart.content_types[*][0])[*] eq \"image/png\")",
           "http.request.body.mime in {\"image/png\" \"image/gif\"}",
       }) {
    std::vector<Diagnostic> d = Errors(source);
    EXPECT_TRUE(d.empty()) << source << ": " << d[0].message;
  }
}

TEST(CheckerTest, NestedArrayFormsAreAccepted) {
  for (std::string_view source : {
           "any(lower(http.request.headers.names[*])[*] contains \"x\")",
           "any(lower(http.request.headers.names[*]) contains \"x\")",
           "len(lower(http.request.headers.names[*])) gt 2",
           "lower(http.request.headers.names[*])[0] eq \"host\"",
           "has_value(url_decode(http.request.uri.args.values[*]), \"a b\")",
       }) {
    std::vector<Diagnostic> d = Errors(source);
    EXPECT_TRUE(d.empty()) << source << ": " << d[0].message;
  }
}

TEST(CheckerTest, ReportsEveryIndependentError) {
  std::vector<Diagnostic> d = Errors("http.hots eq \"a\" and ip.src lt 1.2.3.4 or lower(1) eq \"\"");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].column, 1);
  EXPECT_EQ(d[1].column, 22);
  EXPECT_EQ(d[2].column, 49);
}

TEST(CheckerTest, ValueExpressions) {
  EXPECT_TRUE(Errors("concat(\"/v2\", http.request.uri.path)", kFirewall, ExpressionKind::kValue).empty());
  EXPECT_TRUE(Errors("regex_replace(http.request.uri.path, \"^/old/(.*)\", \"/new/${1}\")", kFirewall,
                     ExpressionKind::kValue).empty());
  ExpectErrors({{"http.request.headers.names", "a value expression must be Bytes, Int or Bool, found Array<Bytes>", 1, 26},
                {"regex_replace(http.host, \"a\", \"${1}\")", "the replacement refers to ${1} but the regex has 0 capture group(s)", 31, 6},
                {"wildcard_replace(http.host, \"*.a\", \"${2}\")", "argument 3 of wildcard_replace(): the replacement refers to a capture the pattern does not have (1 '*' in the pattern)", 36, 6}},
               kFirewall, ExpressionKind::kValue);
}

TEST(CheckerTest, Limits) {
  Limits limits;
  limits.max_expression_bytes = 10;
  limits.max_regexes_per_expression = 1;
  limits.max_regex_program_size = 50;
  ExpressionCompiler compiler = *ExpressionCompiler::Create({}, limits, nullptr);
  std::vector<Diagnostic> d;
  EXPECT_EQ(compiler.CompileFilter("http.host eq \"a\"", kFirewall, &d), nullptr);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "expression is 16 bytes long; the limit is 10 bytes");

  limits.max_expression_bytes = 4096;
  compiler = *ExpressionCompiler::Create({}, limits, nullptr);
  d.clear();
  EXPECT_EQ(compiler.CompileFilter("http.host ~ \"a\" or http.host ~ \"b\"", kFirewall, &d), nullptr);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "too many regexes in one expression (limit 1)");
  EXPECT_EQ(d[0].column, 32);
  d.clear();
  EXPECT_EQ(compiler.CompileFilter("http.host ~ \"a{1,1000}\"", kFirewall, &d), nullptr);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].message.starts_with("regex is too complex (program size ")) << d[0].message;
}

TEST(CheckerTest, ListErrorsNameTheListAndItem) {
  std::vector<std::string> errors;
  auto compiler = ExpressionCompiler::Create(
      {{"a", "ip", {"10.0.0.1", "10.0.0.300"}},
       {"b", "int", {"1", "x"}},
       {"c", "asn", {}},
       {"a", "ip", {}}},
      Limits(), &errors);
  EXPECT_FALSE(compiler.ok());
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "list $a: item 1 \"10.0.0.300\" is not an IP address, CIDR or range a..b",
                        "list $b: item 1 \"x\" is not an integer or range a..b",
                        "list $c: unknown kind \"asn\"; expected \"ip\", \"int\" or \"bytes\"",
                        "list $a: defined more than once"}));
  Limits small;
  small.max_list_items = 1;
  errors.clear();
  EXPECT_FALSE(ExpressionCompiler::Create({{"big", "bytes", {"a", "b"}}}, small, &errors).ok());
  EXPECT_EQ(errors, (std::vector<std::string>{"list $big: has 2 items; the limit is 1"}));
}

}  // namespace
}  // namespace gatehouse::rules

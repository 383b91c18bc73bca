#include "rules/interpreter.h"

#include <vector>

#include "compiler/rules/expression_compiler.h"
#include "gtest/gtest.h"
#include "rules/filter_impl.h"
#include "rules/scratch.h"
#include "rules/test_request.h"

namespace gatehouse::rules {
namespace {

class InterpreterTest : public ::testing::Test {
 protected:
  InterpreterTest() {
    compiler_ = *ExpressionCompiler::Create(
        {{"office_ips", "ip", {"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"}},
         {"ports", "int", {"80", "8000..8999"}},
         {"bad_agents", "bytes", {"curl/8.0", "wget"}}},
        Limits(), nullptr);
    request_.method = "POST";
    request_.scheme = "https";
    request_.host = "www.example.com";
    request_.target = "/Admin/./x/../Login.PHP?user=bob&tag=a&tag=b&empty=&flag";
    request_.headers = {{"User-Agent", "curl/8.0"},
                        {"Cookie", "session=abc; theme=dark"},
                        {"Cookie", "session=def"},
                        {"X-Multi", "one"},
                        {"x-multi", "two"},
                        {"Referer", "https://ref.example/"},
                        {"X-Forwarded-For", "203.0.113.1"}};
    request_.client_ip = "10.1.2.3";
    request_.body = "{\"a\": 1}";
  }

  bool Matches(std::string_view source, std::string_view phase = "http_request_firewall_custom") {
    std::vector<Diagnostic> d;
    auto filter = compiler_.CompileFilter(source, phase, &d);
    EXPECT_NE(filter, nullptr) << source << ": " << (d.empty() ? "" : d[0].message);
    if (filter == nullptr) return false;
    Evaluation evaluation(request_.data(), scratch_);
    return filter->Matches(evaluation);
  }

  std::string Eval(std::string_view source) {
    std::vector<Diagnostic> d;
    auto value = compiler_.CompileValue(source, "http_request_transform", &d);
    EXPECT_NE(value, nullptr) << source << ": " << (d.empty() ? "" : d[0].message);
    if (value == nullptr) return "<error>";
    Evaluation evaluation(request_.data(), scratch_);
    return value->Evaluate(evaluation);
  }

  ExpressionCompiler compiler_ = *ExpressionCompiler::Create({}, Limits(), nullptr);
  TestRequest request_;
  Scratch scratch_;
};

TEST_F(InterpreterTest, TheTwoExamplesFromTheArchitecture) {
  const char* block_admin =
      "starts_with(http.request.uri.path, \"/admin\") and not ip.src in $office_ips";
  request_.target = "/admin/users";
  request_.client_ip = "198.51.100.1";
  EXPECT_TRUE(Matches(block_admin));
  request_.client_ip = "10.9.9.9";
  EXPECT_FALSE(Matches(block_admin));
  request_.client_ip = "2001:db8::5";
  EXPECT_FALSE(Matches(block_admin));
  request_.target = "/public";
  request_.client_ip = "198.51.100.1";
  EXPECT_FALSE(Matches(block_admin));

  request_.has_response = true;
  request_.response_code = 502;
  EXPECT_TRUE(Matches("http.response.code ge 500", "http_custom_errors"));
  request_.response_code = 404;
  EXPECT_FALSE(Matches("http.response.code ge 500", "http_custom_errors"));
}

TEST_F(InterpreterTest, Detectors) {
  EXPECT_FALSE(Matches("any(detect_sqli(http.request.uri.args.values[*]))"));
  EXPECT_FALSE(Matches("detect_xss(http.user_agent)"));
  request_.target = "/search?q=1%27%20or%201=1--&name=%3Csvg%20onload%3Dalert(1)%3E&n=O%27Brien";
  // Arguments are not URL-decoded: a rule decodes what it inspects.
  EXPECT_TRUE(Matches("any(detect_sqli(url_decode(http.request.uri.args.values[*])))"));
  EXPECT_TRUE(Matches("any(detect_xss(url_decode(http.request.uri.args.values[*])))"));
  EXPECT_TRUE(Matches("detect_sqli(url_decode(http.request.uri.args[\"q\"][0]))"));
  EXPECT_FALSE(Matches("detect_sqli(url_decode(http.request.uri.args[\"n\"][0]))"));
  EXPECT_FALSE(Matches("detect_xss(url_decode(http.request.uri.args[\"q\"][0]))"));
  EXPECT_TRUE(Matches("not detect_sqli(url_decode(http.request.uri.args[\"name\"][0]))"));
  EXPECT_FALSE(Matches("detect_xss(http.request.uri.args[\"name\"][0])"));
}

TEST_F(InterpreterTest, UriFields) {
  EXPECT_EQ(Eval("http.request.uri.path"), "/Admin/Login.PHP");
  EXPECT_EQ(Eval("raw.http.request.uri.path"), "/Admin/./x/../Login.PHP");
  EXPECT_EQ(Eval("http.request.uri.path.extension"), "php");
  EXPECT_EQ(Eval("http.request.uri.query"), "user=bob&tag=a&tag=b&empty=&flag");
  EXPECT_EQ(Eval("http.request.uri"), "/Admin/Login.PHP?user=bob&tag=a&tag=b&empty=&flag");
  EXPECT_EQ(Eval("http.request.full_uri"),
            "https://www.example.com/Admin/Login.PHP?user=bob&tag=a&tag=b&empty=&flag");
  EXPECT_EQ(Eval("http.request.uri.args[\"tag\"][1]"), "b");
  EXPECT_EQ(Eval("join(http.request.uri.args.names, \",\")"), "user,tag,tag,empty,flag");
  EXPECT_EQ(Eval("join(http.request.uri.args[\"tag\"], \"+\")"), "a+b");
  EXPECT_TRUE(Matches("http.request.uri.args[\"flag\"][0] eq \"\""));
  EXPECT_TRUE(Matches("ssl and http.request.method eq \"POST\""));
}

TEST_F(InterpreterTest, HeadersAndCookies) {
  EXPECT_EQ(Eval("http.user_agent"), "curl/8.0");
  EXPECT_EQ(Eval("http.cookie"), "session=abc; theme=dark; session=def");
  EXPECT_EQ(Eval("http.request.cookies[\"session\"][1]"), "def");
  EXPECT_EQ(Eval("join(http.request.headers[\"x-multi\"], \",\")"), "one,two");
  EXPECT_EQ(Eval("http.x_forwarded_for"), "203.0.113.1");
  EXPECT_EQ(Eval("http.referer"), "https://ref.example/");
  EXPECT_TRUE(Matches("any(http.request.headers.names[*] eq \"X-Multi\")"));
  EXPECT_TRUE(Matches("any(lower(http.request.headers.names[*]) eq \"x-multi\")"));
  EXPECT_FALSE(Matches("all(http.request.headers[\"x-multi\"][*] eq \"one\")"));
  EXPECT_TRUE(Matches("all(http.request.headers[\"x-multi\"][*] ne \"three\")"));
  EXPECT_TRUE(Matches("http.user_agent in $bad_agents"));
  EXPECT_EQ(Eval("len(http.request.headers)"), "5");  // keys are lower-cased
}

TEST_F(InterpreterTest, MissingValuesCompareFalseWithEveryOperator) {
  for (std::string_view op : {"eq", "ne", "lt", "le", "gt", "ge", "contains", "matches",
                              "wildcard", "strict wildcard"}) {
    std::string source = std::string("http.request.headers[\"absent\"][0] ") + std::string(op) + " \"x\"";
    EXPECT_FALSE(Matches(source)) << source;
    EXPECT_TRUE(Matches("not (" + source + ")")) << source;
  }
  EXPECT_FALSE(Matches("http.request.headers[\"absent\"][0] in {\"x\"}"));
  EXPECT_FALSE(Matches("http.request.headers[\"x-multi\"][5] ne \"x\""));
  EXPECT_FALSE(Matches("any(http.request.headers[\"absent\"][*] ne \"x\")"));
  EXPECT_FALSE(Matches("all(http.request.headers[\"absent\"][*] ne \"x\")"));
  EXPECT_FALSE(Matches("lower(http.request.headers[\"absent\"][0]) ne \"x\""));
  EXPECT_EQ(Eval("concat(\"a\", http.request.headers[\"absent\"][0])"), "");
  // Response fields outside a response are missing too.
  EXPECT_FALSE(Matches("http.response.code ne 1", "http_custom_errors"));
}

TEST_F(InterpreterTest, Operators) {
  EXPECT_TRUE(Matches("http.host contains \"example\""));
  EXPECT_TRUE(Matches("http.host matches \"^www\\\\.\""));
  EXPECT_TRUE(Matches("http.host ~ \"(?i)^WWW\""));
  EXPECT_FALSE(Matches("http.host ~ \"^WWW\""));
  EXPECT_TRUE(Matches("http.host wildcard \"*.EXAMPLE.com\""));
  EXPECT_FALSE(Matches("http.host strict wildcard \"*.EXAMPLE.com\""));
  EXPECT_TRUE(Matches("http.host strict wildcard \"www.*.com\""));
  EXPECT_TRUE(Matches("http.host lt \"xyz\" and http.host gt \"a\" and http.host le \"www.example.com\""));
  EXPECT_TRUE(Matches("http.request.body.size eq 8 and http.request.body.size & 8 and not http.request.body.size & 1"));
  EXPECT_TRUE(Matches("http.request.body.size in {1..3 7..9}"));
  EXPECT_FALSE(Matches("http.request.body.size in $ports"));
  EXPECT_TRUE(Matches("ip.src in {10.0.0.0/8}"));
  EXPECT_TRUE(Matches("ip.src in {10.1.2.0..10.1.2.3}"));
  EXPECT_FALSE(Matches("ip.src in {10.1.2.4..10.1.2.9 ::1}"));
  EXPECT_TRUE(Matches("ip.src eq 10.1.2.3 and ip.src ne 10.1.2.4"));
  EXPECT_TRUE(Matches("ip.src eq ::ffff:10.1.2.3"));
  EXPECT_TRUE(Matches("ssl xor ip.src eq 1.1.1.1"));
  EXPECT_FALSE(Matches("ssl xor ssl"));
  EXPECT_TRUE(Matches("ssl eq (http.host eq \"www.example.com\")"));
}

TEST_F(InterpreterTest, Functions) {
  EXPECT_EQ(Eval("lower(\"AbC\")"), "abc");
  EXPECT_EQ(Eval("upper(http.request.method)"), "POST");
  EXPECT_EQ(Eval("len(http.host)"), "15");
  EXPECT_EQ(Eval("concat(\"/v2\", http.request.uri.path)"), "/v2/Admin/Login.PHP");
  EXPECT_EQ(Eval("url_decode(\"a%20b+c%2541\")"), "a b c%41");
  EXPECT_EQ(Eval("url_decode(\"a%2541\", \"r\")"), "aA");
  EXPECT_EQ(Eval("url_decode(\"%u00e9\", \"u\")"), "\xc3\xa9");
  EXPECT_EQ(Eval("to_string(ip.src)"), "10.1.2.3");
  EXPECT_EQ(Eval("to_string(http.request.body.size)"), "8");
  EXPECT_EQ(Eval("to_string(ssl)"), "true");
  EXPECT_EQ(Eval("substring(http.host, 4)"), "example.com");
  EXPECT_EQ(Eval("substring(http.host, -3)"), "com");
  EXPECT_EQ(Eval("substring(http.host, 0, 3)"), "www");
  EXPECT_EQ(Eval("substring(http.host, 5, 2)"), "");
  EXPECT_EQ(Eval("remove_bytes(http.host, \".w\")"), "examplecom");
  EXPECT_EQ(Eval("join(split(http.host, \".\", 2), \"|\")"), "www|example.com");
  EXPECT_EQ(Eval("decode_base64(\"aGVsbG8=\")"), "hello");
  EXPECT_EQ(Eval("regex_replace(http.request.uri.path, \"^/Admin/(.*)$\", \"/new/${1}\")"),
            "/new/Login.PHP");
  EXPECT_EQ(Eval("regex_replace(\"aaa\", \"a\", \"b\")"), "baa");
  EXPECT_EQ(Eval("wildcard_replace(http.host, \"*.EXAMPLE.com\", \"https://${1}.example.net/\")"),
            "https://www.example.net/");
  EXPECT_EQ(Eval("wildcard_replace(http.host, \"*.EXAMPLE.com\", \"x\", \"s\")"), "www.example.com");
  EXPECT_EQ(Eval("concat(http.request.uri.args[\"tag\"], http.request.uri.args[\"user\"])[2]"), "bob");
  EXPECT_EQ(Eval("lookup_json_string(\"{\\\"a\\\": [1, {\\\"b\\\": \\\"x\\\\u00e9\\\"}]}\", \"a\", 1, \"b\")"),
            "x\xc3\xa9");
  EXPECT_EQ(Eval("lookup_json_integer(http.request.body.raw, \"a\")"), "1");
  EXPECT_EQ(Eval("lookup_json_integer(http.request.body.raw, \"b\")"), "");
  EXPECT_TRUE(Matches("ends_with(http.request.uri.path, \".PHP\")"));
  EXPECT_TRUE(Matches("starts_with(http.request.uri.path, \"/Admin\")"));
}

TEST_F(InterpreterTest, DerivedFieldsAreComputedOnce) {
  auto filter = compiler_.CompileFilter("http.request.uri.path eq \"/x\"", "p", nullptr);
  ASSERT_NE(filter, nullptr);
  Evaluation evaluation(request_.data(), scratch_);
  EXPECT_FALSE(filter->Matches(evaluation));
  const Value* first = &evaluation.Field(FieldId::kUriPath);
  EXPECT_FALSE(filter->Matches(evaluation));
  EXPECT_EQ(first, &evaluation.Field(FieldId::kUriPath));
}

}  // namespace
}  // namespace gatehouse::rules

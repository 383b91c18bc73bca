#include "tests/rules/parser_fuzz.h"

#include <cstdlib>
#include <iostream>
#include <string_view>
#include <vector>

#include "compiler/rules/expression_compiler.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/test_request.h"

namespace gatehouse::rules {
namespace {

void Require(bool ok, std::string_view what, std::string_view input) {
  if (ok) return;
  std::cerr << "fuzz invariant broken: " << what << "\ninput: " << input << "\n";
  std::abort();
}

const ExpressionCompiler& Compiler() {
  static const auto* compiler = new ExpressionCompiler(*ExpressionCompiler::Create(
      {{"ips", "ip", {"10.0.0.0/8", "2001:db8::/32"}},
       {"ports", "int", {"80", "8000..8999"}},
       {"agents", "bytes", {"curl/8.0"}}},
      Limits(), nullptr));
  return *compiler;
}

TestRequest MakeRequest() {
  TestRequest r;
  r.method = "POST";
  r.scheme = "https";
  r.target = "/a/../b/%7e/c.php?x=1&x=2&y";
  r.headers = {{"User-Agent", "curl/8.0"}, {"Cookie", "a=1; b=2"}, {"X-A", "\xff\x00"}};
  r.body = "{\"a\": [1, \"x\"]}";
  r.has_response = true;
  r.response_code = 502;
  r.response_headers = {{"Server", "x"}};
  return r;
}

void CheckDiagnostics(std::string_view source, const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    Require(d.line >= 1 && d.column >= 1 && d.length >= 1, "diagnostic position", source);
    Require(!d.message.empty(), "empty diagnostic message", source);
    Require(!FormatDiagnostic(source, d, "fuzz").empty(), "formatting", source);
  }
}

void RunOne(std::string_view source) {
  static TestRequest* request = new TestRequest(MakeRequest());
  Scratch scratch;
  for (std::string_view phase : {"http_request_firewall_custom", "http_custom_errors"}) {
    std::vector<Diagnostic> diagnostics;
    auto filter = Compiler().CompileFilter(source, phase, &diagnostics);
    Require((filter == nullptr) == !diagnostics.empty(), "filter result vs diagnostics", source);
    CheckDiagnostics(source, diagnostics);
    if (filter != nullptr) {
      Evaluation evaluation(request->data(), scratch);
      filter->Matches(evaluation);
    }
    diagnostics.clear();
    auto value = Compiler().CompileValue(source, phase, &diagnostics);
    Require((value == nullptr) == !diagnostics.empty(), "value result vs diagnostics", source);
    CheckDiagnostics(source, diagnostics);
    if (value != nullptr) {
      Evaluation evaluation(request->data(), scratch);
      value->Evaluate(evaluation);
    }
  }
}

}  // namespace
}  // namespace gatehouse::rules

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gatehouse::rules::RunOne(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

namespace gatehouse::rules::testing {

gatehouse::testing::FuzzTarget ParserFuzzTarget() {
  // Fragments that make mutations reach deep into the grammar instead of dying in the lexer.
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          {" and ",
           " or ",
           " xor ",
           " not ",
           "(",
           ")",
           "[",
           "]",
           "[*]",
           "{",
           "}",
           ",",
           "..",
           " eq ",
           " ne ",
           " lt ",
           " ge ",
           " contains ",
           " matches ",
           " wildcard ",
           " strict wildcard ",
           " in ",
           " & ",
           "\"",
           "\\",
           "r#\"",
           "\"#",
           "$ips",
           "$ports",
           "$nope",
           "http.host",
           "ip.src",
           "http.request.headers",
           "http.request.uri.args",
           "http.response.code",
           "ssl",
           "1",
           "-1",
           "0x10",
           "10.0.0.0/8",
           "2001:db8::1",
           "::",
           "any(",
           "all(",
           "lower(",
           "len(",
           "concat(",
           "split(",
           "substring(",
           "regex_replace(",
           "wildcard_replace(",
           "lookup_json_string(",
           "url_decode(",
           "\"(?i)a+\"",
           "\"*.a\"",
           "${1}",
           "\n",
           "\t",
           "cidr(",
           "cidr6(",
           "encode_base64(",
           "remove_query_args(",
           "has_key(",
           "has_value(",
           "uuidv4(",
           "sha256(",
           "is_timed_hmac_valid_v0(",
           "[0]",
           "http.request.uri.query",
           "http.request.timestamp.sec",
           "\"u\"",
           "\"s\"",
           "\"p\""}};
}

}  // namespace gatehouse::rules::testing

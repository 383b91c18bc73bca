// Writes the seed corpus of the IR reader fuzz target: the serialised IR of expressions that
// cover every node kind, operator family, set item kind and the functions with compiled
// arguments. Run by hand when the IR changes:
//   bazel run //tests/fuzz:ir_fuzz_seed_writer -- $PWD/tests/fuzz/ir_reader_corpus
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/rules/expression_compiler.h"

int main(int argc, char** argv) {
  using gatehouse::rules::ExpressionKind;
  if (argc != 2) {
    std::cerr << "usage: ir_fuzz_seed_writer OUTPUT_DIR\n";
    return 2;
  }
  // The zone of the fuzz target (ir_reader_fuzz.cc).
  auto compiler = gatehouse::rules::ExpressionCompiler::Create(
      {{"ips", "ip", {"10.0.0.0/8", "2001:db8::/32"}},
       {"ports", "int", {"80", "8000..8999"}},
       {"agents", "bytes", {"curl/8.0"}}},
      gatehouse::rules::Limits(), nullptr);
  const std::vector<std::pair<ExpressionKind, std::string>> seeds = {
      {ExpressionKind::kFilter, "true"},
      {ExpressionKind::kFilter, "http.host eq \"example.com\""},
      {ExpressionKind::kFilter, "http.request.uri.path matches \"^/admin(/|$)\""},
      {ExpressionKind::kFilter, "http.user_agent wildcard \"*bot*\" or http.host strict wildcard \"A*\""},
      {ExpressionKind::kFilter, "ip.src in {10.0.0.0/8 192.0.2.1..192.0.2.9 2001:db8::1}"},
      {ExpressionKind::kFilter, "ip.src in $ips and not ssl"},
      {ExpressionKind::kFilter, "http.request.body.size in {80 8000..8999} xor ssl"},
      {ExpressionKind::kFilter, "http.request.body.size in $ports"},
      {ExpressionKind::kFilter, "http.user_agent in $agents"},
      {ExpressionKind::kFilter, "http.user_agent in {\"curl/8.0\" \"sqlmap\"}"},
      {ExpressionKind::kFilter, "any(http.request.headers[\"accept\"][*] contains \"json\")"},
      {ExpressionKind::kFilter, "all(lower(http.request.headers.names[*]) ne \"x-a\")"},
      {ExpressionKind::kFilter, "http.request.uri.args[\"x\"][1] eq \"2\""},
      {ExpressionKind::kFilter, "len(http.request.cookies) ge 2 and http.request.body.size & 1"},
      {ExpressionKind::kFilter, "starts_with(url_decode(http.request.uri, \"ru\"), \"/a\")"},
      {ExpressionKind::kFilter, "lookup_json_integer(http.request.body.raw, \"a\", 0) lt 5"},
      {ExpressionKind::kFilter, "ip.src eq 192.0.2.1 or ip.src eq ::ffff:192.0.2.1"},
      {ExpressionKind::kFilter, "to_string(ip.src) eq \"192.0.2.1\""},
      {ExpressionKind::kFilter, "split(http.cookie, \";\", 2)[0] eq \"a=1\""},
      {ExpressionKind::kFilter, "ends_with(join(http.request.headers.names, \",\"), \"a\")"},
      {ExpressionKind::kValue, "concat(\"https://example.com\", http.request.uri.path)"},
      {ExpressionKind::kValue, "regex_replace(http.request.uri.path, \"^/old/(.*)\", \"/new/${1}\")"},
      {ExpressionKind::kValue, "wildcard_replace(http.host, \"*.example.com\", \"${1}\", \"s\")"},
      {ExpressionKind::kValue, "substring(remove_bytes(decode_base64(http.cookie), \"=\"), -3)"},
      {ExpressionKind::kValue, "http.request.timestamp.sec"},
      {ExpressionKind::kValue, "upper(lookup_json_string(http.request.body.raw, \"a\", 1))"},
  };
  int n = 0;
  for (const auto& [kind, source] : seeds) {
    std::vector<gatehouse::rules::Diagnostic> diagnostics;
    auto ir = compiler->CompileIr(source, "http_request_firewall_custom", kind, &diagnostics);
    if (!ir) {
      std::cerr << source << ": " << gatehouse::rules::FormatDiagnostics(source, diagnostics, "seed");
      return 1;
    }
    char name[32];
    std::snprintf(name, sizeof(name), "/seed_%03d", n++);
    std::ofstream(argv[1] + std::string(name), std::ios::binary) << ir->SerializeAsString();
  }
  std::cout << "wrote " << n << " seeds\n";
  return 0;
}

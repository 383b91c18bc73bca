// gatectl: the Gatehouse command-line client.
#include <cstdio>
#include <cstdlib>

#include "api/gatectl/command.h"
#include "api/gatectl/compile_command.h"
#include "api/gatectl/config_commands.h"
#include "api/gatectl/rules_commands.h"
#include "common/flags.h"

namespace {

constexpr char kUsage[] =
    "gatectl [flags] COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  push FILE.json      store a zone config; prints its version\n"
    "  validate FILE.json  compile a zone config locally (no server); prints diagnostics\n"
    "  get ZONE [VERSION]  print a zone's config (current or the given version)\n"
    "  zones               list zones and their versions\n"
    "  check EXPR | check FILE.json\n"
    "                      compile an expression or a zone config locally; caret diagnostics\n"
    "  eval --expr EXPR --request REQUEST.json\n"
    "                      print the expression's value for the request (true/false for filters)\n"
    "  eval --config FILE.json --request REQUEST.json\n"
    "                      trace the request through every phase of the zone\n"
    "  compile FILE.json... -o SNAPSHOT  compile zone configs into a snapshot file (no server)";

}  // namespace

int main(int argc, char** argv) {
  namespace gatectl = gatehouse::gatectl;
  const char* env_addr = std::getenv("GATEHOUSE_ADDR");
  const char* env_token = std::getenv("GATEHOUSE_TOKEN");
  gatectl::GlobalOptions options;
  options.addr = env_addr != nullptr ? env_addr : "127.0.0.1:50051";
  options.token = env_token != nullptr ? env_token : "";
  int64_t expected_version = 0;
  gatehouse::FlagSet flags("gatectl", kUsage, "Manage Gatehouse zone configs.");
  flags.AddString("addr", &options.addr, "Control plane address, HOST:PORT (env GATEHOUSE_ADDR).");
  flags.AddString("token", &options.token,
                  "API token sent as a bearer token (env GATEHOUSE_TOKEN).");
  flags.AddInt("timeout-ms", &options.timeout_ms, "Deadline of each call, in milliseconds.");
  flags.AddBool("json", &options.json, "Print results as JSON, for scripts.");
  flags.AddInt("expected-version", &expected_version,
               "push: store only if the zone is at this version (0: any).");
  gatectl::RulesCommandOptions rules_options;
  flags.AddString("expr", &rules_options.expr, "check, eval: the expression.");
  flags.AddString("config", &rules_options.config, "eval: trace through this zone config.");
  flags.AddString("request", &rules_options.request, "eval: the request file (docs/rules.md).");
  flags.AddString("phase", &rules_options.phase,
                  "check, eval: the phase whose fields are in scope.");
  const std::vector<std::string> args = flags.ParseOrExit(argc, argv);
  if (!args.empty()) {
    if (auto code = gatectl::RunRulesCommand(args, rules_options)) return *code;
    if (auto code = gatectl::RunCompileCommand(args)) return *code;
    if (auto code = gatectl::RunConfigCommand(args, options, expected_version)) return *code;
  }
  std::fprintf(stderr, "usage: %s\n", kUsage);
  return gatectl::kExitUsage;
}

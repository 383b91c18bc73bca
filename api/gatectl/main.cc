// gatectl: the Gatehouse command-line client.
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_split.h"
#include "api/gatectl/certificate_commands.h"
#include "api/gatectl/command.h"
#include "api/gatectl/compile_command.h"
#include "api/gatectl/config_commands.h"
#include "api/gatectl/crs_test_command.h"
#include "api/gatectl/list_commands.h"
#include "api/gatectl/managed_commands.h"
#include "api/gatectl/managed_rulesets.h"
#include "api/gatectl/rules_commands.h"
#include "api/gatectl/token_commands.h"
#include "common/flags.h"

namespace {

constexpr char kUsage[] =
    "gatectl [flags] COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  push FILE.json          store a zone config; prints its version\n"
    "  validate FILE.json      compile a zone config locally (no server); prints diagnostics\n"
    "  get ZONE [VERSION]      print a zone's config (current or the given version)\n"
    "  diff FILE.json          the deployed config of the file's zone against the file\n"
    "                          (exit 0: same, 1: different)\n"
    "  versions ZONE           every stored version of a zone\n"
    "  rollback ZONE VERSION   store the content of VERSION as a new version\n"
    "  delete ZONE             stop serving a zone (its history stays)\n"
    "  zones                   list zones and their versions\n"
    "  watch                   per proxy and zone, the live and rejected versions\n"
    "  tokens create --permission read|edit|watch [--zone Z]...   print a new token\n"
    "  tokens list | tokens revoke ID                              (admin token)\n"
    "  certs upload ZONE --cert CHAIN.pem --key KEY.pem\n"
    "                          store a TLS certificate (and its key) for a zone\n"
    "  certs list [ZONE]       the zones' certificates; warns of those expiring within 14 days\n"
    "  certs delete ZONE FINGERPRINT\n"
    "                          stop serving a certificate\n"
    "  lists create NAME --kind ip|int|bytes [--file ITEMS] [--zone Z]...\n"
    "                          an account-level list zones name as $NAME (items: one a line)\n"
    "  lists replace NAME --file ITEMS | lists add NAME ITEM... | lists remove NAME ITEM...\n"
    "                          change a list's items (add/remove also take --file)\n"
    "  lists list | lists get NAME | lists delete NAME\n"
    "  lists scope NAME --zones A,B  the zones that may name the list become these\n"
    "  lists history NAME      the list's versions: who, when, items, what changed\n"
    "  check EXPR | check FILE.json\n"
    "                          compile an expression or a zone config locally; caret diagnostics\n"
    "  eval --expr EXPR --request REQUEST.json\n"
    "                          the expression's value for the request (true/false for filters)\n"
    "  eval --config FILE.json --request REQUEST.json\n"
    "                          trace the request through every phase of the zone\n"
    "  compile FILE.json... -o SNAPSHOT [--cert ZONE=CHAIN.pem,KEY.pem]...\n"
    "                          compile zone configs (and their certificates) into a snapshot file\n"
    "                          for proxy --snapshot-file\n"
    "  crs-test DIR... [--paranoia-level N] [--only ID]\n"
    "                          run a CRS regression corpus through the managed WAF\n"
    "  managed list            the managed rulesets zones may execute (the control plane's;\n"
    "                          with --crs-dir or --crs-setup, imported from those files)\n"
    "  managed show ID [--paranoia-level N]\n"
    "                          a managed ruleset's version, digest and rules, and every rule\n"
    "                          left out or adjusted, with why\n"
    "\n"
    "Exit codes: 0 ok, 1 rejected (invalid, not found, denied, conflict), 2 usage, 3 server.";

// Each command's usage line, for a one-line error when its arguments are wrong.
struct CommandUsage {
  const char* name;
  const char* usage;
};
constexpr CommandUsage kCommands[] = {
    {"push", "gatectl push FILE.json [--expected-version N] [--transfer-hostnames]"},
    {"validate", "gatectl validate FILE.json"},
    {"get", "gatectl get ZONE [VERSION]"},
    {"diff", "gatectl diff FILE.json"},
    {"versions", "gatectl versions ZONE"},
    {"rollback", "gatectl rollback ZONE VERSION [--expected-version N]"},
    {"delete", "gatectl delete ZONE [--expected-version N]"},
    {"zones", "gatectl zones"},
    {"watch", "gatectl watch [--follow]"},
    {"tokens",
     "gatectl tokens create --permission read|edit|watch [--zone Z]... | tokens list | "
     "tokens revoke ID"},
    {"certs",
     "gatectl certs upload ZONE --cert CHAIN.pem --key KEY.pem | certs list [ZONE] | "
     "certs delete ZONE FINGERPRINT"},
    {"lists",
     "gatectl lists create NAME --kind ip|int|bytes [--file ITEMS] [--zone Z]... | "
     "lists replace NAME --file ITEMS | lists add|remove NAME (ITEM... | --file ITEMS) | "
     "lists delete NAME | lists list | lists get NAME | lists scope NAME --zones A,B | "
     "lists history NAME"},
    {"check", "gatectl check EXPR | gatectl check FILE.json"},
    {"eval",
     "gatectl eval --expr EXPR --request REQUEST.json | gatectl eval --config FILE.json "
     "--request REQUEST.json"},
    {"compile",
     "gatectl compile FILE.json... -o SNAPSHOT [-v VERSION] [--cert ZONE=CHAIN.pem,KEY.pem]..."},
    {"crs-test", "gatectl crs-test DIR... [--paranoia-level N] [--only ID] [--json]"},
    {"managed", "gatectl managed list | gatectl managed show ID [--paranoia-level N] [--json]"},
};

// What was wrong with a command line no command accepted, in one line.
int CommandLineError(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "gatectl: no command given; `gatectl --help` lists the commands\n");
    return gatehouse::gatectl::kExitUsage;
  }
  for (const CommandUsage& command : kCommands) {
    if (args[0] == command.name) {
      std::fprintf(stderr, "gatectl %s: wrong arguments; usage: %s\n", command.name,
                   command.usage);
      return gatehouse::gatectl::kExitUsage;
    }
  }
  std::fprintf(stderr, "gatectl: unknown command \"%s\"; `gatectl --help` lists the commands\n",
               args[0].c_str());
  return gatehouse::gatectl::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  namespace gatectl = gatehouse::gatectl;
  const char* env_addr = std::getenv("GATEHOUSE_ADDR");
  const char* env_token = std::getenv("GATEHOUSE_TOKEN");
  gatectl::GlobalOptions options;
  options.addr = env_addr != nullptr ? env_addr : "127.0.0.1:50051";
  options.token = env_token != nullptr ? env_token : "";
  gatectl::CommandOptions command;
  gatehouse::FlagSet flags("gatectl", kUsage, "Manage Gatehouse zone configs.");
  flags.AddString("addr", &options.addr,
                  "Control plane address, HOST:PORT, or replicas as IP:PORT,IP:PORT,... "
                  "(env GATEHOUSE_ADDR).");
  flags.AddString("token", &options.token,
                  "API token sent as a bearer token (env GATEHOUSE_TOKEN).");
  flags.AddString("tls-ca", &options.tls_ca,
                  "PEM CA certificate of a control plane serving TLS; connect with TLS.");
  flags.AddString("tls-cert", &options.tls_cert,
                  "PEM client certificate for a control plane that requires one (its "
                  "--client-ca); with --tls-key and --tls-ca.");
  flags.AddString("tls-key", &options.tls_key, "PEM private key of --tls-cert.");
  flags.AddInt("timeout-ms", &options.timeout_ms, "Deadline of each call, in milliseconds.");
  flags.AddBool("json", &options.json, "Print results as JSON, for scripts.");
  flags.AddInt("expected-version", &command.expected_version,
               "push, rollback, delete, lists: only if the zone (list) is at this version "
               "(0: any).");
  flags.AddBool("transfer-hostnames", &command.transfer_hostnames,
                "push (admin token): take host names other zones hold; they get a new version "
                "without them.");
  flags.AddRepeated("zone", &command.zones,
                    "tokens create: a zone the token may use; lists create: a zone that may "
                    "name the list (default: the token's zones) (repeat).");
  flags.AddString("zones", &command.zones_list,
                  "lists create, scope: the zones that may name the list, comma-separated.");
  flags.AddString("kind", &command.kind, "lists create: ip, int or bytes.");
  flags.AddString("file", &command.file,
                  "lists create, replace, add, remove: the items, one a line ('#' comments).");
  flags.AddString("permission", &command.permission, "tokens create: read, edit or watch.");
  flags.AddString("description", &command.description, "tokens create: a note for listings.");
  flags.AddRepeated("cert", &command.certs,
                    "certs upload: the PEM certificate chain, leaf first; compile: "
                    "ZONE=CHAIN.pem,KEY.pem, a zone's certificate and key (repeat).");
  flags.AddString("key", &command.key, "certs upload: the PEM private key of --cert.");
  flags.AddBool("follow", &command.follow, "watch: print again every --interval-ms.");
  flags.AddInt("interval-ms", &command.interval_ms, "watch --follow: pause between listings.");
  gatectl::RulesCommandOptions rules_options;
  flags.AddString("expr", &rules_options.expr, "check, eval: the expression.");
  flags.AddString("config", &rules_options.config, "eval: trace through this zone config.");
  flags.AddString("request", &rules_options.request, "eval: the request file (docs/rules.md).");
  flags.AddString("phase", &rules_options.phase,
                  "check, eval: the phase whose fields are in scope.");
  flags.AddString("geoip-db", &rules_options.geoip_db,
                  "eval: MaxMind DB file (City or Country) for the ip.src.* geolocation fields.");
  flags.AddString("asn-db", &rules_options.asn_db, "eval: MaxMind DB ASN file for ip.src.asnum.");
  gatectl::CrsTestOptions crs_test;
  flags.AddInt("paranoia-level", &crs_test.paranoia_level,
               "crs-test: the paranoia level (1-4); managed show: list only the rules that run "
               "at this level (default there: every rule).");
  flags.AddString("only", &crs_test.only, "crs-test: only the tests of this rule id.");
  // One --crs-dir / --crs-setup for every command that imports the CRS, with the control
  // plane's defaults.
  gatectl::ManagedRulesetFlags managed;
  flags.AddString("crs-dir", &managed.crs_dir,
                  "compile, validate, check, eval, crs-test, managed: the OWASP CRS rules folder "
                  "the managed ruleset owasp-crs is imported from (as the control plane's "
                  "--crs-dir); given to `managed`, it reads the files instead of the control "
                  "plane.");
  flags.AddString("crs-setup", &managed.crs_setup,
                  "compile, validate, check, eval, crs-test, managed: the CRS set-up file read "
                  "before the rules.");
  flags.AddBool("no-managed-rulesets", &managed.none,
                "compile, validate, check, eval, managed: import no managed ruleset.");
  // `managed` asks the control plane unless one of these says where the rulesets are.
  gatectl::ManagedCommandOptions managed_command;
  bool paranoia_given = false;
  for (const char* name : {"crs-dir", "crs-setup", "no-managed-rulesets"}) {
    flags.TrackGiven(name, &managed_command.local);
  }
  flags.TrackGiven("paranoia-level", &paranoia_given);
  const std::vector<std::string> args = flags.ParseOrExit(argc, argv);
  // Checked before any command runs: a bad file is a usage error naming it, not a failed call.
  if (auto tls = gatehouse::ClientTls::Load({options.tls_ca, options.tls_cert, options.tls_key});
      tls.ok()) {
    options.tls = *std::move(tls);
  } else {
    std::fprintf(stderr, "gatectl: %s\n", std::string(tls.status().message()).c_str());
    return gatectl::kExitUsage;
  }
  for (absl::string_view zone : absl::StrSplit(command.zones_list, ',', absl::SkipEmpty())) {
    command.zones.emplace_back(zone);
  }
  if (paranoia_given) managed_command.paranoia_level = crs_test.paranoia_level;
  gatectl::SetManagedRulesetFlags(managed);
  crs_test.json = options.json;
  crs_test.crs_dir = managed.crs_dir;
  crs_test.crs_setup = managed.crs_setup;
  if (!args.empty()) {
    if (auto code = gatectl::RunRulesCommand(args, rules_options)) return *code;
    if (auto code = gatectl::RunCompileCommand(args, command.certs)) return *code;
    if (auto code = gatectl::RunCrsTestCommand(args, crs_test)) return *code;
    if (auto code = gatectl::RunManagedCommand(args, options, managed_command)) return *code;
    if (auto code = gatectl::RunConfigCommand(args, options, command)) return *code;
    if (auto code = gatectl::RunTokenCommand(args, options, command)) return *code;
    if (auto code = gatectl::RunCertificateCommand(args, options, command)) return *code;
    if (auto code = gatectl::RunListCommand(args, options, command)) return *code;
  }
  return CommandLineError(args);
}

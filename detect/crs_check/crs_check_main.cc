// Runs CRS 3.3.4's regression tests for 942100 (@detectSQLi) and 941100 (@detectXSS) against
// Gatehouse's detectors, next to libmodsecurity's verdicts on the same stages (issue 14: pass at
// least as often). A developer tool: the corpus lives in ../shared, outside the repository and
// CI.
//
//   bazel run //detect/crs_check -- [--corpus=DIR] [--baseline=TSV] [--verbose]
//
// crs_stages.py turns the YAML into a TSV of stage inputs; everything after that is C++: each
// stage's request is completed as go-ftw completes it, decoded into the variables the rule reads
// (as libmodsecurity decodes them), put through the rule's transformations with //seclang
// (942100 with multiMatch: each intermediate value too) and handed to the detector. A stage
// expecting `id "942100"` in the log passes when the detector fires on some variable; one with
// no_log_contains when it fires on none. The "libinjection" column runs libinjection (from
// libmodsecurity's library) on exactly those values: where it matches the libmodsecurity column,
// this tool reads requests as libmodsecurity does, and a Gatehouse failure is the detector's.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "bench/libinjection.h"
#include "common/flags.h"
#include "detect/crs_check/ftw_request.h"
#include "detect/crs_check/request_variables.h"
#include "detect/sqli.h"
#include "detect/xss.h"
#include "seclang/transformations.h"

namespace gatehouse::crs_check {
namespace {

// A CRS rule as far as this check needs it: the variables (CRS 3.3.4's
// /usr/share/modsecurity-crs/rules/REQUEST-94{1,2}-*.conf; XML:/* is not read here), the
// transformations and the operator, Gatehouse's and libinjection's.
struct CrsRule {
  std::string_view id;
  std::string_view transformations;
  bool multi_match;
  bool reads_referer;
  bool (*gatehouse)(std::string_view value);
  bool (*libinjection)(std::string_view value);
};

bool GatehouseSqli(std::string_view value) { return detect::DetectSqli(value); }
bool GatehouseXss(std::string_view value) { return detect::DetectXss(value); }
bool LibinjectionSqli(std::string_view value) {
  char fingerprint[bench::kLibinjectionFingerprintSize];
  return libinjection_sqli(value.data(), value.size(), fingerprint) != 0;
}
bool LibinjectionXss(std::string_view value) {
  return libinjection_xss(value.data(), value.size()) != 0;
}

constexpr CrsRule kRules[] = {
    {"942100", "t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls", true, true, GatehouseSqli,
     LibinjectionSqli},
    {"941100",
     "t:none,t:utf8toUnicode,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,"
     "t:removeNulls",
     false, false, GatehouseXss, LibinjectionXss},
};

const CrsRule* FindRule(std::string_view id) {
  for (const CrsRule& rule : kRules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

struct Stage {
  std::string id;
  const CrsRule* rule = nullptr;
  bool expect_fire = false;
  FtwInput input;
};

// The rule's variables in its own order: REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|
// REQUEST_COOKIES_NAMES|REQUEST_HEADERS:User-Agent|[REQUEST_HEADERS:Referer|]ARGS_NAMES|ARGS.
std::vector<Variable> RuleVariables(const CrsRule& rule, const HttpRequest& request) {
  const RequestVariables variables(request);
  std::vector<Variable> out = variables.Cookies("__utm");
  const auto append = [&](std::vector<Variable> more) {
    out.insert(out.end(), more.begin(), more.end());
  };
  append(variables.CookieNames());
  append(variables.Headers("User-Agent"));
  if (rule.reads_referer) append(variables.Headers("Referer"));
  append(variables.ArgsNames());
  append(variables.Args());
  return out;
}

struct Verdict {
  bool gatehouse = false;
  bool libinjection = false;
  std::string gatehouse_on;
  std::string libinjection_on;
};

Verdict Judge(const Stage& stage, bool verbose) {
  const std::vector<seclang::Transformation> transformations =
      *seclang::ParseTransformationList(stage.rule->transformations);
  Verdict verdict;
  for (const Variable& variable : RuleVariables(*stage.rule, BuildFtwRequest(stage.input))) {
    const std::vector<std::string> values =
        stage.rule->multi_match
            ? seclang::MultiMatchValues(transformations, variable.value)
            : std::vector<std::string>{seclang::ApplyTransformations(transformations,
                                                                     variable.value)};
    for (const std::string& value : values) {
      const bool gatehouse = stage.rule->gatehouse(value);
      const bool libinjection = stage.rule->libinjection(value);
      if (gatehouse && !verdict.gatehouse) verdict.gatehouse_on = variable.name;
      if (libinjection && !verdict.libinjection) verdict.libinjection_on = variable.name;
      verdict.gatehouse |= gatehouse;
      verdict.libinjection |= libinjection;
      if (verbose) {
        std::printf("    %-28s gatehouse=%d libinjection=%d  %s\n", variable.name.c_str(),
                    gatehouse, libinjection, absl::CHexEscape(value).c_str());
      }
    }
  }
  return verdict;
}

// One line of crs_stages.py's output; false when it is malformed.
bool ParseStage(const std::string& line, Stage* stage) {
  std::vector<std::string> fields;
  for (size_t start = 0;;) {
    const size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  if (fields.size() != 10) return false;
  stage->id = fields[0];
  stage->rule = FindRule(fields[1]);
  stage->expect_fire = fields[2] == "fires";
  std::string headers;
  const bool decoded = absl::Base64Unescape(fields[3], &stage->input.method) &&
                       absl::Base64Unescape(fields[4], &stage->input.uri) &&
                       absl::Base64Unescape(fields[5], &stage->input.version) &&
                       absl::Base64Unescape(fields[6], &headers) &&
                       absl::Base64Unescape(fields[7], &stage->input.data) &&
                       absl::Base64Unescape(fields[9], &stage->input.raw_request);
  stage->input.autocomplete = fields[8] == "1";
  for (size_t start = 0; start < headers.size();) {
    size_t end = headers.find("\r\n", start);
    if (end == std::string::npos) end = headers.size();
    const std::string line_text = headers.substr(start, end - start);
    const size_t colon = line_text.find(": ");
    if (colon != std::string::npos) {
      stage->input.headers.emplace_back(line_text.substr(0, colon), line_text.substr(colon + 2));
    }
    start = end + 2;
  }
  return decoded && stage->rule != nullptr;
}

// Single quotes for /bin/sh.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The stage list: a file written by crs_stages.py, or its output run now.
bool ReadStageLines(const std::string& stages_file, const std::string& command,
                    std::vector<std::string>* lines) {
  if (!stages_file.empty()) {
    std::ifstream in(stages_file);
    if (!in) return false;
    for (std::string line; std::getline(in, line);) lines->push_back(line);
    return true;
  }
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return false;
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) text.append(buffer, n);
  if (pclose(pipe) != 0) return false;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines->push_back(line);
  return true;
}

// libmodsecurity's verdict per stage id, from the baseline TSV (stage, folder, verdict, ...).
std::map<std::string, std::string> ReadBaseline(const std::string& path) {
  std::map<std::string, std::string> verdicts;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::stringstream fields(line);
    std::string stage, folder, verdict;
    std::getline(fields, stage, '\t');
    std::getline(fields, folder, '\t');
    std::getline(fields, verdict, '\t');
    verdicts[stage] = verdict;
  }
  return verdicts;
}

// The first of `candidates` that exists, else the last.
std::string FirstExisting(const std::vector<std::string>& candidates) {
  for (const std::string& path : candidates) {
    if (std::filesystem::exists(path)) return path;
  }
  return candidates.back();
}

int Run(int argc, char** argv) {
  // Under bazel run the repository is BUILD_WORKSPACE_DIRECTORY; ../shared sits beside it.
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const std::string shared = std::string(workspace != nullptr ? workspace : ".") + "/../shared";
  std::string corpus = shared + "/crs-3.3.4-tests";
  std::string baseline = shared + "/tools/modsec-baseline/results-libmodsecurity-3.0.9.tsv";
  std::string stages_file;
  std::string python = "python3";
  bool verbose = false;
  const char* runfiles = std::getenv("RUNFILES_DIR");
  std::string script = FirstExisting({
      std::string(runfiles != nullptr ? runfiles : "") + "/gatehouse/detect/crs_check/crs_stages.py",
      std::string(argv[0]) + ".runfiles/gatehouse/detect/crs_check/crs_stages.py",
      "detect/crs_check/crs_stages.py",
  });
  FlagSet flags("crs_check", "crs_check [flags]",
                "CRS 3.3.4's regression tests for 942100 and 941100 against Gatehouse's "
                "detectors, next to libmodsecurity 3.0.9's verdicts. Exits 1 when Gatehouse "
                "passes fewer stages than libmodsecurity.");
  flags.AddString("corpus", &corpus, "The CRS regression tests (crs-3.3.4-tests).");
  flags.AddString("baseline", &baseline, "libmodsecurity's per-stage verdicts (TSV).");
  flags.AddString("stages", &stages_file,
                  "Read the stages from this file (crs_stages.py's output) instead of running "
                  "the script.");
  flags.AddString("stages_script", &script, "crs_stages.py.");
  flags.AddString("python", &python, "The Python with PyYAML that runs crs_stages.py.");
  flags.AddBool("verbose", &verbose, "Print every value each detector saw.");
  flags.ParseOrExit(argc, argv);

  std::vector<std::string> lines;
  std::string command = ShellQuote(python) + " " + ShellQuote(script) + " " + ShellQuote(corpus);
  for (const CrsRule& rule : kRules) command += " " + std::string(rule.id);
  if (!ReadStageLines(stages_file, command, &lines)) {
    std::fprintf(stderr, "crs_check: cannot read the stages (%s)\n",
                 stages_file.empty() ? command.c_str() : stages_file.c_str());
    return 2;
  }
  const std::map<std::string, std::string> libmodsecurity = ReadBaseline(baseline);
  if (libmodsecurity.empty()) std::fprintf(stderr, "crs_check: no baseline at %s\n", baseline.c_str());

  std::printf("%-16s %-8s %-34s %-34s %s\n", "stage", "expects", "gatehouse", "libinjection",
              "libmodsecurity");
  int stages = 0, gatehouse_passes = 0, libinjection_passes = 0, libmodsecurity_passes = 0;
  for (const std::string& line : lines) {
    Stage stage;
    if (line.empty()) continue;
    if (!ParseStage(line, &stage)) {
      std::fprintf(stderr, "crs_check: bad stage line: %s\n", line.c_str());
      return 2;
    }
    if (verbose) std::printf("%s\n", stage.id.c_str());
    const Verdict verdict = Judge(stage, verbose);
    const bool gatehouse_pass = verdict.gatehouse == stage.expect_fire;
    const bool libinjection_pass = verdict.libinjection == stage.expect_fire;
    const auto found = libmodsecurity.find(stage.id);
    const std::string reference = found == libmodsecurity.end() ? "-" : found->second;
    const auto cell = [](bool pass, std::string on) {
      // Long argument names (942100-10's is a whole payload) would break the columns.
      if (on.size() > 26) on = on.substr(0, 23) + "...";
      return std::string(pass ? "pass" : "FAIL") + (on.empty() ? "" : " (" + on + ")");
    };
    std::printf("%-16s %-8s %-34s %-34s %s\n", stage.id.c_str(),
                stage.expect_fire ? "fires" : "silent",
                cell(gatehouse_pass, verdict.gatehouse_on).c_str(),
                cell(libinjection_pass, verdict.libinjection_on).c_str(), reference.c_str());
    ++stages;
    gatehouse_passes += gatehouse_pass;
    libinjection_passes += libinjection_pass;
    libmodsecurity_passes += reference == "pass";
  }
  std::printf("\npasses: gatehouse %d/%d, libinjection (this tool's decoding) %d/%d, "
              "libmodsecurity 3.0.9 (full CRS) %d/%d\n",
              gatehouse_passes, stages, libinjection_passes, stages, libmodsecurity_passes,
              stages);
  const bool at_least = gatehouse_passes >= libmodsecurity_passes;
  std::printf("Gatehouse passes at least as often as libmodsecurity: %s\n", at_least ? "yes" : "no");
  return at_least ? 0 : 1;
}

}  // namespace
}  // namespace gatehouse::crs_check

int main(int argc, char** argv) { return gatehouse::crs_check::Run(argc, argv); }

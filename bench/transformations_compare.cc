// seclang's transformation functions next to libmodsecurity 3's, on the same random inputs: the
// managed WAF and bench/detect_compare rely on the two agreeing.
//
//   bazel run -c opt //bench:transformations_compare -- [--inputs=3000] [--seed=1] [--examples=5]
//
// libmodsecurity's result is read from its log through the public API: one rule per function,
// `SecRule ARGS "@unconditionalMatch" "...,t:none,t:NAME,logdata:'[[%{MATCHED_VAR}]]'"`, logs
// the transformed value of the request's one argument, with bytes outside printable ASCII
// written as \xHH. Inputs are random runs of escape fragments, so each decoder's edge cases come
// up. An input whose transformed value holds a NUL is skipped: the log line ends there.
//
// Found with libmodsecurity 3.0.9: every function agrees except utf8toUnicode, where
// libmodsecurity drops the lead byte of a truncated sequence ("\xC3(" becomes "(") and writes
// the lead byte again after an overlong form or a surrogate ("\xC0\xBC" becomes "%u003c\xC0");
// seclang keeps the first and does not repeat the second. Not visible here (NUL): its cssDecode
// stops at the first NUL byte, and its utf8toUnicode drops NUL bytes.
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "bench/modsecurity_one_rule.h"
#include "common/flags.h"
#include "seclang/transformations.h"

namespace gatehouse::bench {
namespace {

constexpr seclang::Transformation kCompared[] = {
    seclang::Transformation::kUtf8ToUnicode,    seclang::Transformation::kUrlDecode,
    seclang::Transformation::kUrlDecodeUni,     seclang::Transformation::kHtmlEntityDecode,
    seclang::Transformation::kJsDecode,         seclang::Transformation::kCssDecode,
    seclang::Transformation::kRemoveNulls,      seclang::Transformation::kLowercase,
};

// Pieces of escapes, valid and not, and bytes that matter to some decoder.
constexpr std::string_view kFragments[] = {
    "%",       "%u",          "%uff1c",      "%U0041",     "%41",      "%2",
    "+",       "&",           "&#",          "&#x",        "&#X3c",    "&lt",
    "&LT;",    "&amp;",       ";",           "&nbsp;",     "&quot",    "&#0;",
    "&#x1F600;", "\\",        "\\x",         "\\u",        "\\uff3c",  "\\0",
    "\\3",     "\\477",       "\\ff1c ",     "\\00003c",   "\\12345678", "\xc3\xa9",
    "\xc3",    "\x80",        "\xef\xbc\x9c", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xbc",
    "\xe0\x80\xbc", "\xf4\x90\x80\x80", "a", "B", "1", "f", "F", " ", "\t", "'", "<", "x", "u",
};

// The last log line libmodsecurity wrote; the callback is its public hook for them.
std::string last_log_line;
void KeepLogLine(void*, const void* line) {
  last_log_line = line != nullptr ? static_cast<const char*>(line) : "";
}

// The transformed value from a log line's [data "[[...]]"], \xHH turned back into bytes.
bool LoggedValue(const std::string& line, std::string* value) {
  constexpr std::string_view kOpen = "[data \"[[";
  const size_t open = line.find(kOpen);
  const size_t close = line.rfind("]]\"]");
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  const std::string_view logged =
      std::string_view(line).substr(open + kOpen.size(), close - open - kOpen.size());
  value->clear();
  for (size_t i = 0; i < logged.size(); ++i) {
    if (logged[i] == '\\' && i + 3 < logged.size() && logged[i + 1] == 'x') {
      const std::string hex(logged.substr(i + 2, 2));
      value->push_back(static_cast<char>(std::stoi(hex, nullptr, 16)));
      i += 3;
    } else {
      value->push_back(logged[i]);
    }
  }
  return true;
}

int Run(int argc, char** argv) {
  int64_t inputs = 3000;
  int64_t seed = 1;
  int64_t examples = 5;
  FlagSet flags("transformations_compare", "transformations_compare [flags]",
                "seclang's transformation functions next to libmodsecurity 3's on random "
                "inputs; prints the differences.");
  flags.AddInt("inputs", &inputs, "Random inputs per function.");
  flags.AddInt("seed", &seed, "Seed of the input generator.");
  flags.AddInt("examples", &examples, "Differences printed per function.");
  flags.ParseOrExit(argc, argv);

  for (seclang::Transformation transformation : kCompared) {
    const std::string name(seclang::TransformationName(transformation));
    modsecurity::ModSecurity modsecurity;
    modsecurity.setServerLogCb(KeepLogLine);
    modsecurity::RulesSet rules;
    const std::string configuration =
        "SecRuleEngine On\nSecRule ARGS \"@unconditionalMatch\" \"id:1,phase:2,pass,log,t:none,"
        "t:" + name + ",logdata:'[[%{MATCHED_VAR}]]'\"\n";
    if (rules.load(configuration.c_str()) < 0) {
      std::fprintf(stderr, "transformations_compare: %s\n", rules.getParserError().c_str());
      return 1;
    }
    std::mt19937_64 random(static_cast<uint64_t>(seed));
    int64_t compared = 0, skipped = 0, differing = 0;
    for (int64_t n = 0; n < inputs; ++n) {
      std::string input;
      for (uint64_t k = 1 + random() % 8; k > 0; --k) {
        input += kFragments[random() % std::size(kFragments)];
      }
      const std::string ours = seclang::ApplyTransformation(transformation, input);
      if (ours.find('\0') != std::string::npos) {
        ++skipped;
        continue;
      }
      last_log_line.clear();
      const std::string uri = "/?q=" + QueryEscape(input);
      modsecurity::Transaction transaction(&modsecurity, &rules, nullptr);
      transaction.processConnection("127.0.0.1", 40000, "127.0.0.1", 80);
      transaction.processURI(uri.c_str(), "GET", "1.1");
      transaction.addRequestHeader("Host", "localhost");
      transaction.processRequestHeaders();
      transaction.processRequestBody();
      std::string theirs;
      if (!LoggedValue(last_log_line, &theirs)) theirs = "(no log line)";
      ++compared;
      if (theirs == ours) continue;
      if (++differing <= examples) {
        std::printf("  %-16s input \"%s\"\n  %-16s seclang \"%s\" libmodsecurity \"%s\"\n",
                    name.c_str(), absl::CHexEscape(input).c_str(), "",
                    absl::CHexEscape(ours).c_str(), absl::CHexEscape(theirs).c_str());
      }
    }
    std::printf("%-16s compared %lld, differ %lld, skipped (NUL) %lld\n", name.c_str(),
                static_cast<long long>(compared), static_cast<long long>(differing),
                static_cast<long long>(skipped));
  }
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Run(argc, argv); }

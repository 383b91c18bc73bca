// Gatehouse's SQL-injection and XSS detectors next to libinjection as libmodsecurity 3 ships it,
// on the detector corpora (issue 14): detection rates on the attack corpora, false positives on
// the benign one.
//
//   bazel run -c opt //bench:detect_compare --
//       --sqli_attacks=$PWD/detect/corpus/sqli_attacks.txt
//       --xss_attacks=$PWD/detect/corpus/xss_attacks.txt
//       --benign=$PWD/detect/corpus/benign.txt --disagreements=/tmp/disagreements.tsv
//
// libinjection's side goes through libmodsecurity's public API, one rule per detector in the
// shape of CRS's 942100 / 941100 (same operator, same transformations, ARGS only, no
// multiMatch): each string is the value of the one query argument of a GET. Gatehouse's side
// applies the same transformations with //seclang to the same value and calls the detector.
// As a check on that set-up, libinjection is also called directly on seclang's transformed
// value ("direct"): where that disagrees with libmodsecurity the transformations differ, not the
// detectors, and the string is listed as such. Known differences, all libmodsecurity 3.0.9's:
// its cssDecode stops at the first NUL byte, so a NUL that an earlier step decoded (%2500, &#0;,
// \0) hides the rest of the value from @detectXSS; its utf8toUnicode drops NUL bytes and the lead
// byte of a truncated sequence, and adds the lead byte after an overlong one.
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/libinjection.h"
#include "bench/modsecurity_one_rule.h"
#include "common/flags.h"
#include "detect/corpus/corpus.h"
#include "detect/sqli.h"
#include "detect/xss.h"
#include "seclang/transformations.h"

namespace gatehouse::bench {
namespace {

struct Detector {
  std::string_view name;
  std::string_view rule;
  std::string_view transformations;
  // Gatehouse's detector and libinjection's, each on an already transformed value; the
  // fingerprint (SQL only) goes to the disagreements file.
  bool (*gatehouse)(std::string_view value, std::string* fingerprint);
  bool (*libinjection)(std::string_view value, std::string* fingerprint);
};

bool GatehouseSqli(std::string_view value, std::string* fingerprint) {
  detect::SqliFingerprint f;
  const bool hit = detect::DetectSqli(value, &f);
  if (hit) *fingerprint = std::string(f.view());
  return hit;
}

bool LibinjectionSqli(std::string_view value, std::string* fingerprint) {
  char f[kLibinjectionFingerprintSize] = {};
  const bool hit = libinjection_sqli(value.data(), value.size(), f) != 0;
  if (hit) *fingerprint = f;
  return hit;
}

bool GatehouseXss(std::string_view value, std::string*) { return detect::DetectXss(value); }

bool LibinjectionXss(std::string_view value, std::string*) {
  return libinjection_xss(value.data(), value.size()) != 0;
}

// CRS 3.3.4's 942100 and 941100 reduced to ARGS and a deny, so an intervention means "the
// detector fired".
constexpr Detector kSqli = {
    "sqli",
    R"(SecRule ARGS "@detectSQLi" "id:1,phase:2,deny,status:403,log,)"
    R"(t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls")",
    "t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls",
    GatehouseSqli,
    LibinjectionSqli,
};
constexpr Detector kXss = {
    "xss",
    R"(SecRule ARGS "@detectXSS" "id:2,phase:2,deny,status:403,log,)"
    R"(t:none,t:utf8toUnicode,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,)"
    R"(t:removeNulls")",
    "t:none,t:utf8toUnicode,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,"
    "t:removeNulls",
    GatehouseXss,
    LibinjectionXss,
};

struct Row {
  std::string corpus;
  std::string_view detector;
  bool attacks = false;
  size_t strings = 0;
  size_t libinjection = 0;
  size_t gatehouse = 0;
  size_t both = 0;
  // libinjection called directly on seclang's transformations: fired, and agreed with
  // libmodsecurity.
  size_t direct = 0;
  size_t direct_agrees = 0;
};

// One line of the disagreements file holds a string with tabs, newlines and non-printable bytes
// as \t \n \xHH, and a backslash as \\.
std::string Escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Percent(size_t part, size_t whole) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f%%", whole == 0 ? 0.0 : 100.0 * part / whole);
  return text;
}

int Run(int argc, char** argv) {
  std::string sqli_path = "detect/corpus/sqli_attacks.txt";
  std::string xss_path = "detect/corpus/xss_attacks.txt";
  std::string benign_path = "detect/corpus/benign.txt";
  std::string disagreements_path;
  FlagSet flags("detect_compare", "detect_compare [flags]",
                "Detection and false-positive rates of Gatehouse's SQLi/XSS detectors next to "
                "libinjection in libmodsecurity 3 (one CRS-like rule per detector), on the "
                "detector corpora. Relative paths are read from the working directory (the "
                "runfiles under bazel run).");
  flags.AddString("sqli_attacks", &sqli_path, "SQL-injection attack corpus, one per line.");
  flags.AddString("xss_attacks", &xss_path, "XSS attack corpus, one per line.");
  flags.AddString("benign", &benign_path, "Benign corpus, one per line.");
  flags.AddString("disagreements", &disagreements_path,
                  "Write every string the two sides judge differently here (TSV).");
  flags.ParseOrExit(argc, argv);

  struct Corpus {
    std::string name;
    std::string path;
    bool attacks;
    std::vector<const Detector*> detectors;
  };
  const std::vector<Corpus> corpora = {
      {"sqli_attacks", sqli_path, true, {&kSqli}},
      {"xss_attacks", xss_path, true, {&kXss}},
      {"benign", benign_path, false, {&kSqli, &kXss}},
  };

  auto sqli_engine = ModSecurityOneRule::Create("SecRuleEngine On\n" + std::string(kSqli.rule));
  auto xss_engine = ModSecurityOneRule::Create("SecRuleEngine On\n" + std::string(kXss.rule));
  for (const auto* engine : {&sqli_engine, &xss_engine}) {
    if (!engine->ok()) {
      std::fprintf(stderr, "detect_compare: %s\n", std::string(engine->status().message()).c_str());
      return 1;
    }
  }

  std::ofstream disagreements;
  if (!disagreements_path.empty()) {
    disagreements.open(disagreements_path);
    if (!disagreements) {
      std::fprintf(stderr, "detect_compare: cannot write %s\n", disagreements_path.c_str());
      return 1;
    }
    disagreements << "corpus\tdetector\tfired_on\tlibinjection_fingerprint\tgatehouse_fingerprint"
                     "\tstring\ttransformed\n";
  }

  std::vector<Row> rows;
  for (const Corpus& corpus : corpora) {
    std::optional<std::vector<std::string>> strings;
    strings.emplace(detect::corpus::ReadCorpusFile(corpus.path));
    if (strings->empty()) {
      std::fprintf(stderr, "detect_compare: cannot read %s (set --%s)\n", corpus.path.c_str(),
                   corpus.attacks ? corpus.name.c_str() : "benign");
      return 1;
    }
    for (const Detector* detector : corpus.detectors) {
      ModSecurityOneRule& engine = detector == &kSqli ? **sqli_engine : **xss_engine;
      const auto transformations = *seclang::ParseTransformationList(detector->transformations);
      Row row{corpus.name, detector->name, corpus.attacks};
      for (const std::string& s : *strings) {
        const std::string value = seclang::ApplyTransformations(transformations, s);
        std::string lib_fingerprint;
        std::string gh_fingerprint;
        const bool lib = engine.DeniesArgument(s);
        const bool direct = detector->libinjection(value, &lib_fingerprint);
        const bool gh = detector->gatehouse(value, &gh_fingerprint);
        ++row.strings;
        row.libinjection += lib;
        row.gatehouse += gh;
        row.both += lib && gh;
        row.direct += direct;
        row.direct_agrees += lib == direct;
        if (!disagreements.is_open()) continue;
        const auto write = [&](std::string_view fired_on) {
          disagreements << corpus.name << '\t' << detector->name << '\t' << fired_on << '\t'
                        << lib_fingerprint << '\t' << gh_fingerprint << '\t' << Escape(s) << '\t'
                        << Escape(value) << '\n';
        };
        if (lib != gh) write(lib ? "libinjection" : "gatehouse");
        // Not a detector difference: seclang and libmodsecurity transformed differently.
        if (lib != direct) write(lib ? "libmodsecurity-not-direct" : "direct-not-libmodsecurity");
      }
      rows.push_back(row);
    }
  }

  // "libinjection" is libmodsecurity's verdict, the figure the issue compares against; "direct"
  // is libinjection on seclang's transformations, the detectors alone on equal inputs.
  std::printf("%-13s %-5s %7s  %-20s %-20s %-20s %7s  %s\n", "corpus", "rule", "strings",
              "libinjection", "gatehouse", "direct", "both", "rate is");
  for (const Row& r : rows) {
    const auto cell = [&](size_t n) {
      return std::to_string(n) + " (" + Percent(n, r.strings) + ")";
    };
    std::printf("%-13s %-5s %7zu  %-20s %-20s %-20s %7zu  %s\n", r.corpus.c_str(),
                std::string(r.detector).c_str(), r.strings, cell(r.libinjection).c_str(),
                cell(r.gatehouse).c_str(), cell(r.direct).c_str(), r.both,
                r.attacks ? "detection" : "false positives");
  }
  std::printf("\nlibinjection: through libmodsecurity 3 (one CRS-like rule); gatehouse: seclang's "
              "transformations + Gatehouse's detector;\ndirect: libinjection called on seclang's "
              "transformations. direct agrees with libinjection on:");
  for (const Row& r : rows) {
    std::printf(" %s/%s %zu/%zu", r.corpus.c_str(), std::string(r.detector).c_str(),
                r.direct_agrees, r.strings);
  }
  std::printf("\n");
  if (disagreements.is_open()) std::printf("\ndisagreements: %s\n", disagreements_path.c_str());
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Run(argc, argv); }

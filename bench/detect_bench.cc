// Time per input of Gatehouse's detectors and of libinjection (as libmodsecurity 3 exports it)
// on the same inputs (issue 14: <= 1 us per 100-byte benign input, within 1.5x of libinjection):
//
//   bazel run -c opt //bench:detect_bench --
//       --sqli_attacks=$PWD/detect/corpus/sqli_attacks.txt
//       --xss_attacks=$PWD/detect/corpus/xss_attacks.txt --benign=$PWD/detect/corpus/benign.txt
//
// Inputs: "benign100", benign corpus strings joined by spaces and cut into 100-byte pieces, and
// "attacks", the attack corpus as it is. Each iteration runs one detector on one input, cycling
// through the set, so the reported time is nanoseconds per input. Detectors only: no
// transformations, no request parsing.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "bench/libinjection.h"
#include "benchmark/benchmark.h"
#include "common/flags.h"
#include "detect/corpus/corpus.h"
#include "detect/sqli.h"
#include "detect/xss.h"

namespace gatehouse::bench {
namespace {

constexpr size_t kBenignInputBytes = 100;
constexpr size_t kMaxInputs = 2000;

// Benign strings laid end to end, separated by spaces, cut into pieces of exactly `size` bytes:
// typical field lengths for the speed target regardless of how long each corpus line is.
std::vector<std::string> FixedSizeInputs(const std::vector<std::string>& strings, size_t size) {
  std::vector<std::string> out;
  std::string current;
  for (const std::string& s : strings) {
    if (!current.empty()) current.push_back(' ');
    current += s;
    while (current.size() >= size && out.size() < kMaxInputs) {
      out.push_back(current.substr(0, size));
      current.erase(0, size);
    }
    if (out.size() == kMaxInputs) break;
  }
  return out;
}

bool GatehouseSqli(std::string_view input) {
  detect::SqliFingerprint fingerprint;
  return detect::DetectSqli(input, &fingerprint);
}

bool LibinjectionSqli(std::string_view input) {
  char fingerprint[kLibinjectionFingerprintSize];
  return libinjection_sqli(input.data(), input.size(), fingerprint) != 0;
}

bool GatehouseXss(std::string_view input) { return detect::DetectXss(input); }

bool LibinjectionXss(std::string_view input) {
  return libinjection_xss(input.data(), input.size()) != 0;
}

void Register(const std::string& name, bool (*detector)(std::string_view),
              const std::vector<std::string>* inputs) {
  size_t bytes = 0;
  for (const std::string& input : *inputs) bytes += input.size();
  const std::string label = std::to_string(inputs->size()) + " inputs, " +
                            std::to_string(inputs->empty() ? 0 : bytes / inputs->size()) +
                            " B average";
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    if (inputs->empty()) {
      state.SkipWithError("no inputs");
      return;
    }
    size_t i = 0;
    size_t hits = 0;
    for (auto _ : state) {
      hits += detector((*inputs)[i]);
      if (++i == inputs->size()) i = 0;
    }
    benchmark::DoNotOptimize(hits);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                            static_cast<int64_t>(bytes / inputs->size()));
    state.SetLabel(label);
  });
}

int Run(int argc, char** argv) {
  // Google Benchmark takes its --benchmark_* flags out of argv first; the rest are ours.
  benchmark::Initialize(&argc, argv);
  std::string sqli_path = "detect/corpus/sqli_attacks.txt";
  std::string xss_path = "detect/corpus/xss_attacks.txt";
  std::string benign_path = "detect/corpus/benign.txt";
  FlagSet flags("detect_bench", "detect_bench [--benchmark_* flags] [flags]",
                "Nanoseconds per input of Gatehouse's SQLi/XSS detectors and libinjection's on "
                "the same inputs. Relative paths are read from the working directory (the "
                "runfiles under bazel run).");
  flags.AddString("sqli_attacks", &sqli_path, "SQL-injection attack corpus, one per line.");
  flags.AddString("xss_attacks", &xss_path, "XSS attack corpus, one per line.");
  flags.AddString("benign", &benign_path, "Benign corpus, one per line.");
  flags.ParseOrExit(argc, argv);

  std::vector<std::string> loaded[3];
  const std::string* paths[3] = {&sqli_path, &xss_path, &benign_path};
  for (int k = 0; k < 3; ++k) {
    loaded[k] = detect::corpus::ReadCorpusFile(*paths[k]);
    if (loaded[k].empty()) {
      std::fprintf(stderr, "detect_bench: cannot read %s\n", paths[k]->c_str());
      return 1;
    }
  }
  // The benign corpus is ordered by family: every family's strings take part in both benign
  // sets, so they are drawn from the whole of it.
  std::vector<std::string> benign_lines;
  std::vector<std::string> markup;
  for (const std::string& line : loaded[2]) {
    if (line.find_first_of("<=") != std::string::npos) markup.push_back(line);
  }
  for (size_t i = 0; i < loaded[2].size(); i += 5) benign_lines.push_back(loaded[2][i]);
  for (int k = 0; k < 2; ++k) {
    if (loaded[k].size() > kMaxInputs) loaded[k].resize(kMaxInputs);
  }
  // Kept alive for the benchmarks, which hold pointers to them.
  static std::vector<std::string> sqli_attacks, xss_attacks, benign100, benign_markup100;
  sqli_attacks = std::move(loaded[0]);
  xss_attacks = std::move(loaded[1]);
  benign100 = FixedSizeInputs(benign_lines, kBenignInputBytes);
  // The benign strings with a '<' or '=' (URLs with queries, code, maths, key=value): the XSS
  // detector reads only these in full, so they are its hard case.
  benign_markup100 = FixedSizeInputs(markup, kBenignInputBytes);

  Register("BM_DetectSqli_Gatehouse/benign100", GatehouseSqli, &benign100);
  Register("BM_DetectSqli_Libinjection/benign100", LibinjectionSqli, &benign100);
  Register("BM_DetectSqli_Gatehouse/attacks", GatehouseSqli, &sqli_attacks);
  Register("BM_DetectSqli_Libinjection/attacks", LibinjectionSqli, &sqli_attacks);
  Register("BM_DetectXss_Gatehouse/benign100", GatehouseXss, &benign100);
  Register("BM_DetectXss_Libinjection/benign100", LibinjectionXss, &benign100);
  Register("BM_DetectXss_Gatehouse/benign_markup100", GatehouseXss, &benign_markup100);
  Register("BM_DetectXss_Libinjection/benign_markup100", LibinjectionXss, &benign_markup100);
  Register("BM_DetectSqli_Gatehouse/benign_markup100", GatehouseSqli, &benign_markup100);
  Register("BM_DetectSqli_Libinjection/benign_markup100", LibinjectionSqli, &benign_markup100);
  Register("BM_DetectXss_Gatehouse/attacks", GatehouseXss, &xss_attacks);
  Register("BM_DetectXss_Libinjection/attacks", LibinjectionXss, &xss_attacks);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Run(argc, argv); }

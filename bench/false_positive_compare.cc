// False positives of the managed WAF next to libmodsecurity + CRS, on the same benign requests:
//   bazel run -c opt //bench:false_positive_compare -- [--count=10000] [--seed=15]
//       [--paranoia_level=1] [--threshold=40 --threshold=5] [--examples=3]
// The corpus is crs_conformance/benign's generator (browser page and asset loads with long
// cookies, search, JSON API calls, form posts, uploads). Gatehouse runs Debian's CRS imported and
// linked, as a zone executing owasp-crs at the paranoia level and threshold runs it;
// libmodsecurity 3 runs the same CRS files as nginx's connector deploys them
// (bench/modsecurity_crs.h). For each threshold: requests blocked by each, per kind of request,
// the rules that matched in blocked requests, and the requests only one of them blocks.
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/modsecurity_crs.h"
#include "common/flags.h"
#include "compiler/seclang_import/crs_import.h"
#include "crs_conformance/benign/corpus.h"
#include "crs_conformance/zone_waf.h"
#include "waf/linked_program.h"

namespace gatehouse::bench {
namespace {

using crs_conformance::benign::BenignRequest;

std::string Joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

// What one engine blocked of the corpus.
class Tally {
 public:
  void Add(const BenignRequest& item, bool blocked, const std::vector<std::string>& rule_ids) {
    ++seen_[item.kind];
    if (!rule_ids.empty()) ++matched_;
    if (!blocked) return;
    ++blocked_;
    ++blocked_by_kind_[item.kind];
    for (const std::string& id : rule_ids) ++rules_[id];
  }

  int blocked() const { return blocked_; }
  // Requests in which any rule logged a match, blocked or not.
  int matched() const { return matched_; }
  int blocked_of(const std::string& kind) const {
    auto found = blocked_by_kind_.find(kind);
    return found == blocked_by_kind_.end() ? 0 : found->second;
  }
  const std::map<std::string, int>& seen() const { return seen_; }
  // "942100 ×12, 949110 ×14".
  std::string Rules() const {
    std::string out;
    for (const auto& [id, count] : rules_) {
      out += (out.empty() ? "" : ", ") + id + " ×" + std::to_string(count);
    }
    return out.empty() ? "—" : out;
  }

 private:
  int blocked_ = 0;
  int matched_ = 0;
  std::map<std::string, int> seen_;
  std::map<std::string, int> blocked_by_kind_;
  std::map<std::string, int> rules_;
};

// A request one engine blocked and the other passed, with both engines' rule ids.
struct Disagreement {
  const BenignRequest* item;
  std::vector<std::string> gatehouse_ids;
  std::vector<std::string> modsecurity_ids;
};

void PrintDisagreements(const char* title, const std::vector<Disagreement>& list, int examples) {
  std::printf("\n%s: %zu\n", title, list.size());
  for (int i = 0; i < examples && i < static_cast<int>(list.size()); ++i) {
    const Disagreement& d = list[i];
    std::printf("--- %s; Gatehouse: [%s]; libmodsecurity: [%s]\n%s\n", d.item->kind.c_str(),
                Joined(d.gatehouse_ids).c_str(), Joined(d.modsecurity_ids).c_str(),
                d.item->request.Serialize().substr(0, 1500).c_str());
  }
}

void Compare(const std::shared_ptr<const waf::LinkedProgram>& program,
             const std::vector<BenignRequest>& corpus, int paranoia_level, int64_t threshold,
             int examples) {
  crs_conformance::ZoneWaf gatehouse(program, static_cast<uint32_t>(paranoia_level), threshold);
  const ModSecurityCrs modsecurity(paranoia_level, threshold);
  Tally gatehouse_tally;
  Tally modsecurity_tally;
  std::vector<Disagreement> only_gatehouse;
  std::vector<Disagreement> only_modsecurity;
  std::chrono::nanoseconds gatehouse_time{0};
  std::chrono::nanoseconds modsecurity_time{0};
  for (const BenignRequest& item : corpus) {
    const auto start = std::chrono::steady_clock::now();
    const crs_conformance::WafVerdict ours = gatehouse.Check(item.request);
    const auto middle = std::chrono::steady_clock::now();
    const ModSecurityCrs::Verdict theirs = modsecurity.Check(item.request);
    modsecurity_time += std::chrono::steady_clock::now() - middle;
    gatehouse_time += middle - start;
    gatehouse_tally.Add(item, ours.blocked, ours.rule_ids);
    modsecurity_tally.Add(item, theirs.blocked, theirs.rule_ids);
    if (ours.blocked != theirs.blocked) {
      (ours.blocked ? only_gatehouse : only_modsecurity)
          .push_back({&item, ours.rule_ids, theirs.rule_ids});
    }
  }

  const auto per_request_us = [&](std::chrono::nanoseconds total) {
    return std::chrono::duration<double, std::micro>(total).count() /
           static_cast<double>(corpus.size());
  };
  std::printf("\n## paranoia level %d, inbound threshold %lld\n\n", paranoia_level,
              static_cast<long long>(threshold));
  std::printf("| requests | kind | Gatehouse blocked | libmodsecurity blocked |\n");
  std::printf("| ---: | --- | ---: | ---: |\n");
  for (const auto& [kind, seen] : gatehouse_tally.seen()) {
    std::printf("| %d | %s | %d | %d |\n", seen, kind.c_str(), gatehouse_tally.blocked_of(kind),
                modsecurity_tally.blocked_of(kind));
  }
  std::printf("| **%zu** | **all** | **%d** | **%d** |\n", corpus.size(), gatehouse_tally.blocked(),
              modsecurity_tally.blocked());
  std::printf(
      "\nRequests in which any rule matched (blocked or not): Gatehouse %d, "
      "libmodsecurity %d\n",
      gatehouse_tally.matched(), modsecurity_tally.matched());
  std::printf("\nRules matched in blocked requests (requests):\n");
  std::printf("- Gatehouse: %s\n", gatehouse_tally.Rules().c_str());
  std::printf("- libmodsecurity: %s\n", modsecurity_tally.Rules().c_str());
  std::printf(
      "\nEngine time per request (whole corpus, this loop): Gatehouse %.1f µs, "
      "libmodsecurity %.1f µs\n",
      per_request_us(gatehouse_time), per_request_us(modsecurity_time));
  PrintDisagreements("Blocked by Gatehouse only", only_gatehouse, examples);
  PrintDisagreements("Blocked by libmodsecurity only", only_modsecurity, examples);
  std::fflush(stdout);
}

int Main(int argc, char** argv) {
  int64_t count = crs_conformance::benign::kDefaultCount;
  int64_t seed = static_cast<int64_t>(crs_conformance::benign::kDefaultSeed);
  int64_t paranoia_level = 1;
  int64_t examples = 3;
  std::vector<std::string> thresholds;
  FlagSet flags("false_positive_compare", "false_positive_compare [flags]",
                "Blocked benign requests: Gatehouse's managed WAF next to libmodsecurity + CRS.");
  flags.AddInt("count", &count, "requests in the benign corpus");
  flags.AddInt("seed", &seed, "the corpus generator's seed");
  flags.AddInt("paranoia_level", &paranoia_level, "CRS paranoia level, 1 to 4");
  flags.AddRepeated("threshold", &thresholds,
                    "inbound anomaly score thresholds to compare at (default 40 and 5)");
  flags.AddInt("examples", &examples, "requests shown of each kind of disagreement");
  flags.ParseOrExit(argc, argv);
  if (thresholds.empty()) thresholds = {"40", "5"};

  const auto start = std::chrono::steady_clock::now();
  const std::vector<BenignRequest> corpus = crs_conformance::benign::GenerateBenignCorpus(
      static_cast<uint64_t>(seed), static_cast<int>(count));
  size_t bytes = 0;
  for (const BenignRequest& item : corpus) bytes += item.request.Serialize().size();
  absl::StatusOr<waf::v1::WafProgram> program =
      seclang_import::ImportCrs(seclang_import::CrsImportOptions{});
  if (!program.ok()) {
    std::fprintf(stderr, "import: %s\n", std::string(program.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  if (!linked.ok()) {
    std::fprintf(stderr, "link: %s\n", std::string(linked.status().message()).c_str());
    return 1;
  }
  std::printf("# Benign corpus: %zu requests (seed %lld, %.1f MB), CRS %s, prepared in %.1f s\n",
              corpus.size(), static_cast<long long>(seed), static_cast<double>(bytes) / 1e6,
              (*linked)->ruleset_version().c_str(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (const std::string& threshold : thresholds) {
    Compare(*linked, corpus, static_cast<int>(paranoia_level), std::stoll(threshold),
            static_cast<int>(examples));
  }
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Main(argc, argv); }

// waf_inputs::RequestCollections next to libmodsecurity 3.0.9 on the same requests: every request
// variable the managed WAF's CRS rules read, per collection, compared as multisets of
// (key, value) (libmodsecurity keeps its collections in hash order).
//
//   bench/crs_corpus_requests.py ../shared/crs-3.3.4-tests > /tmp/crs-requests.txt
//   bazel run -c opt //bench:collections_compare -- --requests=/tmp/crs-requests.txt
//       [--differences=/tmp/collection-differences.txt] [--only=STAGE_SUBSTRING]
//
// The requests are the corpus's, built by the libmodsecurity baseline's own request builder
// (run_modsec_ftw.py). libmodsecurity's side is read through bench/modsecurity_collections.h
// (one dumping rule per variable); Gatehouse's side is RequestCollections::Build with
// SelectBodyProcessor, as the managed WAF will run them. Prints, per collection, the stages where
// both agree and the stages where libmodsecurity's collection holds something.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "bench/modsecurity_collections.h"
#include "bench/synthetic_requests.h"
#include "common/flags.h"
#include "rules/request_data.h"
#include "waf_inputs/body_processor.h"
#include "waf_inputs/collection.h"
#include "waf_inputs/request_collections.h"

namespace gatehouse::bench {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

struct Stage {
  std::string id;
  ProbeRequest request;
};

std::string Unbase64(const std::string& text) {
  std::string out;
  absl::Base64Unescape(absl::string_view(text.data(), text.size()), &out);
  return out;
}

// The stage format of the baseline's modsec_ftw (see crs_corpus_requests.py).
std::vector<Stage> ReadStages(std::istream& in) {
  std::vector<Stage> stages;
  std::string line;
  Stage stage;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::string rest = line.size() > 2 ? line.substr(2) : "";
    switch (line[0]) {
      case 'T':
        stage = Stage{rest, {}};
        break;
      case 'M':
        stage.request.method = Unbase64(rest);
        break;
      case 'U':
        stage.request.uri = Unbase64(rest);
        break;
      case 'V':
        stage.request.version = Unbase64(rest);
        break;
      case 'H': {
        const std::size_t space = rest.find(' ');
        stage.request.headers.emplace_back(Unbase64(rest.substr(0, space)),
                                           Unbase64(rest.substr(space + 1)));
        break;
      }
      case 'B':
        stage.request.body = Unbase64(rest);
        break;
      case 'E':
        stages.push_back(stage);
        break;
    }
  }
  return stages;
}

// The SecLang targets whose values make up each collection.
std::vector<std::string> DumpedVariables() {
  std::vector<std::string> variables;
  for (std::size_t i = 0; i < waf_inputs::kCollectionCount; ++i) {
    const auto collection = static_cast<waf_inputs::Collection>(i);
    if (collection == waf_inputs::Collection::kXml) {
      variables.push_back("XML:/*");
      variables.push_back("XML://@*");
    } else {
      variables.push_back(std::string(waf_inputs::CollectionName(collection)));
    }
  }
  return variables;
}

std::string Printable(std::string_view text, std::size_t limit = 160) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
      out += escaped;
    }
  }
  if (text.size() > limit) out += "...(" + std::to_string(text.size()) + " bytes)";
  return out;
}

struct Tally {
  int agree = 0;
  int filled = 0;  // stages where libmodsecurity's collection holds a non-empty key or value
};

int Main(int argc, char** argv) {
  std::string requests_path;
  std::string differences_path = "/tmp/collection-differences.txt";
  std::string only;
  int64_t synthetic = 0;
  int64_t seed = 1;
  FlagSet flags("collections_compare", "collections_compare --requests=FILE [flags]",
                "RequestCollections next to libmodsecurity 3.0.9, per collection.");
  flags.AddString("requests", &requests_path,
                  "Stages as bench/crs_corpus_requests.py writes them (default: stdin).");
  flags.AddString("differences", &differences_path, "Where every difference is written.");
  flags.AddString("only", &only, "Only stages whose id contains this.");
  flags.AddInt("synthetic", &synthetic,
               "Instead of --requests, this many random requests (bench/synthetic_requests.h).");
  flags.AddInt("seed", &seed, "Seed of the random requests.");
  flags.ParseOrExit(argc, argv);

  std::vector<Stage> stages;
  if (synthetic > 0) {
    SyntheticRequests generator(static_cast<uint64_t>(seed));
    for (int64_t i = 0; i < synthetic; ++i) {
      stages.push_back(Stage{"synthetic-" + std::to_string(i), generator.Next()});
    }
  } else if (requests_path.empty()) {
    stages = ReadStages(std::cin);
  } else {
    std::ifstream in(requests_path, std::ios::binary);
    if (!in) {
      std::cerr << "cannot read " << requests_path << "\n";
      return 1;
    }
    stages = ReadStages(in);
  }
  auto modsecurity = ModSecurityCollections::Create(DumpedVariables());
  if (!modsecurity.ok()) {
    std::cerr << modsecurity.status() << "\n";
    return 1;
  }
  std::ofstream differences(differences_path);
  std::vector<Tally> tallies(waf_inputs::kCollectionCount);
  waf_inputs::RequestCollections collections;
  int compared = 0;
  int identical = 0;
  std::vector<int64_t> build_nanoseconds;
  for (const Stage& stage : stages) {
    if (!only.empty() && stage.id.find(only) == std::string::npos) continue;
    ++compared;
    DumpedCollections theirs = (*modsecurity)->Dump(stage.request);

    rules::HeaderList headers;
    for (const auto& [name, value] : stage.request.headers) headers.emplace_back(name, value);
    const std::string protocol = "HTTP/" + stage.request.version;
    rules::RequestData request;
    request.method = stage.request.method;
    request.raw_target = stage.request.uri;
    request.http_version = protocol;
    request.headers = &headers;
    request.body = stage.request.body;
    request.body_size = stage.request.body.size();
    request.client_ip.is_v4 = true;
    request.client_ip.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
    const auto build_start = std::chrono::steady_clock::now();
    collections.Build(request, waf_inputs::SelectBodyProcessor(headers));
    build_nanoseconds.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::steady_clock::now() - build_start)
                                    .count());

    bool all_agree = true;
    auto describe_once = [&]() {
      if (!all_agree) return;
      differences << "== " << stage.id << "  " << Printable(stage.request.method) << " "
                  << Printable(stage.request.uri, 400) << "\n";
      for (const auto& [name, value] : stage.request.headers) {
        differences << "  " << Printable(name) << ": " << Printable(value, 400) << "\n";
      }
      differences << "  body: " << Printable(stage.request.body, 1200) << "\n";
    };
    for (std::size_t i = 0; i < waf_inputs::kCollectionCount; ++i) {
      const auto collection = static_cast<waf_inputs::Collection>(i);
      const std::string name(waf_inputs::CollectionName(collection));
      Entries ours;
      for (const waf_inputs::CollectionEntry& entry : collections.Entries(collection)) {
        ours.emplace_back(std::string(entry.key), std::string(entry.value));
      }
      Entries& reference = theirs[name];
      std::sort(ours.begin(), ours.end());
      std::sort(reference.begin(), reference.end());
      const bool filled = std::any_of(reference.begin(), reference.end(), [](const auto& entry) {
        return !entry.first.empty() || !entry.second.empty();
      });
      tallies[i].filled += filled ? 1 : 0;
      if (ours == reference) {
        ++tallies[i].agree;
        continue;
      }
      describe_once();
      all_agree = false;
      Entries missing;
      Entries extra;
      std::set_difference(reference.begin(), reference.end(), ours.begin(), ours.end(),
                          std::back_inserter(missing));
      std::set_difference(ours.begin(), ours.end(), reference.begin(), reference.end(),
                          std::back_inserter(extra));
      differences << stage.id << "\t" << name << "\n";
      for (const auto& [key, value] : missing) {
        differences << "  libmodsecurity only: [" << Printable(key) << "] = [" << Printable(value)
                    << "]\n";
      }
      for (const auto& [key, value] : extra) {
        differences << "  Gatehouse only:      [" << Printable(key) << "] = [" << Printable(value)
                    << "]\n";
      }
    }
    identical += all_agree ? 1 : 0;
  }

  std::printf("%-34s %14s %8s\n", "collection", "agree", "filled");
  for (std::size_t i = 0; i < waf_inputs::kCollectionCount; ++i) {
    const auto collection = static_cast<waf_inputs::Collection>(i);
    std::printf("%-34s %6d / %5d %8d\n", std::string(waf_inputs::CollectionName(collection)).c_str(),
                tallies[i].agree, compared, tallies[i].filled);
  }
  std::sort(build_nanoseconds.begin(), build_nanoseconds.end());
  if (!build_nanoseconds.empty()) {
    std::printf("RequestCollections::Build: median %.2f us, p99 %.2f us\n",
                build_nanoseconds[build_nanoseconds.size() / 2] / 1000.0,
                build_nanoseconds[build_nanoseconds.size() * 99 / 100] / 1000.0);
  }
  std::printf("stages where every collection agrees: %d / %d (differences: %s)\n", identical,
              compared, differences_path.c_str());
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) { return gatehouse::bench::Main(argc, argv); }

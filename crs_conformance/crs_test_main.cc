// A development runner until `gatectl crs-test` takes it over: imports the installed CRS with
// the corpus's set-up, runs a corpus, prints a summary and the failures.
#include <cstdio>
#include <cstring>

#include "compiler/seclang_import/crs_import.h"
#include "crs_conformance/runner.h"
#include "ftw/corpus_reader.h"

int main(int argc, char** argv) {
  using namespace gatehouse;
  std::vector<std::string> dirs;
  crs_conformance::RunOptions options;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      options.only_rule = argv[++i];
    } else if (std::strcmp(argv[i], "-v") == 0) {
      verbose = true;
    } else {
      dirs.push_back(argv[i]);
    }
  }
  seclang_import::CrsImportOptions import;
  import.extra_setup = seclang_import::CrsRegressionSetup();
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<waf::v1::WafProgram> program = seclang_import::ImportCrs(import);
  if (!program.ok()) {
    std::fprintf(stderr, "%s\n", std::string(program.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
      waf::LinkedProgram::Link(*program);
  if (!linked.ok()) {
    std::fprintf(stderr, "%s\n", std::string(linked.status().message()).c_str());
    return 1;
  }
  const double compile_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "rules %d, omitted %d, pipelines %d, compile+link %.0f ms\n",
               program->rules_size(), program->omitted_size(), program->pipelines_size(),
               compile_ms);
  if (verbose) {
    for (const auto& omitted : program->omitted()) {
      std::fprintf(stderr, "  omitted %s %s:%u %s\n", omitted.id().c_str(),
                   omitted.file().c_str(), omitted.line(), omitted.reason().c_str());
    }
  }
  absl::StatusOr<std::vector<ftw::Stage>> stages = ftw::ReadCorpus(dirs);
  if (!stages.ok()) {
    std::fprintf(stderr, "%s\n", std::string(stages.status().message()).c_str());
    return 1;
  }
  const auto results = crs_conformance::RunStages(**linked, *stages, options);
  for (const auto& result : results) {
    if (result.verdict == ftw::Verdict::kFail) {
      std::string ids;
      for (const auto& id : result.logged_ids) ids += id + " ";
      std::printf("FAIL %s: %s; logged: %s\n", result.stage->id.c_str(), result.why.c_str(),
                  ids.c_str());
    }
  }
  for (const auto& [folder, tally] : crs_conformance::TallyByFolder(results)) {
    std::printf("  %-50s pass %4d fail %4d needs-server %3d disabled %3d\n", folder.c_str(),
                tally.passed, tally.failed, tally.needs_server, tally.disabled);
  }
  const auto total = crs_conformance::Total(results);
  std::printf("%d passed, %d failed\n", total.passed, total.failed);
  return 0;
}

#include "compiler/managed_rulesets.h"

#include <chrono>
#include <utility>

#include "compiler/seclang_import/crs_import.h"
#include "compiler/seclang_import/translator.h"
#include "seclang/ruleset_loader.h"

namespace gatehouse::compiler {
namespace {

int64_t MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// The CRS compiled, from the cache when it holds this digest.
absl::StatusOr<snapshot::v1::ManagedRuleset> CompileCrs(const ManagedRulesetOptions& options,
                                                        std::string* note) {
  const auto started = std::chrono::steady_clock::now();
  seclang::CrsLoadOptions load;
  load.rules_dir = options.crs_dir.empty() ? seclang_import::kDefaultCrsRulesDir : options.crs_dir;
  load.setup_file =
      options.crs_setup.empty() ? seclang_import::kDefaultCrsSetupFile : options.crs_setup;
  // Reading and parsing gives the digest; only translation is saved by the cache.
  absl::StatusOr<seclang::LoadedRuleset> loaded = seclang::LoadCrs(load);
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        "managed ruleset " + std::string(kCrsRulesetId) + " from " +
                            load.rules_dir + " and " + load.setup_file + ": " +
                            std::string(loaded.status().message()));
  }
  snapshot::v1::ManagedRuleset out;
  if (options.load) {
    if (std::optional<std::string> cached = options.load(loaded->digest)) {
      if (out.ParseFromString(*cached) && out.id() == kCrsRulesetId &&
          out.digest() == loaded->digest) {
        *note = out.id() + " " + out.version() + " digest " + out.digest().substr(0, 12) +
                ": taken from the store in " + std::to_string(MillisecondsSince(started)) + " ms";
        return out;
      }
    }
  }
  seclang_import::TranslateOptions translate;
  translate.ruleset_id = kCrsRulesetId;
  absl::StatusOr<waf::v1::WafProgram> program = seclang_import::TranslateRuleset(*loaded, translate);
  if (!program.ok()) {
    return absl::Status(program.status().code(),
                        "managed ruleset " + std::string(kCrsRulesetId) + " from " +
                            load.rules_dir + ": " + std::string(program.status().message()));
  }
  out.set_id(kCrsRulesetId);
  out.set_version(program->ruleset_version());
  out.set_digest(program->source_digest());
  *note = out.id() + " " + out.version() + " digest " + out.digest().substr(0, 12) + ": " +
          std::to_string(program->rules_size()) + " rules (" +
          std::to_string(program->omitted_size()) + " left out), compiled in " +
          std::to_string(MillisecondsSince(started)) + " ms";
  out.mutable_program()->PackFrom(*program);
  if (options.save) {
    std::string serialized;
    out.SerializeToString(&serialized);
    options.save(out.id(), out.digest(), serialized);
  }
  return out;
}

}  // namespace

absl::StatusOr<LoadedManagedRulesets> LoadManagedRulesets(const ManagedRulesetOptions& options) {
  LoadedManagedRulesets out;
  if (!options.enabled) return out;
  const sdk::ProductRegistry& products =
      options.products != nullptr ? *options.products : sdk::ProductRegistry::Linked();
  auto compiled = std::make_shared<ManagedRulesets>();
  auto set = std::make_shared<sdk::ManagedRulesetSet>();
  std::string note;
  absl::StatusOr<snapshot::v1::ManagedRuleset> crs = CompileCrs(options, &note);
  if (!crs.ok()) return crs.status();
  const auto started = std::chrono::steady_clock::now();
  auto entry = products.LinkManagedRuleset(crs->id(), crs->version(), crs->digest(),
                                           crs->program(), nullptr, /*summarize=*/true);
  if (!entry.ok()) return entry.status();
  note += ", linked in " + std::to_string(MillisecondsSince(started)) + " ms";
  out.notes.push_back(std::move(note));
  set->Add(*std::move(entry));
  compiled->push_back(*std::move(crs));
  out.compiled = std::move(compiled);
  out.set = std::move(set);
  return out;
}

}  // namespace gatehouse::compiler

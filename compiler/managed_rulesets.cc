#include "compiler/managed_rulesets.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "common/content_hash.h"
#include "common/file_util.h"

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

// What the cache is keyed by: SHA-256 over the setup file and every regular file of the rules
// folder (name, length, bytes, in name order) and the options that shape the translation. It
// needs no parsing, so a restart on unchanged files skips reading the rules as SecLang (most
// of the import's time); the compiled ruleset still carries the digest LoadCrs defines.
std::optional<std::string> SourceKey(const std::string& rules_dir, const std::string& setup) {
  std::string input = "crs-import 1\n";
  const auto add = [&input](std::string_view name, const std::string& path) {
    std::string bytes;
    if (!ReadFile(path, &bytes)) return false;
    input.append(name).append("\0", 1).append(std::to_string(bytes.size())).append("\0", 1);
    input += bytes;
    return true;
  };
  if (!add("<setup>", setup)) return std::nullopt;
  DIR* dir = ::opendir(rules_dir.c_str());
  if (dir == nullptr) return std::nullopt;
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    struct stat info;
    if (::stat((rules_dir + "/" + name).c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      names.push_back(name);
    }
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (!add(name, rules_dir + "/" + name)) return std::nullopt;
  }
  return Sha256Hex(input);
}

// The CRS compiled, from the cache when it holds these sources.
absl::StatusOr<snapshot::v1::ManagedRuleset> CompileCrs(const ManagedRulesetOptions& options,
                                                        std::string* note) {
  const auto started = std::chrono::steady_clock::now();
  seclang::CrsLoadOptions load;
  load.rules_dir = options.crs_dir.empty() ? seclang_import::kDefaultCrsRulesDir : options.crs_dir;
  load.setup_file =
      options.crs_setup.empty() ? seclang_import::kDefaultCrsSetupFile : options.crs_setup;
  snapshot::v1::ManagedRuleset out;
  const std::optional<std::string> key = SourceKey(load.rules_dir, load.setup_file);
  if (key.has_value() && options.load) {
    if (std::optional<std::string> cached = options.load(*key)) {
      if (out.ParseFromString(*cached) && out.id() == kCrsRulesetId && !out.digest().empty()) {
        *note = out.id() + " " + out.version() + " digest " + out.digest().substr(0, 12) +
                ": taken from the store in " + std::to_string(MillisecondsSince(started)) + " ms";
        return out;
      }
      out.Clear();
    }
  }
  absl::StatusOr<seclang::LoadedRuleset> loaded = seclang::LoadCrs(load);
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        "managed ruleset " + std::string(kCrsRulesetId) + " from " +
                            load.rules_dir + " and " + load.setup_file + ": " +
                            std::string(loaded.status().message()));
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
  if (options.save && key.has_value()) {
    std::string serialized;
    out.SerializeToString(&serialized);
    options.save(out.id(), *key, serialized);
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

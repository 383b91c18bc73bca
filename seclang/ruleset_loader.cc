#include "seclang/ruleset_loader.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "common/content_hash.h"
#include "common/file_util.h"
#include "seclang/diagnostics.h"
#include "seclang/operators.h"
#include "seclang/package_version.h"
#include "seclang/parser.h"
#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 16;
constexpr std::string_view kCrsPackage = "modsecurity-crs";

std::string BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string DirName(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

// The files an Include names, in byte order of their paths.
std::vector<std::string> ExpandInclude(const std::string& pattern) {
  std::vector<std::string> paths;
  if (pattern.find_first_of("*?[") == std::string::npos) {
    std::error_code error;
    if (fs::is_directory(pattern, error)) {
      for (const fs::directory_entry& entry : fs::directory_iterator(pattern, error)) {
        if (entry.is_regular_file(error)) paths.push_back(entry.path().string());
      }
      std::sort(paths.begin(), paths.end());
      return paths;
    }
    if (fs::exists(pattern, error)) paths.push_back(pattern);
    return paths;
  }
  glob_t matches{};
  if (glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) paths.emplace_back(matches.gl_pathv[i]);
  }
  globfree(&matches);
  std::sort(paths.begin(), paths.end());  // glob sorts by locale; ModSecurity's order is bytes
  return paths;
}

class RulesetBuilder {
 public:
  RulesetBuilder(bool follow_includes) : follow_includes_(follow_includes) {}

  // Reads and parses one file; `from` is the Include that names it, if any.
  void AddFile(const std::string& path, const SourceLocation* from) {
    if (std::find(open_files_.begin(), open_files_.end(), path) != open_files_.end()) {
      ErrorAt(*from, Cat("include cycle: ", path, " is already being read"));
      return;
    }
    if (open_files_.size() >= kMaxIncludeDepth) {
      ErrorAt(*from, Cat("includes nest deeper than ", kMaxIncludeDepth, " files"));
      return;
    }
    LoadedFile file;
    file.path = path;
    file.name = BaseName(path);
    if (!ReadFile(path, &file.content)) {
      if (from != nullptr) {
        ErrorAt(*from, Cat("cannot read ", path));
      } else {
        errors_.push_back(Cat(path, ": error: cannot read the file"));
      }
      return;
    }
    ParseResult parsed = ParseSecLangWithDiagnostics(file.content, path);
    if (!parsed.diagnostics.empty()) {
      errors_.push_back(FormatDiagnostics(parsed.diagnostics, file.content));
    }
    ruleset_.files.push_back(std::move(file));
    open_files_.push_back(path);
    for (Directive& directive : parsed.file.directives) {
      const auto* config = std::get_if<ConfigDirective>(&directive.body);
      if (config != nullptr && (config->name == "Include" || config->name == "IncludeOptional")) {
        FollowInclude(*config);
        continue;
      }
      ruleset_.directives.push_back(std::move(directive));
    }
    open_files_.pop_back();
  }

  // The checks across files, the data files, the digest and the version.
  absl::StatusOr<LoadedRuleset> Finish(const std::string& dpkg_dir,
                                       std::optional<std::string> package_dir) {
    CheckRuleIds();
    CheckSkipAfterTargets();
    ReadDataFiles();
    if (!errors_.empty()) {
      std::string message =
          Cat(errors_.size(), " problem", errors_.size() == 1 ? "" : "s", " loading the ruleset\n");
      for (const std::string& error : errors_) message += error;
      return absl::InvalidArgumentError(message);
    }
    ruleset_.digest = Digest();
    for (const Directive& directive : ruleset_.directives) {
      const auto* config = std::get_if<ConfigDirective>(&directive.body);
      if (config != nullptr && config->name == "SecComponentSignature") {
        ruleset_.component_signature = config->args[0];
        if (!package_dir.has_value()) package_dir = DirName(config->location.file);
        break;
      }
    }
    if (!dpkg_dir.empty() && package_dir.has_value()) {
      std::error_code error;
      const fs::path canonical = fs::canonical(*package_dir, error);
      if (!error) {
        ruleset_.package_version =
            DebianPackageVersion(kCrsPackage, canonical.string(), dpkg_dir).value_or("");
      }
    }
    ruleset_.version = ruleset_.component_signature;
    if (!ruleset_.package_version.empty()) {
      if (!ruleset_.version.empty()) ruleset_.version += " ";
      ruleset_.version += Cat("(", kCrsPackage, " ", ruleset_.package_version, ")");
    }
    if (ruleset_.version.empty()) ruleset_.version = "unknown";
    return std::move(ruleset_);
  }

 private:
  // An error at a place in a file already read: formatted with its line and caret.
  void ErrorAt(const SourceLocation& location, std::string message, int length = 1) {
    const Diagnostic diagnostic{location, length, std::move(message)};
    for (const LoadedFile& file : ruleset_.files) {
      if (file.path == location.file) {
        errors_.push_back(
            FormatDiagnostic(diagnostic, SourceLines(file.content).Line(location.line)));
        return;
      }
    }
    errors_.push_back(Cat(location.ToString(), ": error: ", diagnostic.message, "\n"));
  }

  void FollowInclude(const ConfigDirective& include) {
    if (!follow_includes_) {
      ErrorAt(include.location, Cat(include.name,
                                    " in a CRS file: the CRS loader reads the setup file and the "
                                    "rules directory only"));
      return;
    }
    std::string pattern = include.args[0];
    if (!pattern.starts_with('/')) pattern = Cat(DirName(include.location.file), "/", pattern);
    const std::vector<std::string> paths = ExpandInclude(pattern);
    if (paths.empty() && include.name == "Include") {
      ErrorAt(include.arg_locations[0], Cat("Include names no file: ", pattern));
      return;
    }
    for (const std::string& path : paths) AddFile(path, &include.location);
  }

  void CheckRuleIds() {
    std::map<int64_t, SourceLocation> first;
    for (const Directive& directive : ruleset_.directives) {
      const std::optional<int64_t> id = directive.rule_id();
      if (!id.has_value()) continue;
      auto [it, inserted] = first.emplace(*id, directive.location());
      if (!inserted) {
        ErrorAt(directive.location(),
                Cat("duplicate rule id ", *id, ": first defined at ", it->second.ToString()));
      }
    }
  }

  // skipAfter jumps forward to a marker; ModSecurity finds none when it comes earlier.
  void CheckSkipAfterTargets() {
    std::set<std::string> markers_after;
    for (auto it = ruleset_.directives.rbegin(); it != ruleset_.directives.rend(); ++it) {
      if (const auto* marker = std::get_if<SecMarker>(&it->body)) {
        markers_after.insert(marker->name);
        continue;
      }
      const Actions* actions = nullptr;
      if (const auto* rule = std::get_if<SecRule>(&it->body)) actions = &rule->actions;
      if (const auto* action = std::get_if<SecAction>(&it->body)) actions = &action->actions;
      if (actions == nullptr || !actions->skip_after.has_value()) continue;
      if (!markers_after.contains(*actions->skip_after)) {
        ErrorAt(it->location(),
                Cat("skipAfter:", *actions->skip_after, " names no SecMarker after this rule"));
      }
    }
  }

  void ReadDataFilesOf(const SecRule& rule) {
    if (OperatorReadsDataFiles(rule.op.name)) {
      std::string_view names = rule.op.argument;
      while (true) {
        while (!names.empty() && IsSpace(names.front())) names.remove_prefix(1);
        if (names.empty()) break;
        size_t end = 0;
        while (end < names.size() && !IsSpace(names[end])) ++end;
        ReadDataFile(std::string(names.substr(0, end)), rule.op);
        names.remove_prefix(end);
      }
    }
    for (const SecRule& link : rule.chain) ReadDataFilesOf(link);
  }

  void ReadDataFile(const std::string& name, const Operator& op) {
    if (ruleset_.data_files.contains(name)) return;
    if (name.find("://") != std::string::npos) {
      ErrorAt(op.argument_location, Cat("data files are read from disk only, not ", name),
              static_cast<int>(name.size()));
      return;
    }
    DataFile data;
    data.name = name;
    data.path = name.starts_with('/') ? name : Cat(DirName(op.location.file), "/", name);
    if (!ReadFile(data.path, &data.content)) {
      ErrorAt(op.argument_location, Cat("cannot read the data file ", data.path),
              static_cast<int>(name.size()));
      return;
    }
    data.entries = DataFileEntries(data.content);
    ruleset_.data_files.emplace(name, std::move(data));
  }

  void ReadDataFiles() {
    for (const Directive& directive : ruleset_.directives) {
      if (const auto* rule = std::get_if<SecRule>(&directive.body)) ReadDataFilesOf(*rule);
    }
  }

  std::string Digest() const {
    std::string input;
    auto add = [&input](std::string_view kind, std::string_view name, std::string_view content) {
      input.append(kind).push_back('\0');
      input.append(name).push_back('\0');
      input.append(std::to_string(content.size())).push_back('\0');
      input.append(content);
    };
    for (const LoadedFile& file : ruleset_.files) add("conf", file.name, file.content);
    for (const auto& [name, data] : ruleset_.data_files) add("data", BaseName(name), data.content);
    return Sha256Hex(input);
  }

  bool follow_includes_;
  LoadedRuleset ruleset_;
  std::vector<std::string> open_files_;  // the include stack
  std::vector<std::string> errors_;      // formatted
};

}  // namespace

absl::StatusOr<LoadedRuleset> LoadCrs(const CrsLoadOptions& options) {
  RulesetBuilder builder(/*follow_includes=*/false);
  builder.AddFile(options.setup_file, nullptr);
  std::vector<std::string> rule_files;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(options.rules_dir, error)) {
    const std::string path = entry.path().string();
    if (path.ends_with(".conf") && entry.is_regular_file(error)) rule_files.push_back(path);
  }
  if (error) {
    return absl::NotFoundError(
        Cat("cannot list the CRS rules directory ", options.rules_dir, ": ", error.message()));
  }
  std::sort(rule_files.begin(), rule_files.end());
  if (rule_files.empty()) {
    return absl::NotFoundError(
        Cat("no *.conf files in the CRS rules directory ", options.rules_dir));
  }
  for (const std::string& path : rule_files) builder.AddFile(path, nullptr);
  return builder.Finish(options.dpkg_dir, options.rules_dir);
}

absl::StatusOr<LoadedRuleset> LoadSecLangConfig(const std::string& path,
                                                const std::string& dpkg_dir) {
  RulesetBuilder builder(/*follow_includes=*/true);
  builder.AddFile(path, nullptr);
  return builder.Finish(dpkg_dir, std::nullopt);
}

}  // namespace gatehouse::seclang

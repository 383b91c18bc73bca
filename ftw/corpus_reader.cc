#include "ftw/corpus_reader.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "yaml-cpp/yaml.h"

namespace gatehouse::ftw {
namespace {

namespace fs = std::filesystem;

// A shape error at `node`, with its place in the file.
absl::Status ShapeError(const std::string& path, const YAML::Node& node, const char* what) {
  const YAML::Mark mark = node.Mark();
  return absl::InvalidArgumentError(
      absl::StrCat(path, ":", mark.line + 1, ":", mark.column + 1, ": ", what));
}

std::string Scalar(const YAML::Node& node) { return node.as<std::string>(); }

absl::Status ReadInput(const std::string& path, const YAML::Node& node, StageInput& input) {
  if (!node.IsMap()) return ShapeError(path, node, "a stage's input must be a mapping");
  if (node["method"]) input.method = Scalar(node["method"]);
  if (node["uri"]) input.uri = Scalar(node["uri"]);
  if (node["version"]) input.version = Scalar(node["version"]);
  if (const YAML::Node headers = node["headers"]; headers && !headers.IsNull()) {
    if (!headers.IsMap()) return ShapeError(path, headers, "headers must be a mapping");
    for (const auto& header : headers) {
      input.headers.emplace_back(Scalar(header.first),
                                 header.second.IsNull() ? "" : Scalar(header.second));
    }
  }
  if (const YAML::Node data = node["data"]; data && !data.IsNull()) {
    if (data.IsSequence()) {
      std::vector<std::string> lines;
      for (const auto& line : data) lines.push_back(line.IsNull() ? "" : Scalar(line));
      input.data = absl::StrJoin(lines, "\r\n");
      input.data_was_list = true;
    } else {
      input.data = Scalar(data);
    }
  } else if (const YAML::Node encoded = node["encoded_data"]; encoded && !encoded.IsNull()) {
    std::string decoded;
    if (!absl::Base64Unescape(Scalar(encoded), &decoded)) {
      return ShapeError(path, encoded, "encoded_data is not base64");
    }
    input.data = std::move(decoded);
  }
  if (const YAML::Node encoded = node["encoded_request"]; encoded && !encoded.IsNull()) {
    std::string decoded;
    if (!absl::Base64Unescape(Scalar(encoded), &decoded)) {
      return ShapeError(path, encoded, "encoded_request is not base64");
    }
    input.raw_request = std::move(decoded);
  } else if (const YAML::Node raw = node["raw_request"]; raw && !raw.IsNull()) {
    if (raw.IsSequence()) {
      std::vector<std::string> lines;
      for (const auto& line : raw) lines.push_back(line.IsNull() ? "" : Scalar(line));
      input.raw_request = absl::StrJoin(lines, "\r\n");
    } else {
      input.raw_request = Scalar(raw);
    }
  }
  if (node["stop_magic"] && node["stop_magic"].as<bool>()) input.autocomplete_headers = false;
  if (node["autocomplete_headers"] && !node["autocomplete_headers"].as<bool>()) {
    input.autocomplete_headers = false;
  }
  return absl::OkStatus();
}

void ReadIds(const YAML::Node& node, std::vector<std::string>& ids) {
  if (!node || !node.IsSequence()) return;
  for (const auto& id : node) ids.push_back(Scalar(id));
}

absl::Status ReadOutput(const std::string& path, const YAML::Node& node, StageOutput& output) {
  if (!node || node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) return ShapeError(path, node, "a stage's output must be a mapping");
  if (node["log_contains"]) output.log_contains = Scalar(node["log_contains"]);
  if (node["no_log_contains"]) output.no_log_contains = Scalar(node["no_log_contains"]);
  if (const YAML::Node log = node["log"]; log && log.IsMap()) {
    ReadIds(log["expect_ids"], output.expect_ids);
    ReadIds(log["no_expect_ids"], output.no_expect_ids);
    if (log["match_regex"]) output.match_regex = Scalar(log["match_regex"]);
    if (log["no_match_regex"]) output.no_match_regex = Scalar(log["no_match_regex"]);
  }
  if (const YAML::Node status = node["status"]; status) {
    if (status.IsSequence()) {
      for (const auto& code : status) output.status.push_back(code.as<int>());
    } else {
      output.status.push_back(status.as<int>());
    }
  }
  if (node["expect_error"]) output.expect_error = node["expect_error"].as<bool>();
  if (node["response_contains"]) output.response_contains = Scalar(node["response_contains"]);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Stage>> ReadTestFile(const std::string& path,
                                                const std::string& folder) {
  YAML::Node document;
  try {
    document = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", e.mark.line + 1, ":",
                                                   e.mark.column + 1, ": ", e.msg));
  }
  std::vector<Stage> stages;
  try {
    if (!document.IsMap()) return ShapeError(path, document, "a test file must be a mapping");
    bool enabled = true;
    if (const YAML::Node meta = document["meta"]; meta && meta["enabled"]) {
      enabled = meta["enabled"].as<bool>();
    }
    std::string rule_id = fs::path(path).stem().string();
    if (document["rule_id"]) rule_id = Scalar(document["rule_id"]);
    const YAML::Node tests = document["tests"];
    if (!tests || tests.IsNull()) return stages;
    if (!tests.IsSequence()) return ShapeError(path, tests, "tests must be a list");
    for (const auto& test : tests) {
      std::string title;
      if (test["test_title"]) {
        title = Scalar(test["test_title"]);
      } else {
        title = absl::StrCat(rule_id, "-", test["test_id"] ? Scalar(test["test_id"]) : "");
      }
      const YAML::Node test_stages = test["stages"];
      if (!test_stages || !test_stages.IsSequence()) {
        return ShapeError(path, test, "a test needs a list of stages");
      }
      int index = 0;
      for (const auto& entry : test_stages) {
        Stage stage;
        stage.id = absl::StrCat(title, "#", index++);
        stage.folder = folder;
        stage.rule_id = rule_id;
        stage.enabled = enabled;
        stage.legacy = static_cast<bool>(entry["stage"]);
        const YAML::Node body = stage.legacy ? entry["stage"] : entry;
        if (absl::Status status = ReadInput(path, body["input"], stage.input); !status.ok()) {
          return status;
        }
        if (absl::Status status = ReadOutput(path, body["output"], stage.output); !status.ok()) {
          return status;
        }
        stages.push_back(std::move(stage));
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", e.mark.line + 1, ":",
                                                   e.mark.column + 1, ": ", e.msg));
  }
  return stages;
}

absl::StatusOr<std::vector<Stage>> ReadCorpus(const std::vector<std::string>& directories) {
  // Relative path -> file; a later directory replaces an earlier one's file.
  std::map<std::string, fs::path> files;
  for (const std::string& directory : directories) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) {
      return absl::NotFoundError(absl::StrCat(directory, ": not a directory"));
    }
    for (auto it = fs::recursive_directory_iterator(directory, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      const fs::path& file = it->path();
      if (!it->is_regular_file()) continue;
      if (file.extension() != ".yaml" && file.extension() != ".yml") continue;
      files[fs::relative(file, directory).string()] = file;
    }
    if (error) {
      return absl::InternalError(absl::StrCat(directory, ": ", error.message()));
    }
  }
  std::vector<Stage> stages;
  for (const auto& [relative, file] : files) {
    absl::StatusOr<std::vector<Stage>> file_stages =
        ReadTestFile(file.string(), file.parent_path().filename().string());
    if (!file_stages.ok()) return file_stages.status();
    for (Stage& stage : *file_stages) stages.push_back(std::move(stage));
  }
  return stages;
}

}  // namespace gatehouse::ftw

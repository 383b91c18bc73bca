#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ftw/stage.h"

namespace gatehouse::ftw {

// Reads every *.yaml / *.yml file under `directories` (recursively) as ftw or go-ftw tests and
// returns their stages ordered by file path relative to its directory, then by test and stage.
// A later directory's file replaces an earlier one's at the same relative path, so a local
// addendum can replace upstream files. A file that is not valid YAML, or whose shape is not a
// test file's, is an error naming the file, line and column.
absl::StatusOr<std::vector<Stage>> ReadCorpus(const std::vector<std::string>& directories);

// One file's stages (`folder` is what Stage::folder gets).
absl::StatusOr<std::vector<Stage>> ReadTestFile(const std::string& path, const std::string& folder);

}  // namespace gatehouse::ftw

#include "crs_conformance/verdict_file.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace gatehouse::crs_conformance {
namespace {

std::vector<std::string> Split(const std::string& line, char separator, size_t max_parts) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() + 1 < max_parts) {
    const size_t end = line.find(separator, start);
    if (end == std::string::npos) break;
    parts.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  parts.push_back(line.substr(start));
  return parts;
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ReadBaselineVerdicts(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(path + ": cannot read");
  std::map<std::string, std::string> verdicts;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    if (++number == 1 || line.empty()) continue;  // the header
    const std::vector<std::string> fields = Split(line, '\t', 5);
    if (fields.size() < 3) {
      return absl::InvalidArgumentError(path + ":" + std::to_string(number) +
                                        ": expected stage, folder and verdict");
    }
    verdicts[fields[0]] = fields[2];
  }
  return verdicts;
}

absl::StatusOr<std::map<std::string, Override>> ReadOverrides(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(path + ": cannot read");
  std::map<std::string, Override> overrides;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = Split(line, ' ', 3);
    if (fields.size() < 3 || (fields[1] != "pass" && fields[1] != "fail") || fields[2].empty()) {
      return absl::InvalidArgumentError(path + ":" + std::to_string(number) +
                                        ": expected \"<stage> <pass|fail> <reason>\"");
    }
    if (!overrides.emplace(fields[0], Override{fields[1], fields[2]}).second) {
      return absl::InvalidArgumentError(path + ":" + std::to_string(number) + ": " + fields[0] +
                                        " is listed twice");
    }
  }
  return overrides;
}

}  // namespace gatehouse::crs_conformance

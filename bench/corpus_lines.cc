#include "bench/corpus_lines.h"

#include <fstream>

#include "absl/status/status.h"

namespace gatehouse::bench {

absl::StatusOr<std::vector<std::string>> ReadCorpusLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read corpus " + path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace gatehouse::bench

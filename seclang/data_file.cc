#include "seclang/data_file.h"

#include "seclang/text.h"

namespace gatehouse::seclang {

std::vector<std::string> DataFileEntries(std::string_view content) {
  std::vector<std::string> entries;
  while (!content.empty()) {
    const size_t newline = content.find('\n');
    std::string_view line = content.substr(0, newline);
    content.remove_prefix(newline == std::string_view::npos ? content.size() : newline + 1);
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    entries.emplace_back(line);
  }
  return entries;
}

}  // namespace gatehouse::seclang

#include "rules/accepted_languages.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

constexpr int kDefaultQuality = 1000;

// A qvalue (RFC 9110, 12.4.2) in thousandths: "0", "0.5", "1.000"; nullopt if malformed.
std::optional<int> ParseQuality(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int whole = text[0] - '0';
  int thousandths = 0;
  if (text.size() > 1) {
    if (text[1] != '.' || text.size() > 5) return std::nullopt;
    int scale = 100;
    for (char c : text.substr(2)) {
      if (c < '0' || c > '9') return std::nullopt;
      thousandths += (c - '0') * scale;
      scale /= 10;
    }
  }
  if (whole == 1 && thousandths != 0) return std::nullopt;
  return whole * 1000 + thousandths;
}

// The q parameter among a range's parameters ("q=0.8"), the default if it has none.
int QualityOf(std::string_view parameters) {
  for (std::string_view parameter : Split(parameters, ';')) {
    auto [name, value] = SplitOnce(StripWhitespace(parameter), '=');
    if (!EqualsIgnoreCase(StripWhitespace(name), "q")) continue;
    return ParseQuality(StripWhitespace(value)).value_or(kDefaultQuality);
  }
  return kDefaultQuality;
}

}  // namespace

void AppendAcceptedLanguages(std::string_view value, std::vector<std::string_view>& out) {
  std::vector<std::pair<int, std::string_view>> ranges;
  for (std::string_view element : Split(value, ',')) {
    auto [range, parameters] = SplitOnce(element, ';');
    range = StripWhitespace(range);
    if (range.empty()) continue;
    const int quality = QualityOf(parameters);
    if (quality > 0) ranges.emplace_back(quality, range);
  }
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [quality, range] : ranges) out.push_back(range);
}

}  // namespace gatehouse::rules

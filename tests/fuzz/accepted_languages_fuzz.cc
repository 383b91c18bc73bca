#include "tests/fuzz/accepted_languages_fuzz.h"

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "rules/accepted_languages.h"
#include "rules/strings.h"

namespace gatehouse::testing {
namespace {

bool Within(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// The value's comma-separated elements, stripped, empty ones left out.
std::vector<std::string_view> NonEmptyElements(std::string_view value) {
  std::vector<std::string_view> elements;
  for (std::string_view element : rules::Split(value, ',')) {
    element = rules::StripWhitespace(element);
    if (!element.empty()) elements.push_back(element);
  }
  return elements;
}

void CheckAcceptedLanguages(std::string_view input) {
  const std::string_view kept = "kept";
  std::vector<std::string_view> ranges = {kept};
  rules::AppendAcceptedLanguages(input, ranges);
  RequireInvariant(!ranges.empty() && ranges.front().data() == kept.data(),
                   "the output's earlier entries were not kept", input);
  ranges.erase(ranges.begin());

  RequireInvariant(ranges.size() <= rules::Split(input, ',').size(), "more ranges than elements",
                   input);
  std::string joined;
  for (std::string_view range : ranges) {
    RequireInvariant(!range.empty() && Within(range, input), "a range outside the input", input);
    RequireInvariant(range.find_first_of(",;") == std::string_view::npos,
                     "a range holds a separator", input);
    RequireInvariant(rules::StripWhitespace(range) == range, "a range keeps whitespace", input);
    if (!joined.empty()) joined += ',';
    joined.append(range);
  }

  std::vector<std::string_view> again;
  rules::AppendAcceptedLanguages(joined, again);
  RequireInvariant(again == ranges, "the ranges sent again come back changed", input);

  if (input.find(';') == std::string_view::npos) {
    RequireInvariant(ranges == NonEmptyElements(input),
                     "a value without parameters was reordered or filtered", input);
  }
}

}  // namespace
}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gatehouse::testing::CheckAcceptedLanguages(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

namespace gatehouse::testing {

FuzzTarget AcceptedLanguagesFuzzTarget() {
  static constexpr std::string_view kTokens[] = {
      "en",   "en-GB", "fr-CH", "*",     "de",    ",",   ", ",   ";",    ";q=",  "q=0",
      "q=1",  "q=0.8", "0.",    "1.000", "1.001", "0.5", " ",    "\t",   "Q=",   "=",
      "0.123", "0.1234", ";level=1", std::string_view("\0", 1), "\xc3\xa9",
  };
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          std::vector<std::string_view>(std::begin(kTokens), std::end(kTokens))};
}

}  // namespace gatehouse::testing

#include "tests/fuzz/transformations_fuzz.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "seclang/transformations.h"

namespace gatehouse::testing {
namespace {

using seclang::Transformation;

bool HasAny(std::string_view input, std::string_view bytes) {
  return input.find_first_of(bytes) != std::string_view::npos;
}

bool HasHighByte(std::string_view input) {
  for (unsigned char c : input) {
    if (c >= 0x80) return true;
  }
  return false;
}

void CheckFunctions(std::string_view input) {
  struct Decoder {
    Transformation transformation;
    // The bytes without which the function must return its input unchanged.
    std::string_view triggers;
  };
  static constexpr Decoder kDecoders[] = {
      {Transformation::kUrlDecode, "%+"},
      {Transformation::kUrlDecodeUni, "%+"},
      {Transformation::kHtmlEntityDecode, "&"},
      {Transformation::kJsDecode, "\\"},
      {Transformation::kCssDecode, "\\"},
      {Transformation::kRemoveNulls, std::string_view("\0", 1)},
  };
  for (const Decoder& d : kDecoders) {
    const std::string out = seclang::ApplyTransformation(d.transformation, input);
    RequireInvariant(out.size() <= input.size(), "a decoder grew its input", input);
    if (!HasAny(input, d.triggers)) {
      RequireInvariant(out == input, "a decoder changed an input it has nothing to decode in",
                       input);
    }
  }

  const std::string unicode = seclang::Utf8ToUnicode(input);
  RequireInvariant(unicode.size() <= 3 * input.size(), "utf8toUnicode more than tripled its input",
                   input);
  RequireInvariant(seclang::Utf8ToUnicode(unicode) == unicode, "utf8toUnicode is not idempotent",
                   input);
  if (!HasHighByte(input)) RequireInvariant(unicode == input, "utf8toUnicode changed ASCII", input);

  const std::string lower = seclang::Lowercase(input);
  RequireInvariant(lower.size() == input.size(), "lowercase changed the length", input);
  RequireInvariant(lower.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos,
                   "lowercase left an upper-case letter", input);
  RequireInvariant(seclang::RemoveNulls(input).find('\0') == std::string::npos,
                   "removeNulls left a NUL", input);
}

void CheckChain(std::string_view chain, std::string_view input) {
  const std::vector<Transformation> list = *seclang::ParseTransformationList(chain);
  const std::vector<std::string> values = seclang::MultiMatchValues(list, input);
  RequireInvariant(!values.empty() && values.front() == input,
                   "multiMatch does not start with the input", input);
  RequireInvariant(values.back() == seclang::ApplyTransformations(list, input),
                   "multiMatch does not end with the chain's result", input);
  for (size_t k = 1; k < values.size(); ++k) {
    RequireInvariant(values[k] != values[k - 1], "multiMatch repeated a value", input);
  }
}

void CheckListParser(std::string_view input) {
  const auto list = seclang::ParseTransformationList(input);
  if (!list.ok()) return;
  const auto again = seclang::ParseTransformationList(seclang::FormatTransformationList(*list));
  RequireInvariant(again.ok() && *again == *list, "a formatted list does not read back", input);
}

}  // namespace
}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  gatehouse::testing::CheckFunctions(input);
  gatehouse::testing::CheckChain("t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls", input);
  gatehouse::testing::CheckChain(
      "t:none,t:utf8toUnicode,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,"
      "t:removeNulls",
      input);
  gatehouse::testing::CheckListParser(input);
  return 0;
}

namespace gatehouse::testing {

FuzzTarget TransformationsFuzzTarget() {
  static constexpr std::string_view kTokens[] = {
      "%",        "%u",         "%uff1c",       "%U0041",  "%41",    "%2",   "+",
      "&",        "&#",         "&#x",          "&#X3c",   "&lt",    ";",    "&nbsp;",
      "\\",       "\\x",        "\\u",          "\\uff3c", "\\0",    "\\3",  "\\477",
      "\\\n",     "\\ff1c ",    "\\00003c",     "\xc3\xa9", "\xc3",   "\x80",
      "\xef\xbc\x9c", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xbc", "\xf4\x90\x80\x80",
      std::string_view("\0", 1), "t:none,", "t:urlDecodeUni", ",t:", " ,",
  };
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          std::vector<std::string_view>(std::begin(kTokens), std::end(kTokens))};
}

}  // namespace gatehouse::testing

#include "seclang/macros.h"

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

bool IsMacroNameChar(char c) {
  return IsDigit(c) || (AsciiLower(c) >= 'a' && AsciiLower(c) <= 'z') || c == '_' || c == '.' ||
         c == '-' || c == ':' || c == '/';
}

void AppendLiteral(std::string_view text, std::vector<MacroPart>* parts) {
  if (text.empty()) return;
  if (!parts->empty() && !parts->back().is_macro) {
    parts->back().text.append(text);
    return;
  }
  parts->push_back(MacroPart{false, std::string(text), "", ""});
}

}  // namespace

std::vector<MacroPart> SplitMacros(std::string_view text) {
  std::vector<MacroPart> parts;
  size_t literal_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '%' || i + 1 >= text.size() || text[i + 1] != '{') {
      ++i;
      continue;
    }
    size_t j = i + 2;
    while (j < text.size() && IsMacroNameChar(text[j])) ++j;
    if (j == i + 2 || j >= text.size() || text[j] != '}') {
      ++i;
      continue;
    }
    AppendLiteral(text.substr(literal_start, i - literal_start), &parts);
    const std::string_view name = text.substr(i + 2, j - i - 2);
    const size_t dot = name.find_first_of(".:");
    MacroPart macro;
    macro.is_macro = true;
    macro.text = std::string(text.substr(i, j + 1 - i));
    macro.collection = ToUpper(name.substr(0, dot));
    if (dot != std::string_view::npos) macro.key = std::string(name.substr(dot + 1));
    parts.push_back(std::move(macro));
    i = j + 1;
    literal_start = i;
  }
  AppendLiteral(text.substr(literal_start), &parts);
  return parts;
}

bool HasMacros(std::string_view text) {
  for (const MacroPart& part : SplitMacros(text)) {
    if (part.is_macro) return true;
  }
  return false;
}

}  // namespace gatehouse::seclang

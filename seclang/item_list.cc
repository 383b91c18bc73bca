#include "seclang/item_list.h"

#include <string>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

bool IsSeparator(char c) { return c == ',' || c == '|'; }

}  // namespace

std::vector<ListItem> SplitItemList(const LocatedText& text, DiagnosticSink& sink) {
  const std::string& s = text.text;
  std::vector<ListItem> items;
  size_t i = 0;
  while (true) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size()) break;
    const size_t name_start = i;
    while (i < s.size() && s[i] != ':' && !IsSeparator(s[i]) && !IsSpace(s[i])) ++i;
    ListItem item;
    item.name = text.Substr(name_start, i - name_start);
    if (i >= s.size() || s[i] != ':') {
      while (i < s.size() && IsSpace(s[i])) ++i;
      if (item.name.text.empty() && i < s.size()) {
        sink.Error(text, i, 1, std::string("unexpected '") + s[i] + "': a name is missing here");
        break;
      }
      items.push_back(std::move(item));
      if (i >= s.size()) break;
      if (IsSeparator(s[i])) {
        ++i;
        continue;
      }
      sink.Error(text, i, 1,
                 std::string("unexpected '") + s[i] + "' after \"" + items.back().name.text +
                     "\": items are separated by ',' (or '|')");
      break;
    }
    ++i;  // ':'
    if (i < s.size() && s[i] == '\'') {
      const size_t quote = i;
      LocatedText value;
      ++i;
      bool closed = false;
      bool failed = false;
      while (i < s.size()) {
        if (s[i] == '\\') {
          if (i + 1 >= s.size() || (s[i + 1] != '\'' && s[i + 1] != '\\')) {
            sink.Error(text, i, 2,
                       "invalid escape in a single-quoted value: only \\' and \\\\ are escapes "
                       "there (write \\\\ for a backslash)");
            failed = true;
            break;
          }
          value.text.push_back(s[i + 1]);
          value.positions.push_back(text.At(i + 1));
          i += 2;
          continue;
        }
        if (s[i] == '\'') {
          closed = true;
          break;
        }
        value.text.push_back(s[i]);
        value.positions.push_back(text.At(i));
        ++i;
      }
      if (failed) break;
      if (!closed) {
        sink.Error(text, quote, 1, "missing closing quote for the value that starts here");
        break;
      }
      value.end = text.At(i);
      ++i;  // closing quote
      item.value = std::move(value);
      item.value_quoted = true;
    } else {
      const size_t value_start = i;
      while (i < s.size() && !IsSeparator(s[i]) && !IsSpace(s[i])) ++i;
      item.value = text.Substr(value_start, i - value_start);
    }
    items.push_back(std::move(item));
    while (i < s.size() && (IsSpace(s[i]) || IsSeparator(s[i]))) ++i;
  }
  return items;
}

}  // namespace gatehouse::seclang

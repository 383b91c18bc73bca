#ifndef GATEHOUSE_SECLANG_ITEM_LIST_H_
#define GATEHOUSE_SECLANG_ITEM_LIST_H_

#include <optional>
#include <vector>

#include "seclang/located_text.h"

namespace gatehouse::seclang {

// One "name" or "name:value" item of a target list or an action list.
struct ListItem {
  LocatedText name;
  std::optional<LocatedText> value;  // present after a ':' (possibly empty)
  bool value_quoted = false;
};

// Reads the list syntax ModSecurity uses for both a rule's targets ("ARGS|!ARGS:foo") and its
// actions ("id:1,msg:'a, b'"), after the configuration reader has unquoted the argument:
//  - items are separated by ',' or '|', with optional whitespace around them;
//  - a name runs to ':', ',', '|' or whitespace; after a name without ':', only whitespace and
//    then a separator or the end may follow;
//  - a value starting with '\'' runs to the next unescaped '\''; inside it "\'" is a quote and
//    "\\" a backslash, and any other backslash is an error ("invalid quoted pair");
//  - any other value runs to ',', '|' or whitespace; no escapes.
// Errors go to `sink`; reading stops at the first one (what follows would be misread).
std::vector<ListItem> SplitItemList(const LocatedText& text, DiagnosticSink& sink);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_ITEM_LIST_H_

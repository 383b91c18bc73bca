#ifndef GATEHOUSE_SECLANG_VARIABLES_H_
#define GATEHOUSE_SECLANG_VARIABLES_H_

#include <optional>
#include <string>
#include <string_view>

#include "seclang/source_location.h"

namespace gatehouse::seclang {

// How a target narrows its collection: ARGS (kNone), ARGS:foo (kKey), ARGS:/^foo/ (kRegex, the
// pattern without its slashes), XML:/* (kXPath, the expression as written).
enum class SelectorKind { kNone, kKey, kRegex, kXPath };

struct Selector {
  SelectorKind kind = SelectorKind::kNone;
  std::string value;  // key as written (case kept), pattern, or XPath; raw, macros unexpanded

  friend bool operator==(const Selector&, const Selector&) = default;
};

// One target of a rule's variable list: "ARGS", "!REQUEST_COOKIES:/__utm/", "&ARGS", "XML:/*".
struct Variable {
  std::string collection;  // canonical upper case: ARGS, REQUEST_HEADERS, TX, XML, ...
  Selector selector;
  bool exclusion = false;  // '!': removes what it selects from the rule's other targets
  bool count = false;      // '&': the number of selected values instead of the values
  SourceLocation location;
};

// What kind of variable a SecLang name is.
enum class VariableShape {
  kScalar,      // one value (REQUEST_URI, REQBODY_ERROR, ...): takes no selector
  kCollection,  // keyed values (ARGS, REQUEST_HEADERS, TX, ...): takes a key or regex selector
  kXml,         // XML: takes an XPath selector
};

// The canonical upper-case name of a variable of the SecLang reference and its shape; nullopt
// when `name` (any letter case) is not one.
struct VariableInfo {
  std::string_view name;
  VariableShape shape;
};
std::optional<VariableInfo> VariableByName(std::string_view name);

// Whether a key or regex selector on `collection` matches names without regard to letter case.
// In ModSecurity it does for every collection: keys are compared case-insensitively
// (ARGS:Foo selects "foo" and "FOO"; headers, cookies and TX keys alike) and selector regexes
// are compiled case-insensitively (PCRE_CASELESS), though HTTP itself treats argument and
// cookie names as case-sensitive. XML's XPath selectors are the exception: XPath is
// case-sensitive.
bool SelectorIgnoresCase(std::string_view collection);

// "!&ARGS:foo" etc. as written, for messages and round trips: the inverse of the variable
// parser (a regex comes back between slashes).
std::string FormatVariable(const Variable& variable);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_VARIABLES_H_

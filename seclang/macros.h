#ifndef GATEHOUSE_SECLANG_MACROS_H_
#define GATEHOUSE_SECLANG_MACROS_H_

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::seclang {

// One piece of a string that may hold macros: literal text, or a macro %{NAME} / %{NAME.KEY}.
// ModSecurity expands macros at run time in msg, logdata, setvar names and values, operator
// arguments and a few more places; the translator expands those it can at compile time (the TX
// values CRS sets at init) and keeps the rest.
struct MacroPart {
  bool is_macro = false;
  std::string text;        // literal text, or the macro as written ("%{tx.foo}")
  std::string collection;  // macro only: upper case, "TX", "MATCHED_VAR", "RULE", ...
  std::string key;  // macro only: after the first '.' (or ':'), as written; empty for %{NAME}

  friend bool operator==(const MacroPart&, const MacroPart&) = default;
};

// Splits `text` into literal and macro parts, in order; adjacent literal text is one part. A
// macro is "%{" then a name of letters, digits, '_', '.', '-', ':' and '/' up to "}"; "%{" not
// followed by such a name and a '}' is literal text, as is a lone '%'.
std::vector<MacroPart> SplitMacros(std::string_view text);

// Whether `text` holds at least one macro.
bool HasMacros(std::string_view text);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_MACROS_H_

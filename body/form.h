#ifndef GATEHOUSE_BODY_FORM_H_
#define GATEHOUSE_BODY_FORM_H_

#include <string_view>
#include <vector>

#include "body/text_arena.h"

namespace gatehouse::body {

// One argument of a query string or an application/x-www-form-urlencoded body, decoded.
struct FormField {
  std::string_view name;
  std::string_view value;

  friend bool operator==(const FormField&, const FormField&) = default;
};

struct FormParseResult {
  // Some '%' was not followed by two hex digits (ModSecurity's URLENCODED_ERROR).
  bool invalid_encoding = false;
};

// Reads `input` as ModSecurity 3 reads a query string or a url-encoded body
// (Transaction::extractArguments, SecArgumentSeparator `separator`), appending to `fields`:
//   - pieces are separated by `separator`; an empty piece is an argument with an empty name and
//     value ("a=1&&b" has three), except after a final separator ("a=1&" has one);
//   - a piece splits at its first '=': no '=' means the whole piece is the name and the value is
//     empty; "=v" has an empty name;
//   - name and value are %-decoded separately, '+' is a space, an invalid %-escape stays as it is.
// Views point into `input` or into `arena`. A body cut at the inspection limit reads the same way:
// its last argument is simply shorter.
FormParseResult ParseForm(std::string_view input, TextArena& arena, std::vector<FormField>& fields,
                          char separator = '&');

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_FORM_H_

#pragma once

// What may go on the wire in an HTTP/1.1 message the edge writes (RFC 9110 §5, RFC 9112 §3.2).
// One definition for the compiler (static values are rejected with a caret), the phases (values
// computed per request fail safe) and the proxy's wire writer (a last check before bytes leave).

#include <cstddef>
#include <string_view>

namespace gatehouse {

// Where a value breaks the syntax, for a diagnostic.
struct SyntaxViolation {
  size_t offset = 0;        // of the first offending byte
  std::string_view reason;  // e.g. "a header value may not contain CR"
};

// A field name: one or more tchar.
bool IsFieldName(std::string_view name);
// A field value: visible ASCII, obs-text, SP and HTAB, with no CR, LF or NUL (nor other controls).
bool IsFieldValue(std::string_view value);
// A request-target path the proxy sends in origin-form: starts with '/', then visible ASCII
// other than '?' and '#' (a '?' would start the query, a space would split the request line).
bool IsOriginFormPath(std::string_view path);
// A query (without its '?'): visible ASCII other than '#'.
bool IsQuery(std::string_view query);

// The first violation in each kind of value; `what` names the value in the reason.
bool FindFieldNameViolation(std::string_view name, SyntaxViolation* out);
bool FindFieldValueViolation(std::string_view value, SyntaxViolation* out);
bool FindPathViolation(std::string_view path, SyntaxViolation* out);
bool FindQueryViolation(std::string_view query, SyntaxViolation* out);

}  // namespace gatehouse

#include "common/http_syntax.h"

namespace gatehouse {
namespace {

bool IsTchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsVisibleAscii(unsigned char c) { return c > 0x20 && c < 0x7f; }

// The reason for a control byte, naming the ones injection uses.
std::string_view ControlReason(unsigned char c, std::string_view cr, std::string_view lf,
                               std::string_view nul, std::string_view other) {
  if (c == '\r') return cr;
  if (c == '\n') return lf;
  if (c == '\0') return nul;
  return other;
}

}  // namespace

bool FindFieldNameViolation(std::string_view name, SyntaxViolation* out) {
  if (name.empty()) {
    *out = {0, "a header name may not be empty"};
    return true;
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (!IsTchar(c)) {
      *out = {i, ControlReason(c, "a header name may not contain CR",
                               "a header name may not contain LF",
                               "a header name may not contain NUL",
                               "a header name is letters, digits and !#$%&'*+-.^_`|~ only")};
      return true;
    }
  }
  return false;
}

bool FindFieldValueViolation(std::string_view value, SyntaxViolation* out) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '\t' || c >= 0x20) {
      if (c != 0x7f) continue;
    }
    *out = {i, ControlReason(c, "a header value may not contain CR (\\r)",
                             "a header value may not contain LF (\\n)",
                             "a header value may not contain NUL",
                             "a header value may not contain control characters")};
    return true;
  }
  return false;
}

bool FindPathViolation(std::string_view path, SyntaxViolation* out) {
  if (path.empty() || path.front() != '/') {
    *out = {0, "a path must start with '/'"};
    return true;
  }
  for (size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (IsVisibleAscii(c) && c != '?' && c != '#') continue;
    std::string_view reason = "a path may not contain spaces, controls or non-ASCII bytes "
                              "(percent-encode them)";
    if (c == '?') reason = "a path may not contain '?' (set the query instead)";
    if (c == '#') reason = "a path may not contain '#'";
    if (c == '\r' || c == '\n' || c == '\0') {
      reason = ControlReason(c, "a path may not contain CR (\\r)", "a path may not contain LF (\\n)",
                             "a path may not contain NUL", "");
    }
    *out = {i, reason};
    return true;
  }
  return false;
}

bool FindQueryViolation(std::string_view query, SyntaxViolation* out) {
  for (size_t i = 0; i < query.size(); ++i) {
    const auto c = static_cast<unsigned char>(query[i]);
    if (IsVisibleAscii(c) && c != '#') continue;
    std::string_view reason = "a query may not contain spaces, controls or non-ASCII bytes "
                              "(percent-encode them)";
    if (c == '#') reason = "a query may not contain '#'";
    if (c == '\r' || c == '\n' || c == '\0') {
      reason = ControlReason(c, "a query may not contain CR (\\r)",
                             "a query may not contain LF (\\n)", "a query may not contain NUL", "");
    }
    *out = {i, reason};
    return true;
  }
  return false;
}

bool IsFieldName(std::string_view name) {
  SyntaxViolation ignored;
  return !FindFieldNameViolation(name, &ignored);
}

bool IsFieldValue(std::string_view value) {
  SyntaxViolation ignored;
  return !FindFieldValueViolation(value, &ignored);
}

bool IsOriginFormPath(std::string_view path) {
  SyntaxViolation ignored;
  return !FindPathViolation(path, &ignored);
}

bool IsQuery(std::string_view query) {
  SyntaxViolation ignored;
  return !FindQueryViolation(query, &ignored);
}

}  // namespace gatehouse

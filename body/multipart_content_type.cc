#include "body/multipart_content_type.h"

#include "body/ascii.h"

namespace gatehouse::body {
namespace {

constexpr std::string_view kMimeType = "multipart/form-data";
constexpr std::size_t kMaxContentTypeLength = 1024;

// How many times "boundary" followed somewhere later by '=' occurs, ignoring case.
int CountBoundaryParameters(std::string_view text) {
  int count = 0;
  std::size_t at = 0;
  while (true) {
    std::size_t found = std::string_view::npos;
    for (std::size_t i = at; i + 8 <= text.size(); ++i) {
      if (EqualsIgnoreAsciiCase(text.substr(i, 8), "boundary")) {
        found = i;
        break;
      }
    }
    if (found == std::string_view::npos) return count;
    at = found + 8;
    if (text.find('=', at) != std::string_view::npos) ++count;
  }
}

// RFC 2046's bchars; a space may not be the last one.
bool BoundaryCharactersValid(std::string_view boundary) {
  for (std::size_t i = 0; i < boundary.size(); ++i) {
    const char c = boundary[i];
    const bool valid = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       (c == ' ' && i + 1 < boundary.size()) ||
                       std::string_view("'()+_,-./:=?").find(c) != std::string_view::npos;
    if (!valid) return false;
  }
  return true;
}

absl::Status Refuse(MultipartBoundary& result, const char* message) {
  result.refused = true;
  return absl::InvalidArgumentError(message);
}

}  // namespace

absl::Status ReadMultipartBoundary(std::string_view content_type, MultipartBoundary& result) {
  result = MultipartBoundary();
  // libmodsecurity works on a C string: a NUL byte ends the header.
  content_type = content_type.substr(0, content_type.find('\0'));
  if (content_type.empty()) {
    return Refuse(result, "Multipart: Content-Type header not available.");
  }
  if (content_type.size() > kMaxContentTypeLength) {
    return Refuse(result, "Multipart: Invalid boundary in C-T (length).");
  }
  if (!StartsWithIgnoreAsciiCase(content_type, kMimeType)) {
    return Refuse(result, "Multipart: Invalid MIME type.");
  }
  if (CountBoundaryParameters(content_type) > 1) {
    return Refuse(result, "Multipart: Multiple boundary parameters in C-T.");
  }
  const std::size_t parameter = content_type.find("boundary");
  if (parameter == std::string_view::npos) {
    if (CountBoundaryParameters(content_type) > 0) {
      return Refuse(result, "Multipart: Invalid boundary in C-T (case sensitivity).");
    }
    return Refuse(result, "Multipart: Boundary not found in C-T.");
  }
  bool seen_semicolon = false;
  for (std::size_t i = kMimeType.size(); i < parameter; ++i) {
    if (IsCSpace(content_type[i])) continue;
    if (!seen_semicolon && content_type[i] == ';') {
      seen_semicolon = true;
    } else {
      return Refuse(result, "Multipart: Invalid boundary in C-T (malformed).");
    }
  }
  result.missing_semicolon = !seen_semicolon;
  const std::size_t equals = content_type.find('=', parameter + 8);
  if (equals == std::string_view::npos) {
    return Refuse(result, "Multipart: Invalid boundary in C-T (malformed).");
  }
  for (std::size_t i = parameter + 8; i < equals; ++i) {
    if (!IsCSpace(content_type[i])) {
      return Refuse(result, "Multipart: Invalid boundary in C-T (parameter name).");
    }
    result.whitespace = true;
  }
  std::string_view value = content_type.substr(equals + 1);
  if (!value.empty() && IsCSpace(value.front())) result.whitespace = true;
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
    result.quoted = true;
    if (value.empty()) {
      // libmodsecurity stops checking here but reports success (init returns -1, read as true),
      // and reads the body with an empty boundary.
      return absl::OkStatus();
    }
  } else {
    if ((!value.empty() && value.front() == '"') || (value.size() >= 2 && value.back() == '"')) {
      return Refuse(result, "Multipart: Invalid boundary in C-T (quote).");
    }
    // Tolerated: parameters after the boundary.
    value = value.substr(0, value.find(';'));
    if (value.empty()) {
      // Refused without a message: the body is not read and nothing is flagged.
      result.refused = true;
      return absl::OkStatus();
    }
  }
  if (CountBoundaryParameters(value) != 0) {
    return Refuse(result, "Multipart: Invalid boundary in C-T (content).");
  }
  if (!BoundaryCharactersValid(value)) {
    return Refuse(result, "Multipart: Invalid boundary in C-T (characters).");
  }
  result.boundary = value;
  return absl::OkStatus();
}

}  // namespace gatehouse::body

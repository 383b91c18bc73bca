#include "rules/url.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string DecodeOnce(std::string_view text, bool plus_as_space, bool unicode) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
               HexDigit(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
      i += 2;
    } else if (c == '%' && unicode && i + 5 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U') &&
               HexDigit(text[i + 2]) >= 0 && HexDigit(text[i + 3]) >= 0 &&
               HexDigit(text[i + 4]) >= 0 && HexDigit(text[i + 5]) >= 0) {
      uint32_t cp = 0;
      for (int k = 2; k <= 5; ++k) cp = cp * 16 + static_cast<uint32_t>(HexDigit(text[i + k]));
      AppendUtf8(cp, out);
      i += 5;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsUnreserved(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string PercentDecode(std::string_view text, bool plus_as_space) {
  return DecodeOnce(text, plus_as_space, false);
}

std::string UrlDecode(std::string_view text, std::string_view options) {
  bool recursive = options.find('r') != std::string_view::npos;
  bool unicode = options.find('u') != std::string_view::npos;
  std::string out = DecodeOnce(text, true, unicode);
  // Each pass shrinks the text or changes nothing, so this ends.
  while (recursive) {
    std::string again = DecodeOnce(out, true, unicode);
    if (again == out) break;
    out = std::move(again);
  }
  return out;
}

namespace {

// Whether NormalizePath would return the path unchanged: it starts with '/', has nothing to
// decode or convert, and no empty (but a trailing), "." or ".." segment. Most paths are; they
// are returned as one copy.
bool IsNormalPath(std::string_view path) {
  if (path.empty() || path.front() != '/' ||
      path.find_first_of("%\\") != std::string_view::npos) {
    return false;
  }
  for (size_t start = 1; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == ".." || (segment.empty() && end != path.size())) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

// What NormalizePath does to a path that is not already normal.
std::string RebuildPath(std::string_view raw_path) {
  // Percent-encoding first: decode unreserved characters, upper-case the rest.
  std::string path;
  path.reserve(raw_path.size() + 1);
  for (size_t i = 0; i < raw_path.size(); ++i) {
    char c = raw_path[i];
    if (c == '%' && i + 2 < raw_path.size() && HexDigit(raw_path[i + 1]) >= 0 &&
        HexDigit(raw_path[i + 2]) >= 0) {
      unsigned char decoded =
          static_cast<unsigned char>(HexDigit(raw_path[i + 1]) * 16 + HexDigit(raw_path[i + 2]));
      if (IsUnreserved(decoded)) {
        path.push_back(static_cast<char>(decoded));
      } else {
        path.push_back('%');
        path.push_back(absl::ascii_toupper(raw_path[i + 1]));
        path.push_back(absl::ascii_toupper(raw_path[i + 2]));
      }
      i += 2;
    } else {
      path.push_back(c == '\\' ? '/' : c);
    }
  }
  // Then segments: merged slashes, "." dropped, ".." pops.
  std::vector<std::string_view> segments;
  bool trailing_slash = !path.empty() && path.back() == '/';
  for (std::string_view segment : Split(path, '/')) {
    if (segment.empty()) continue;
    if (segment == ".") {
      trailing_slash = true;
    } else if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = true;
    } else {
      segments.push_back(segment);
      trailing_slash = false;
    }
  }
  if (!path.empty() && path.back() == '/') trailing_slash = true;
  std::string out;
  for (std::string_view segment : segments) {
    out.push_back('/');
    out.append(segment.data(), segment.size());
  }
  if (out.empty() || trailing_slash) out.push_back('/');
  return out;
}

}  // namespace

std::string NormalizePath(std::string_view raw_path) {
  std::string out;
  NormalizePathInto(raw_path, out);
  return out;
}

void NormalizePathInto(std::string_view raw_path, std::string& out) {
  if (IsNormalPath(raw_path)) {
    out.assign(raw_path);
    return;
  }
  out = RebuildPath(raw_path);
}

}  // namespace gatehouse::rules

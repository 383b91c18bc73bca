#include "ftw/request_builder.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

namespace gatehouse::ftw {
namespace {

// Debian's Abseil has its own string_view, which std::string_view does not convert to: these
// few helpers keep this file on std::string_view.
bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return absl::ascii_tolower(static_cast<unsigned char>(x)) ==
                  absl::ascii_tolower(static_cast<unsigned char>(y));
         });
}

bool HasHeader(const Request& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

bool HasHeaderValue(const Request& request, std::string_view name, std::string_view value) {
  return std::any_of(request.headers.begin(), request.headers.end(), [&](const auto& header) {
    return EqualsIgnoreCase(header.first, name) && header.second == value;
  });
}

bool HasHeaderContaining(const Request& request, std::string_view name, std::string_view part) {
  return std::any_of(request.headers.begin(), request.headers.end(), [&](const auto& header) {
    return EqualsIgnoreCase(header.first, name) && Contains(header.second, part);
  });
}

// go-ftw adds Content-Length to these methods' requests even without a body. Its pattern is
// `^POST|PUT|PATCH|DELETE$` — anchored only at its ends — and runners must agree byte for byte,
// so the same test is kept.
bool MethodTakesBody(std::string_view method) {
  return method.starts_with("POST") || Contains(method, "PUT") ||
         Contains(method, "PATCH") || method.ends_with("DELETE");
}

// Python's quote_plus with safe='': unreserved bytes stay, space becomes '+', the rest %XX.
void AppendQuotePlus(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
}

// Python's bytes.strip(): ASCII whitespace both ends.
std::string_view StripPython(std::string_view text) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0b' || c == '\x0c';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string Request::Serialize() const {
  std::string out = method + " " + uri + " " + version + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

std::string EncodeFormData(std::string_view data) {
  // go-ftw treats data that URL-decoding would change (any '+' or '%'), or that holds a '%'
  // not followed by two hex digits, as already encoded.
  if (Contains(data, "%") || Contains(data, "+")) return std::string(data);
  std::string out;
  for (size_t start = 0; start <= data.size();) {
    size_t end = data.find('&', start);
    if (end == std::string_view::npos) end = data.size();
    const std::string_view token = data.substr(start, end - start);
    if (start > 0) out.push_back('&');
    start = end + 1;
    const size_t equals = token.find('=');
    if (equals == std::string_view::npos) {
      AppendQuotePlus(token, out);
    } else {
      AppendQuotePlus(token.substr(0, equals), out);
      out.push_back('=');
      AppendQuotePlus(token.substr(equals + 1), out);
    }
  }
  return out;
}

Request ParseRawRequest(std::string_view raw) {
  Request request;
  size_t separator = raw.find("\r\n\r\n");
  size_t separator_length = 4;
  if (separator == std::string_view::npos) {
    separator = raw.find("\n\n");
    separator_length = 2;
  }
  std::string_view head = raw;
  if (separator != std::string_view::npos) {
    head = raw.substr(0, separator);
    request.body = std::string(raw.substr(separator + separator_length));
  }
  bool first_line = true;
  for (size_t start = 0; start <= head.size();) {
    size_t end = head.find('\n', start);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(start, end - start);
    start = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (first_line) {
      first_line = false;
      std::vector<std::string_view> parts;
      for (size_t from = 0; from <= line.size();) {
        size_t space = line.find(' ', from);
        if (space == std::string_view::npos) space = line.size();
        parts.push_back(line.substr(from, space - from));
        from = space + 1;
      }
      request.method = std::string(parts[0]);
      request.uri = parts.size() > 1 ? std::string(parts[1]) : "/";
      request.version = parts.size() > 2 ? std::string(parts[2]) : "HTTP/1.1";
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    request.headers.emplace_back(std::string(StripPython(line.substr(0, colon))),
                                 std::string(StripPython(line.substr(colon + 1))));
  }
  return request;
}

Request BuildRequest(const StageInput& input, bool legacy) {
  if (input.raw_request.has_value()) return ParseRawRequest(*input.raw_request);
  Request request;
  request.method = input.method;
  request.uri = input.uri;
  request.version = input.version;
  request.headers = input.headers;
  std::string data = input.data.value_or("");
  const bool autocomplete = input.autocomplete_headers;
  if (!data.empty() && autocomplete) {
    if (!HasHeader(request, "Content-Type")) {
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    if (HasHeaderValue(request, "Content-Type", "application/x-www-form-urlencoded")) {
      data = EncodeFormData(data);
    }
  }
  if (!input.data_was_list && HasHeaderContaining(request, "Content-Type", "multipart/form-data;")) {
    // As go-ftw does: every LF becomes CRLF, even one that already follows a CR.
    data = absl::StrReplaceAll(data, {{"\n", "\r\n"}});
  }
  request.body = std::move(data);
  if (autocomplete) {
    if (!HasHeader(request, "Connection")) request.headers.emplace_back("Connection", "close");
    if (!HasHeader(request, "Content-Length") &&
        (!request.body.empty() || (!legacy && MethodTakesBody(request.method)))) {
      request.headers.emplace_back("Content-Length", std::to_string(request.body.size()));
    }
  }
  return request;
}

}  // namespace gatehouse::ftw

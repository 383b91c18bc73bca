#include "detect/crs_check/ftw_request.h"

#include "seclang/transformations.h"

namespace gatehouse::crs_check {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

bool SameHeaderName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

namespace {

bool HasHeader(const HttpRequest& request, std::string_view name) {
  return FindHeader(request, name) != nullptr;
}

// One form field name or value as Go's url.QueryEscape (and Python's quote_plus) writes it.
std::string FormEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

const std::string* FindHeader(const HttpRequest& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (SameHeaderName(header, name)) return &value;
  }
  return nullptr;
}

std::string FormEncodeUnlessEncoded(std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '%' && !(i + 2 < data.size() && IsHex(data[i + 1]) && IsHex(data[i + 2]))) {
      return std::string(data);
    }
  }
  if (seclang::UrlDecode(data) != data) return std::string(data);
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t amp = std::min(data.find('&', start), data.size());
    const std::string_view field = data.substr(start, amp - start);
    if (start > 0) out.push_back('&');
    const size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      out += FormEscape(field);
    } else {
      out += FormEscape(field.substr(0, eq)) + "=" + FormEscape(field.substr(eq + 1));
    }
    if (amp == data.size()) break;
    start = amp + 1;
  }
  return out;
}

HttpRequest ParseRawRequest(std::string_view raw) {
  HttpRequest request;
  size_t head_end = raw.find("\r\n\r\n");
  size_t body_start = head_end + 4;
  if (head_end == std::string_view::npos) {
    head_end = raw.find("\n\n");
    body_start = head_end == std::string_view::npos ? raw.size() : head_end + 2;
  }
  const std::string_view head = raw.substr(0, std::min(head_end, raw.size()));
  request.body = std::string(raw.substr(std::min(body_start, raw.size())));
  size_t line_start = 0;
  bool first = true;
  while (line_start <= head.size()) {
    const size_t line_end = std::min(head.find('\n', line_start), head.size());
    const std::string_view line = Trim(head.substr(line_start, line_end - line_start));
    if (first) {
      const size_t sp1 = line.find(' ');
      const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
      request.method = std::string(line.substr(0, sp1));
      request.uri = sp1 == std::string_view::npos
                        ? "/"
                        : std::string(line.substr(sp1 + 1, sp2 == std::string_view::npos
                                                               ? std::string_view::npos
                                                               : sp2 - sp1 - 1));
      request.version = sp2 == std::string_view::npos ? "HTTP/1.1"
                                                      : std::string(line.substr(sp2 + 1));
      first = false;
    } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
      request.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                   std::string(Trim(line.substr(colon + 1))));
    }
    line_start = line_end + 1;
  }
  return request;
}

HttpRequest BuildFtwRequest(const FtwInput& input) {
  if (!input.raw_request.empty()) return ParseRawRequest(input.raw_request);
  HttpRequest request{input.method, input.uri, input.version, input.headers, input.data};
  if (input.autocomplete && !request.body.empty()) {
    if (!HasHeader(request, "Content-Type")) {
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    if (*FindHeader(request, "Content-Type") == "application/x-www-form-urlencoded") {
      request.body = FormEncodeUnlessEncoded(request.body);
    }
  }
  if (const std::string* type = FindHeader(request, "Content-Type");
      type != nullptr && type->find("multipart/form-data;") != std::string::npos) {
    std::string body;
    for (char c : request.body) {
      if (c == '\n' && (body.empty() || body.back() != '\r')) body.push_back('\r');
      body.push_back(c);
    }
    request.body = std::move(body);
  }
  if (input.autocomplete) {
    if (!HasHeader(request, "Connection")) request.headers.emplace_back("Connection", "close");
    if (!HasHeader(request, "Content-Length") && !request.body.empty()) {
      request.headers.emplace_back("Content-Length", std::to_string(request.body.size()));
    }
  }
  return request;
}

}  // namespace gatehouse::crs_check

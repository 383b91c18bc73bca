#include "detect/crs_check/request_variables.h"

#include <algorithm>

#include "seclang/transformations.h"

namespace gatehouse::crs_check {
namespace {

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  std::string out;
  for (char c : content_type) {
    if (c == ' ' || c == '\t') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// Calls `each` with every piece of `text` between separators, empty pieces skipped.
template <typename Each>
void Split(std::string_view text, char separator, Each each) {
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(separator, start), text.size());
    if (end > start) each(text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

RequestVariables::RequestVariables(const HttpRequest& request) : headers_(request.headers) {
  if (const size_t q = request.uri.find('?'); q != std::string::npos) {
    AddArgs(std::string_view(request.uri).substr(q + 1));
  }
  if (const std::string* type = FindHeader(request, "Content-Type");
      type != nullptr && MediaType(*type) == "application/x-www-form-urlencoded") {
    AddArgs(request.body);
  }
  for (const Variable& header : Headers("Cookie")) {
    Split(header.value, ';', [&](std::string_view cookie) {
      while (!cookie.empty() && (cookie.front() == ' ' || cookie.front() == '\t')) {
        cookie.remove_prefix(1);
      }
      const size_t eq = cookie.find('=');
      const std::string_view name = cookie.substr(0, eq);
      if (name.empty()) return;
      cookies_.emplace_back(std::string(name), eq == std::string_view::npos
                                                   ? std::string()
                                                   : std::string(cookie.substr(eq + 1)));
    });
  }
}

void RequestVariables::AddArgs(std::string_view urlencoded) {
  Split(urlencoded, '&', [&](std::string_view field) {
    const size_t eq = field.find('=');
    std::string name = seclang::UrlDecode(field.substr(0, eq));
    std::string value =
        eq == std::string_view::npos ? std::string() : seclang::UrlDecode(field.substr(eq + 1));
    args_.emplace_back(std::move(name), std::move(value));
  });
}

std::vector<Variable> RequestVariables::Args() const {
  std::vector<Variable> out;
  for (const auto& [name, value] : args_) out.push_back({"ARGS:" + name, value});
  return out;
}

std::vector<Variable> RequestVariables::ArgsNames() const {
  std::vector<Variable> out;
  for (const auto& [name, value] : args_) out.push_back({"ARGS_NAMES:" + name, name});
  return out;
}

std::vector<Variable> RequestVariables::Cookies(std::string_view excluded_name_part) const {
  std::vector<Variable> out;
  for (const auto& [name, value] : cookies_) {
    if (!excluded_name_part.empty() && name.find(excluded_name_part) != std::string::npos) {
      continue;
    }
    out.push_back({"REQUEST_COOKIES:" + name, value});
  }
  return out;
}

std::vector<Variable> RequestVariables::CookieNames() const {
  std::vector<Variable> out;
  for (const auto& [name, value] : cookies_) out.push_back({"REQUEST_COOKIES_NAMES:" + name, name});
  return out;
}

std::vector<Variable> RequestVariables::Headers(std::string_view name) const {
  std::vector<Variable> out;
  for (const auto& [header, value] : headers_) {
    if (SameHeaderName(header, name)) out.push_back({"REQUEST_HEADERS:" + header, value});
  }
  return out;
}

}  // namespace gatehouse::crs_check

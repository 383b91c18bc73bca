#include "runtime/http/request_target.h"

#include "absl/strings/ascii.h"

namespace gatehouse::runtime {
namespace {

// host[:port], host a reg-name, IPv4 or [IPv6]; port digits.
bool IsAuthority(std::string_view authority) {
  if (authority.empty()) return false;
  std::string_view host = authority;
  std::string_view port;
  if (host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (host.empty()) return false;
    for (char c : host) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return false;
      }
    }
    if (!port.empty() && port.front() != ':') return false;
  } else {
    const size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    if (host.empty()) return false;
    for (char c : host) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' &&
          c != '_') {
        return false;
      }
    }
  }
  if (!port.empty()) {
    port.remove_prefix(1);  // ':'
    if (port.empty() || port.size() > 5) return false;
    int number = 0;
    for (char c : port) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
      number = number * 10 + (c - '0');
    }
    if (number > 65535) return false;
  }
  return true;
}

bool IsHttpScheme(std::string_view scheme) {
  std::string lower(scheme);
  absl::AsciiStrToLower(&lower);
  return lower == "http" || lower == "https";
}

}  // namespace

std::optional<RequestTarget> ParseRequestTarget(std::string_view target) {
  RequestTarget out;
  // A fragment is never part of a request-target (RFC 9112 §3.2, RFC 9110 §7.1): a client that
  // sends one is broken or probing, and an origin could read the '#' differently from the rules.
  if (target.find('#') != std::string_view::npos) return std::nullopt;
  if (!target.empty() && target.front() == '/') {
    out.view = target;
    return out;
  }
  if (target == "*") {
    out.form = TargetForm::kAsterisk;
    return out;
  }
  const size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) {
    // No scheme: authority-form (host:port, the port required), as CONNECT sends it.
    const size_t colon = target.rfind(':');
    if (target.find_first_of("/?#@") != std::string_view::npos || !IsAuthority(target) ||
        colon == std::string_view::npos || target.back() == ']') {
      return std::nullopt;
    }
    out.form = TargetForm::kAuthority;
    return out;
  }
  const std::string_view scheme = target.substr(0, scheme_end);
  if (!IsHttpScheme(scheme)) {
    return std::nullopt;
  }
  std::string_view rest = target.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  out.form = TargetForm::kAbsolute;
  out.authority = rest.substr(0, authority_end);
  // Userinfo is not sent in a request-target (RFC 9110 §4.2.4); it only hides the real host.
  if (!IsAuthority(out.authority)) return std::nullopt;
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (!rest.empty() && rest.front() == '/') {
    out.view = rest;
  } else {
    // push_back, not = "/": GCC 12 at -O2 reports a false -Wrestrict for the assignment.
    out.added_slash.reserve(rest.size() + 1);
    out.added_slash.push_back('/');
    out.added_slash.append(rest);
  }
  return out;
}

}  // namespace gatehouse::runtime

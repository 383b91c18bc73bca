#include "runtime/http/header_rules.h"

#include "absl/strings/ascii.h"
#include "boost/beast/core/string.hpp"

namespace gatehouse::runtime {
namespace {

// HTTP2-Settings belongs to an h2c upgrade, which is never passed on (RFC 9113 §3.2.1 calls it
// connection-specific).
constexpr std::string_view kHopByHop[] = {
    "connection",         "keep-alive",          "proxy-connection", "te",
    "trailer",            "transfer-encoding",   "upgrade",          "proxy-authenticate",
    "proxy-authorization", "http2-settings"};

// Fields a Connection header may not make hop-by-hop: the edge and the origin rely on them
// ("Connection: host" would send the origin a request without Host).
constexpr std::string_view kEndToEnd[] = {"host", "content-length"};

std::string_view TrimSpace(std::string_view token) {
  while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  return token;
}

}  // namespace

template <bool kIsRequest>
HopByHopNames::HopByHopNames(const http::header<kIsRequest>& header) {
  for (auto it = header.find(http::field::connection);
       it != header.end() && it->name() == http::field::connection; ++it) {
    std::string_view value = it->value();
    while (!value.empty()) {
      const size_t comma = value.find(',');
      const std::string_view token = TrimSpace(value.substr(0, comma));
      bool end_to_end = false;
      for (std::string_view name : kEndToEnd) end_to_end = end_to_end || beast::iequals(token, name);
      if (!token.empty() && !end_to_end) named_.push_back(token);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
}

template HopByHopNames::HopByHopNames(const http::header<true>&);
template HopByHopNames::HopByHopNames(const http::header<false>&);

bool HopByHopNames::IsFixed(std::string_view name) {
  for (std::string_view fixed : kHopByHop) {
    if (beast::iequals(name, fixed)) return true;
  }
  return false;
}

bool HopByHopNames::Contains(std::string_view name) const {
  if (IsFixed(name)) return true;
  for (std::string_view named : named_) {
    if (beast::iequals(name, named)) return true;
  }
  return false;
}

std::string HostWithoutPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    host = close == std::string_view::npos ? host : host.substr(0, close + 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return absl::AsciiStrToLower(std::string(host));
}

}  // namespace gatehouse::runtime

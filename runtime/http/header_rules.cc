#include "runtime/http/header_rules.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"

namespace gatehouse::runtime {

template <bool kIsRequest>
void RemoveHopByHopHeaders(http::header<kIsRequest>& header) {
  std::vector<std::string> named;
  for (auto it = header.find(http::field::connection); it != header.end() &&
                                                       it->name() == http::field::connection;
       ++it) {
    std::string_view value = it->value();
    while (!value.empty()) {
      const size_t comma = value.find(',');
      std::string_view token = value.substr(0, comma);
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
      if (!token.empty()) named.emplace_back(token);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  for (const std::string& name : named) header.erase(name);
  static constexpr http::field kHopByHop[] = {
      http::field::connection, http::field::keep_alive,       http::field::proxy_connection,
      http::field::te,         http::field::trailer,          http::field::transfer_encoding,
      http::field::upgrade,    http::field::proxy_authenticate, http::field::proxy_authorization};
  for (http::field field : kHopByHop) header.erase(field);
}

template void RemoveHopByHopHeaders<true>(http::header<true>&);
template void RemoveHopByHopHeaders<false>(http::header<false>&);

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

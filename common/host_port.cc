#include "common/host_port.h"

#include <arpa/inet.h>

#include <charconv>

#include "absl/strings/str_cat.h"

namespace gatehouse {

std::string HostPort::ToString() const {
  if (host.find(':') != std::string::npos) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8, written as a dotted quad.
  in_addr address{};
  if (inet_pton(AF_INET, std::string(host).c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

absl::StatusOr<HostPort> ParseHostPort(std::string_view text, bool allow_zero_port) {
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError("\"" + std::string(text) + "\" is not host:port: " +
                                      std::string(why));
  };
  HostPort out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("an IPv6 host is written [addr]:port");
    }
    out.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("missing :port");
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) return bad("an IPv6 host is written [addr]:port");
    port_text = text.substr(colon + 1);
  }
  if (out.host.empty()) return bad("missing host");
  unsigned value = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      value > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  if (value == 0 && !allow_zero_port) return bad("the port must not be 0");
  out.port = static_cast<uint16_t>(value);
  return out;
}

}  // namespace gatehouse

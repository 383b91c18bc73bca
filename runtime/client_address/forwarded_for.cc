#include "runtime/client_address/forwarded_for.h"

#include "rules/ip_address.h"
#include "rules/strings.h"

namespace gatehouse::runtime {
namespace {

bool IsPort(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value <= 65535;
}

}  // namespace

std::optional<rules::IpAddress> ParseForwardedForEntry(std::string_view entry) {
  entry = rules::StripWhitespace(entry);
  if (!entry.empty() && entry.front() == '[') {
    // "[v6]" or "[v6]:port"; the brackets hold only an IPv6 address.
    const size_t close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view after = entry.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || !IsPort(after.substr(1)))) {
      return std::nullopt;
    }
    const std::string_view inside = entry.substr(1, close - 1);
    if (inside.find(':') == std::string_view::npos) return std::nullopt;
    return rules::ParseIpAddress(inside);
  }
  // One colon: IPv4 with a port (an IPv6 address has at least two).
  if (const size_t colon = entry.find(':');
      colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    if (!IsPort(entry.substr(colon + 1))) return std::nullopt;
    entry = entry.substr(0, colon);
  }
  return rules::ParseIpAddress(entry);
}

rules::IpAddress ForwardedClient(const rules::IpAddress& peer,
                                 std::span<const std::string_view> forwarded_for,
                                 const TrustedProxies& trusted) {
  rules::IpAddress reached = peer;
  if (!trusted.Contains(reached)) return reached;
  // Several fields are one list, in order: the last field's last entry is the nearest hop.
  for (auto field = forwarded_for.rbegin(); field != forwarded_for.rend(); ++field) {
    std::string_view rest = *field;
    for (;;) {
      const size_t comma = rest.rfind(',');
      const std::string_view entry =
          comma == std::string_view::npos ? rest : rest.substr(comma + 1);
      const std::optional<rules::IpAddress> address = ParseForwardedForEntry(entry);
      if (!address.has_value()) return reached;
      reached = *address;
      if (!trusted.Contains(reached)) return reached;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(0, comma);
    }
  }
  return reached;
}

}  // namespace gatehouse::runtime

#include "rules/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/numbers.h"
#include "rules/strings.h"

namespace gatehouse::rules {

IpAddress IpAddressFromBytes(std::span<const uint8_t, 4> v4) {
  IpAddress address;
  address.bytes[10] = 0xff;
  address.bytes[11] = 0xff;
  std::memcpy(&address.bytes[12], v4.data(), 4);
  address.is_v4 = true;
  return address;
}

IpAddress IpAddressFromBytes(std::span<const uint8_t, 16> v6) {
  IpAddress address;
  std::memcpy(address.bytes.data(), v6.data(), 16);
  return address;
}

IpAddress Unmapped(const IpAddress& address) {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (address.is_v4 || std::memcmp(address.bytes.data(), kMappedPrefix, 12) != 0) {
    return address;
  }
  IpAddress v4 = address;
  v4.is_v4 = true;
  return v4;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  // inet_pton needs a NUL-terminated string; addresses are short.
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buffer[46];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  if (text.find(':') == std::string_view::npos) {
    uint8_t v4[4];
    if (inet_pton(AF_INET, buffer, v4) != 1) return std::nullopt;
    return IpAddressFromBytes(std::span<const uint8_t, 4>(v4));
  }
  uint8_t v6[16];
  if (inet_pton(AF_INET6, buffer, v6) != 1) return std::nullopt;
  return IpAddressFromBytes(std::span<const uint8_t, 16>(v6));
}

std::optional<IpRange> CidrRange(const IpAddress& address, int prefix_length) {
  int max = address.is_v4 ? 32 : 128;
  if (prefix_length < 0 || prefix_length > max) return std::nullopt;
  int bits = prefix_length + (address.is_v4 ? 96 : 0);
  IpRange range{address, address};
  for (int i = 0; i < 16; ++i) {
    int keep = std::min(8, std::max(0, bits - 8 * i));
    uint8_t mask = keep == 0 ? 0 : static_cast<uint8_t>(0xff << (8 - keep));
    range.low.bytes[i] &= mask;
    range.high.bytes[i] |= static_cast<uint8_t>(~mask);
  }
  return range;
}

std::optional<IpRange> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    auto address = ParseIpAddress(text);
    if (!address) return std::nullopt;
    return IpRange{*address, *address};
  }
  auto address = ParseIpAddress(text.substr(0, slash));
  int prefix = 0;
  std::string_view digits = text.substr(slash + 1);
  if (!address || digits.empty() || digits.size() > 3 ||
      !absl::SimpleAtoi(ToAbsl(digits), &prefix)) {
    return std::nullopt;
  }
  return CidrRange(*address, prefix);
}

std::optional<IpRange> ParseIpRange(std::string_view text) {
  if (size_t dots = text.find(".."); dots != std::string_view::npos) {
    auto low = ParseIpAddress(text.substr(0, dots));
    auto high = ParseIpAddress(text.substr(dots + 2));
    if (!low || !high || low->is_v4 != high->is_v4 || AddressLess(*high, *low)) {
      return std::nullopt;
    }
    return IpRange{*low, *high};
  }
  return ParseCidr(text);
}

std::string FormatIpAddress(const IpAddress& address) {
  char buffer[kMaxIpAddressText];
  return std::string(FormatIpAddress(address, buffer));
}

std::string_view FormatIpAddress(const IpAddress& address,
                                 std::span<char, kMaxIpAddressText> buffer) {
  static_assert(kMaxIpAddressText >= INET6_ADDRSTRLEN);
  if (address.is_v4) {
    // By hand: the managed WAF formats the client's address (REMOTE_ADDR) for every request,
    // and glibc's inet_ntop goes through sprintf, some 1,800 instructions for an IPv4 address.
    char* out = buffer.data();
    for (size_t i = 12; i < 16; ++i) {
      if (i > 12) *out++ = '.';
      const unsigned octet = address.bytes[i];
      if (octet >= 100) *out++ = static_cast<char>('0' + octet / 100);
      if (octet >= 10) *out++ = static_cast<char>('0' + octet / 10 % 10);
      *out++ = static_cast<char>('0' + octet % 10);
    }
    return std::string_view(buffer.data(), static_cast<size_t>(out - buffer.data()));
  }
  inet_ntop(AF_INET6, address.bytes.data(), buffer.data(), buffer.size());
  return std::string_view(buffer.data());
}

}  // namespace gatehouse::rules

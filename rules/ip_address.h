#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rules/request_data.h"

namespace gatehouse::rules {

// An inclusive range of addresses; a CIDR is the range of its network.
struct IpRange {
  IpAddress low;
  IpAddress high;
};

// An address from its network-order bytes. An IPv4-mapped IPv6 address stays IPv6 here.
IpAddress IpAddressFromBytes(std::span<const uint8_t, 4> v4);
IpAddress IpAddressFromBytes(std::span<const uint8_t, 16> v6);

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it maps, so it prints and
// takes prefix lengths as IPv4 (a dual-stack socket's peer, a PROXY header's TCP6 address).
// Other addresses are returned unchanged.
IpAddress Unmapped(const IpAddress& address);

// Parses a bare IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1", "::ffff:1.2.3.4") address.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// The network of `address/prefix_length`. The prefix length counts in the address's own family
// (0..32 for IPv4, 0..128 for IPv6); nullopt if out of range.
std::optional<IpRange> CidrRange(const IpAddress& address, int prefix_length);

// Parses "a" or "a/len" (a CIDR; host bits past the prefix are ignored). nullopt if malformed.
std::optional<IpRange> ParseCidr(std::string_view text);

// Parses "a", "a/len" or "a..b" (list items). nullopt if malformed.
std::optional<IpRange> ParseIpRange(std::string_view text);

// Addresses compare by their 16 bytes, so an IPv4 address equals its IPv4-mapped IPv6 form.
inline bool SameAddress(const IpAddress& a, const IpAddress& b) { return a.bytes == b.bytes; }
inline bool AddressLess(const IpAddress& a, const IpAddress& b) { return a.bytes < b.bytes; }

// "192.0.2.1" for IPv4, RFC 5952 form for IPv6.
std::string FormatIpAddress(const IpAddress& address);

// Room for the longest text form of an address (INET6_ADDRSTRLEN).
inline constexpr size_t kMaxIpAddressText = 46;

// The same text written into `buffer`, for callers that must not allocate; returns a view of it.
std::string_view FormatIpAddress(const IpAddress& address,
                                 std::span<char, kMaxIpAddressText> buffer);

}  // namespace gatehouse::rules

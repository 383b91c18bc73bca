#pragma once

// X-Forwarded-For behind trusted proxies: each proxy appends the address it received the request
// from, so the entries a client cannot have written are the ones trusted proxies appended, read
// from the right.

#include <optional>
#include <span>
#include <string_view>

#include "rules/request_data.h"
#include "runtime/client_address/trusted_proxies.h"

namespace gatehouse::runtime {

// The client of a request whose connection came from `peer` (the TCP peer, or the source a
// trusted PROXY protocol header named), given the request's X-Forwarded-For field values in the
// order received:
//   - `peer` itself when it is not a trusted proxy (its X-Forwarded-For is whatever the client
//     wrote, so it is ignored);
//   - otherwise, walking the entries from the right, the first address that is not a trusted
//     proxy ("rightmost untrusted");
//   - when the walk meets an entry that is not an address, or runs out of entries, the last
//     address it reached: a trusted proxy, which is as far as the chain can be followed (an
//     entry left of a malformed one could have been written by anybody).
rules::IpAddress ForwardedClient(const rules::IpAddress& peer,
                                 std::span<const std::string_view> forwarded_for,
                                 const TrustedProxies& trusted);

// One X-Forwarded-For entry: an IPv4 or IPv6 address, or one with a port as some balancers
// write it ("192.0.2.1:4711", "[2001:db8::1]", "[2001:db8::1]:4711"); spaces and tabs around it
// are ignored. nullopt for anything else ("unknown", obfuscated names, garbage).
std::optional<rules::IpAddress> ParseForwardedForEntry(std::string_view entry);

}  // namespace gatehouse::runtime

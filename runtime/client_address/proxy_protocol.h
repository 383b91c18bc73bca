#pragma once

// The PROXY protocol (HAProxy's proxy-protocol.txt, versions 1 and 2): the header a load
// balancer that relays TCP sends before the client's bytes, naming the connection it relays.
// A pure parser over the bytes received so far: no IO, no state between calls.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "rules/request_data.h"

namespace gatehouse::runtime {

// A v1 line is at most 107 bytes with its CRLF (the specification's bound).
inline constexpr size_t kMaxProxyV1Bytes = 107;
// A v2 header is 16 bytes and a block of addresses and TLVs; a longer one is refused (the
// addresses take at most 216 bytes; load balancers' TLVs take tens).
inline constexpr size_t kMaxProxyV2Bytes = 4096;
// No header is longer: a parser given this many bytes always decides.
inline constexpr size_t kMaxProxyHeaderBytes = kMaxProxyV2Bytes;

struct ProxyHeader {
  // The relayed connection's endpoints.
  struct Endpoints {
    rules::IpAddress source;
    rules::IpAddress destination;
    uint16_t source_port = 0;
    uint16_t destination_port = 0;
  };

  int version = 1;  // 1 (text) or 2 (binary)
  // Absent when the header names no relayed TCP connection: v1 UNKNOWN, v2 LOCAL (the
  // balancer's own health check), and v2 families without IP addresses (UNSPEC, UNIX, and UDP,
  // which a TCP listener cannot have relayed to it). The connection's own peer applies then.
  std::optional<Endpoints> endpoints;
  size_t size = 0;  // bytes the header takes; what follows is the client's
};

// Parses the PROXY header at the start of `received` (the bytes a connection brought so far).
// Returns the header once all of it is there; nullopt while it is incomplete but could still
// become a valid header (read more: at most kMaxProxyHeaderBytes in all); an InvalidArgument
// error as soon as the bytes cannot start a valid header. Errors describe what is wrong without
// quoting the bytes.
absl::StatusOr<std::optional<ProxyHeader>> ParseProxyHeader(std::string_view received);

}  // namespace gatehouse::runtime

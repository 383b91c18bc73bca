#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gatehouse {

struct HostPort {
  std::string host;
  uint16_t port = 0;

  std::string ToString() const;
};

// Parses "host:port" or "[v6]:port". Port 0 is allowed only where `allow_zero_port`.
absl::StatusOr<HostPort> ParseHostPort(std::string_view text, bool allow_zero_port = true);

// True for a host that only this machine can reach: "localhost", 127.0.0.0/8 and ::1.
bool IsLoopbackHost(std::string_view host);

}  // namespace gatehouse

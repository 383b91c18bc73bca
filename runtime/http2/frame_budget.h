#pragma once

// A token bucket over frames that cost the server work and carry no request (PING, SETTINGS,
// PRIORITY, empty DATA): a client may send `burst` at once and `rate` a second after that.
// Past it the connection is a flood (CVE-2019-9512, -9514, -9515, -9516, -9518) and is closed.

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace gatehouse::runtime::http2 {

class FrameBudget {
 public:
  using Clock = std::chrono::steady_clock;

  FrameBudget(uint32_t burst, uint32_t rate, Clock::time_point now = Clock::now())
      : burst_(burst), rate_(rate), tokens_(burst), refilled_(now) {}

  // Spends one frame's token; false: the budget is exhausted (a flood).
  bool Spend(Clock::time_point now = Clock::now()) {
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    tokens_ = std::min<double>(burst_, tokens_ + elapsed * rate_);
    refilled_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  const uint32_t burst_;
  const uint32_t rate_;
  double tokens_;
  Clock::time_point refilled_;
};

}  // namespace gatehouse::runtime::http2

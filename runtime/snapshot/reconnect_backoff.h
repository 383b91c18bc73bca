#pragma once

#include <chrono>
#include <random>

namespace gatehouse::runtime {

// How long to wait before the next attempt to reach the control plane: exponential, with full
// jitter (a fleet of proxies does not reconnect in lockstep), starting over after a stream that
// lived long enough to count as healthy.
class ReconnectBackoff {
 public:
  ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                   std::chrono::milliseconds healthy_after = std::chrono::seconds(10),
                   unsigned seed = std::random_device{}());

  // The wait after an attempt that lasted `lived`: a random duration in [b/2, b] for the current
  // base b, which then doubles up to the maximum.
  std::chrono::milliseconds Next(std::chrono::steady_clock::duration lived);

 private:
  const std::chrono::milliseconds initial_;
  const std::chrono::milliseconds max_;
  const std::chrono::steady_clock::duration healthy_after_;
  std::chrono::milliseconds base_;
  std::mt19937 random_;
};

}  // namespace gatehouse::runtime

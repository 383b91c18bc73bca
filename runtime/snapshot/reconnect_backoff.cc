#include "runtime/snapshot/reconnect_backoff.h"

#include <algorithm>

namespace gatehouse::runtime {

ReconnectBackoff::ReconnectBackoff(std::chrono::milliseconds initial,
                                   std::chrono::milliseconds max,
                                   std::chrono::milliseconds healthy_after, unsigned seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))),
      max_(std::max(max, initial_)),
      healthy_after_(healthy_after),
      base_(initial_),
      random_(seed) {}

std::chrono::milliseconds ReconnectBackoff::Next(std::chrono::steady_clock::duration lived) {
  if (lived > healthy_after_) base_ = initial_;
  const auto count = base_.count();
  const std::chrono::milliseconds wait(
      std::uniform_int_distribution<decltype(count)>(count / 2, count)(random_));
  base_ = std::min(base_ * 2, max_);
  return wait;
}

}  // namespace gatehouse::runtime

#include "runtime/observability/ray_id.h"

#include <random>

namespace gatehouse::runtime {

RayIdGenerator::RayIdGenerator() : prefix_(std::random_device{}()) {}

RayId RayIdGenerator::Next() {
  const uint64_t value = (static_cast<uint64_t>(prefix_) << 32) |
                         counter_.fetch_add(1, std::memory_order_relaxed);
  static constexpr char kHex[] = "0123456789abcdef";
  RayId id;
  for (size_t i = 0; i < id.digits_.size(); ++i) {
    id.digits_[i] = kHex[(value >> ((id.digits_.size() - 1 - i) * 4)) & 0xf];
  }
  return id;
}

}  // namespace gatehouse::runtime

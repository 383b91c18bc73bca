#include "runtime/engine/ray_id.h"

#include <random>

namespace gatehouse::runtime {

RayIdGenerator::RayIdGenerator() : prefix_(std::random_device{}()) {}

std::string RayIdGenerator::Next() {
  const uint64_t value = (static_cast<uint64_t>(prefix_) << 32) |
                         counter_.fetch_add(1, std::memory_order_relaxed);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) out[static_cast<size_t>(15 - i)] = kHex[(value >> (i * 4)) & 0xf];
  return out;
}

}  // namespace gatehouse::runtime

#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace gatehouse::runtime {

// A ray ID: 16 hex digits, held inline so that naming a request allocates nothing.
class RayId {
 public:
  std::string_view view() const { return {digits_.data(), digits_.size()}; }

 private:
  friend class RayIdGenerator;
  std::array<char, 16> digits_{};
};

// Ray IDs, unique per edge process. A random per-process prefix keeps IDs from restarts and from
// other proxies apart; a counter makes each one distinct.
class RayIdGenerator {
 public:
  RayIdGenerator();
  RayId Next();

 private:
  uint32_t prefix_;
  std::atomic<uint32_t> counter_{0};
};

}  // namespace gatehouse::runtime

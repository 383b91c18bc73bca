#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace gatehouse::runtime {

// Ray IDs: 16 hex digits, unique per edge process. A random per-process prefix keeps IDs from
// restarts and from other proxies apart; a counter makes each one distinct.
class RayIdGenerator {
 public:
  RayIdGenerator();
  std::string Next();

 private:
  uint32_t prefix_;
  std::atomic<uint32_t> counter_{0};
};

}  // namespace gatehouse::runtime

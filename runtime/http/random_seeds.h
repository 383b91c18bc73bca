#pragma once

// cf.random_seed for each request, from OpenSSL's generator in blocks: one RAND_bytes call
// costs about as much as a request's HTTP/2 framing (its parameter lookups and locking), and
// most of that is per call, not per byte. The bytes are the generator's output either way.
// One per worker thread; not shared.

#include <array>
#include <cstddef>
#include <span>

namespace gatehouse::runtime {

class RandomSeeds {
 public:
  static constexpr size_t kSeedBytes = 16;
  static constexpr size_t kSeedsPerDraw = 256;

  // Fills `seed` with fresh random bytes (never handed out before); false when the generator
  // failed (the seed is then left as it was).
  bool Next(std::span<unsigned char, kSeedBytes> seed);

 private:
  std::array<unsigned char, kSeedBytes * kSeedsPerDraw> block_{};
  size_t used_ = block_.size();  // bytes of `block_` already handed out
};

}  // namespace gatehouse::runtime

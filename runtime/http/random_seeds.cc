#include "runtime/http/random_seeds.h"

#include <openssl/rand.h>

#include <algorithm>

namespace gatehouse::runtime {

bool RandomSeeds::Next(std::span<unsigned char, kSeedBytes> seed) {
  if (used_ == block_.size()) {
    if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1) return false;
    used_ = 0;
  }
  std::copy_n(block_.begin() + used_, kSeedBytes, seed.begin());
  // Each byte is handed out once.
  std::fill_n(block_.begin() + used_, kSeedBytes, 0);
  used_ += kSeedBytes;
  return true;
}

}  // namespace gatehouse::runtime

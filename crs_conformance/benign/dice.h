#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace gatehouse::crs_conformance::benign {

// The benign corpus's only source of randomness. Deterministic for a seed on every platform:
// std::mt19937_64's sequence is fixed by the standard, and no distribution (whose algorithms
// are the library's choice) is used.
class Dice {
 public:
  explicit Dice(uint64_t seed) : random_(seed) {}

  // 0 <= result < n (n > 0).
  int Below(int n) { return static_cast<int>(random_() % static_cast<uint64_t>(n)); }
  // low <= result <= high.
  int Between(int low, int high) { return low + Below(high - low + 1); }
  bool Chance(int percent) { return Below(100) < percent; }
  uint64_t Bits() { return random_(); }

  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(static_cast<int>(N))];
  }

  // `length` characters drawn from `alphabet`.
  std::string Characters(int length, std::string_view alphabet) {
    std::string out;
    out.reserve(length);
    for (int i = 0; i < length; ++i) out += alphabet[Below(static_cast<int>(alphabet.size()))];
    return out;
  }
  std::string Hex(int length) { return Characters(length, "0123456789abcdef"); }
  std::string Digits(int length) { return Characters(length, "0123456789"); }
  std::string Alphanumeric(int length) {
    return Characters(length, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
  }
  std::string Bytes(int length) {
    std::string out(length, '\0');
    for (char& c : out) c = static_cast<char>(random_() & 0xff);
    return out;
  }

 private:
  std::mt19937_64 random_;
};

}  // namespace gatehouse::crs_conformance::benign

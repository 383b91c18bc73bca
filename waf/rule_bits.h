#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gatehouse::waf {

// A set of rule indices as bits: the prefilter's candidates, the rules a request visits. The
// evaluator steps from one member to the next a word at a time, past runs of rules the request
// cannot match.
class RuleBits {
 public:
  // Empty, for indices below `size`.
  void Reset(size_t size) {
    size_ = size;
    words_.assign((size + 63) / 64, 0);
  }
  void Set(size_t index) { words_[index >> 6] |= uint64_t{1} << (index & 63); }
  void Clear(size_t index) { words_[index >> 6] &= ~(uint64_t{1} << (index & 63)); }
  bool Contains(size_t index) const { return (words_[index >> 6] >> (index & 63) & 1) != 0; }
  size_t size() const { return size_; }
  std::vector<uint64_t>& words() { return words_; }
  const std::vector<uint64_t>& words() const { return words_; }

  // The first member at or after `index`; size() when there is none.
  size_t NextFrom(size_t index) const {
    if (index >= size_) return size_;
    size_t w = index >> 6;
    uint64_t bits = words_[w] & (~uint64_t{0} << (index & 63));
    while (bits == 0) {
      if (++w == words_.size()) return size_;
      bits = words_[w];
    }
    const size_t next = w * 64 + static_cast<size_t>(std::countr_zero(bits));
    return next < size_ ? next : size_;
  }

 private:
  size_t size_ = 0;
  std::vector<uint64_t> words_;
};

}  // namespace gatehouse::waf

#include "body/text_arena.h"

#include <algorithm>
#include <cstring>

namespace gatehouse::body {

char* TextArena::Allocate(std::size_t size) {
  // Fill the current block, then move on to the next kept block large enough, then grow.
  while (current_ < blocks_.size()) {
    Block& block = blocks_[current_];
    if (block.size - used_ >= size) {
      char* out = block.data.get() + used_;
      used_ += size;
      return out;
    }
    ++current_;
    used_ = 0;
  }
  Block block;
  block.size = std::max(block_size_, size);
  block.data = std::make_unique<char[]>(block.size);
  blocks_.push_back(std::move(block));
  current_ = blocks_.size() - 1;
  used_ = size;
  return blocks_.back().data.get();
}

std::string_view TextArena::Shrink(const char* start, std::size_t kept) {
  if (current_ < blocks_.size()) {
    const char* base = blocks_[current_].data.get();
    if (start >= base && start <= base + used_) {
      used_ = static_cast<std::size_t>(start - base) + kept;
    }
  }
  return std::string_view(start, kept);
}

std::string_view TextArena::Copy(std::string_view text) {
  if (text.empty()) return std::string_view();
  char* out = Allocate(text.size());
  std::memcpy(out, text.data(), text.size());
  return std::string_view(out, text.size());
}

void TextArena::Reset() {
  current_ = 0;
  used_ = 0;
}

std::size_t TextArena::capacity() const {
  std::size_t total = 0;
  for (const Block& block : blocks_) total += block.size;
  return total;
}

}  // namespace gatehouse::body

#ifndef GATEHOUSE_BODY_TEXT_ARENA_H_
#define GATEHOUSE_BODY_TEXT_ARENA_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace gatehouse::body {

// Storage for the decoded text a request's parsers produce (a %-decoded argument, a JSON string
// with its escapes resolved, an XML node's text). Views handed out stay valid until Reset().
// Reset keeps the blocks, so a worker that parses one request after another stops allocating once
// it has seen its largest request. Not thread-safe.
class TextArena {
 public:
  explicit TextArena(std::size_t block_size = 4096) : block_size_(block_size) {}
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;
  TextArena(TextArena&&) = default;
  TextArena& operator=(TextArena&&) = default;

  // `size` writable bytes, contiguous, valid until Reset().
  char* Allocate(std::size_t size);

  // Gives back the tail of the most recent allocation: a decoder reserves its input's length and
  // keeps only what it wrote. `start` must be that allocation.
  std::string_view Shrink(const char* start, std::size_t kept);

  std::string_view Copy(std::string_view text);

  // Everything handed out becomes invalid; the memory is kept for the next request.
  void Reset();

  // Bytes held (for tests and metrics).
  std::size_t capacity() const;

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
  };

  std::size_t block_size_;
  std::vector<Block> blocks_;
  std::size_t current_ = 0;  // index of the block being filled
  std::size_t used_ = 0;     // bytes used in blocks_[current_]
};

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_TEXT_ARENA_H_

#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace gatehouse::runtime::tls {

// One session ticket key: its name (sent in the ticket), an AES-256 key and an HMAC-SHA256 key.
struct TicketKey {
  std::array<uint8_t, 16> name{};
  std::array<uint8_t, 32> aes_key{};
  std::array<uint8_t, 32> hmac_key{};
};

// The session ticket keys of one proxy, shared by all its workers: random at start, and
// rotated when the current key has encrypted tickets for `rotation`. The last `keep` keys
// decrypt, so a ticket resumes for up to rotation × keep; a ticket of a key that is no longer
// the current one is renewed on resumption. A key never leaves the process: a restart makes
// every ticket a full handshake again. Thread-safe.
class TicketKeyRing {
 public:
  using Clock = std::chrono::steady_clock;

  TicketKeyRing(Clock::duration rotation, size_t keep,
                std::function<Clock::time_point()> now = Clock::now);
  TicketKeyRing(const TicketKeyRing&) = delete;
  TicketKeyRing& operator=(const TicketKeyRing&) = delete;

  // The key new tickets are encrypted with (rotated first when its time is up).
  TicketKey Current();
  // The kept key named `name`, and whether it is the current one; none once it rotated out.
  std::optional<TicketKey> Find(const uint8_t* name, bool* is_current);
  // Rotations since start.
  uint64_t rotations() const;

 private:
  // With mutex_ held.
  void RotateIfDue();

  const Clock::duration rotation_;
  const size_t keep_;
  const std::function<Clock::time_point()> now_;
  // A std::mutex, not absl::Mutex: Debian's abseil is not built for ThreadSanitizer, which
  // would not see this lock.
  mutable std::mutex mutex_;
  std::deque<TicketKey> keys_;  // the current first; guarded by mutex_, as the next two
  Clock::time_point current_since_;
  uint64_t rotations_ = 0;
};

}  // namespace gatehouse::runtime::tls

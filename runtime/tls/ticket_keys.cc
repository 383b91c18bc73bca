#include "runtime/tls/ticket_keys.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace gatehouse::runtime::tls {
namespace {

TicketKey RandomKey() {
  TicketKey key;
  // Without randomness no ticket may be issued safely; OpenSSL 3 seeds from the OS, so a
  // failure here means a broken system.
  if (RAND_bytes(key.name.data(), key.name.size()) != 1 ||
      RAND_bytes(key.aes_key.data(), key.aes_key.size()) != 1 ||
      RAND_bytes(key.hmac_key.data(), key.hmac_key.size()) != 1) {
    std::abort();
  }
  return key;
}

}  // namespace

TicketKeyRing::TicketKeyRing(Clock::duration rotation, size_t keep,
                             std::function<Clock::time_point()> now)
    : rotation_(rotation), keep_(std::max<size_t>(keep, 1)), now_(std::move(now)) {
  std::lock_guard lock(mutex_);
  keys_.push_front(RandomKey());
  current_since_ = now_();
}

void TicketKeyRing::RotateIfDue() {
  const Clock::time_point now = now_();
  if (now - current_since_ < rotation_) return;
  keys_.push_front(RandomKey());
  while (keys_.size() > keep_) keys_.pop_back();
  current_since_ = now;
  ++rotations_;
}

TicketKey TicketKeyRing::Current() {
  std::lock_guard lock(mutex_);
  RotateIfDue();
  return keys_.front();
}

std::optional<TicketKey> TicketKeyRing::Find(const uint8_t* name, bool* is_current) {
  std::lock_guard lock(mutex_);
  RotateIfDue();
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (std::memcmp(keys_[i].name.data(), name, keys_[i].name.size()) == 0) {
      *is_current = i == 0;
      return keys_[i];
    }
  }
  return std::nullopt;
}

uint64_t TicketKeyRing::rotations() const {
  std::lock_guard lock(mutex_);
  return rotations_;
}

}  // namespace gatehouse::runtime::tls

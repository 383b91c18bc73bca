#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::testing {

// A TCP relay from a loopback port picked at run time to a loopback target port, which holds
// every chunk it forwards for `delay`, each way: a distant peer, for what latency breaks. It
// counts the connections it accepts, so a test can tell one slow attempt from several cut off.
class SlowTcpRelay {
 public:
  static absl::StatusOr<std::unique_ptr<SlowTcpRelay>> Start(uint16_t target_port,
                                                             std::chrono::milliseconds delay);
  ~SlowTcpRelay();
  SlowTcpRelay(const SlowTcpRelay&) = delete;
  SlowTcpRelay& operator=(const SlowTcpRelay&) = delete;

  uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  SlowTcpRelay(int listen_fd, uint16_t port, uint16_t target_port, std::chrono::milliseconds delay);
  void AcceptLoop();
  // Copies `from` to `to`, each chunk after the delay, until either side ends.
  void Pump(int from, int to);

  const int listen_fd_;
  const uint16_t port_;
  const uint16_t target_port_;
  const std::chrono::milliseconds delay_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<int> fds_;            // every relayed socket, both sides (guarded by mutex_)
  std::vector<std::thread> pumps_;  // guarded by mutex_
  std::thread acceptor_;
};

}  // namespace gatehouse::testing

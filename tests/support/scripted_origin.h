#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse::testing {

// An origin inside the test process that answers with exact bytes, for behaviour the demo origin
// cannot show: chunked responses, hop-by-hop headers, protocol upgrades, connections that die.
// Each connection runs on its own thread; requests are read up to the end of the header block
// plus a Content-Length body (chunked request bodies are read to their last chunk).
class ScriptedOrigin {
 public:
  struct Request {
    std::string head;  // request line and headers, as received
    std::string body;
    int connection_index = 0;  // which accepted connection (0-based)
    int index_on_connection = 0;
  };
  struct Reply {
    std::string bytes;
    bool close_after = false;  // close the connection after writing
    bool echo_after = false;   // then echo every byte received until the peer closes
    // Then, this long after the reply, these bytes nobody asked for (an origin that misbehaves
    // while its connection sits idle in the proxy's pool).
    std::string stray_later;
    int stray_delay_ms = 0;
  };
  using Responder = std::function<Reply(const Request&)>;

  explicit ScriptedOrigin(Responder responder);
  ~ScriptedOrigin();

  uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  // Every request received so far.
  std::vector<Request> requests() const;

 private:
  void AcceptLoop();
  void Serve(int fd, int connection_index);

  Responder responder_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  mutable std::mutex mutex_;
  std::vector<std::thread> threads_;
  std::vector<int> fds_;
  std::vector<Request> requests_;
};

}  // namespace gatehouse::testing

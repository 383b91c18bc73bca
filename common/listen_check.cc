#include "common/listen_check.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gatehouse {

std::string BindProblem(const HostPort& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int error = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found);
      error != 0) {
    return std::string("cannot resolve ") + address.host + ": " + gai_strerror(error);
  }
  int bind_errno = 0;
  for (const addrinfo* at = found; at != nullptr && bind_errno == 0; at = at->ai_next) {
    const int fd = socket(at->ai_family, at->ai_socktype, at->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, at->ai_addr, at->ai_addrlen) != 0) bind_errno = errno;
    close(fd);
  }
  freeaddrinfo(found);
  if (bind_errno == EADDRINUSE) return "address already in use (another process holds the port)";
  if (bind_errno != 0) return std::strerror(bind_errno);
  return "the server failed to start (see the lines above)";
}

}  // namespace gatehouse

#pragma once

#include <vector>

namespace gatehouse::runtime {

// systemd socket activation: when LISTEN_PID is this process and LISTEN_FDS=N, the listening
// sockets are descriptors 3 .. 3+N-1. Returns them (close-on-exec set) and clears the variables
// so children do not inherit the claim; empty when the process was not socket-activated.
std::vector<int> TakeSocketActivationFds();

}  // namespace gatehouse::runtime

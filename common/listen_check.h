#pragma once

#include <string>

#include "common/host_port.h"

namespace gatehouse {

// Why a server could not listen on `address`, found by trying to bind it the way servers do
// (SO_REUSEADDR, no SO_REUSEPORT): "address already in use (another process holds the port)"
// when another process holds the port, else the system's reason. For error messages only.
std::string BindProblem(const HostPort& address);

}  // namespace gatehouse

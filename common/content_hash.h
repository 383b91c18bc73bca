#pragma once

#include <string>
#include <string_view>

namespace gatehouse {

// Lower-case hex SHA-256 of `data`: the content hash of configs and snapshots.
std::string Sha256Hex(std::string_view data);

}  // namespace gatehouse

#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse {

// Lower-case hex SHA-256 of `data`: the content hash of configs and snapshots.
std::string Sha256Hex(std::string_view data);

// A snapshot's content hash: SHA-256 over every zone's name and config hash, in name order.
// `zones` holds (name, config hash) pairs sorted by name. The one definition the control plane,
// gatectl and the proxy share.
std::string ContentHashOfZones(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones);

// A snapshot's content hash with its managed rulesets: `managed` holds (id, digest) pairs sorted
// by id. Without managed rulesets it is ContentHashOfZones; with them, SHA-256 over that and
// each pair, so a snapshot whose ruleset changed is not taken for the one before.
std::string ContentHashOfSnapshot(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones,
    const std::vector<std::pair<std::string_view, std::string_view>>& managed);

}  // namespace gatehouse

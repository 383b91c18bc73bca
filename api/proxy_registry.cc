#include "api/proxy_registry.h"

#include <chrono>

namespace gatehouse::api {

void ProxyRegistry::StreamOpened(const std::string& node_id) {
  std::lock_guard lock(mutex_);
  ++nodes_[node_id].streams;
}

void ProxyRegistry::StreamClosed(const std::string& node_id) {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(node_id);
  if (it != nodes_.end() && it->second.streams > 0) --it->second.streams;
}

void ProxyRegistry::Report(const v1::ApplyReport& report) {
  std::lock_guard lock(mutex_);
  Node& node = nodes_[report.node_id()];
  node.last_report_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  if (report.applied() && report.version() > node.snapshot_version) {
    node.snapshot_version = report.version();
  }
  for (const v1::ZoneApplyResult& result : report.zones()) {
    if (result.applied() && result.removed()) {
      node.zones.erase(result.zone());
      continue;
    }
    v1::ZoneApplyState& state = node.zones[result.zone()];
    state.set_zone(result.zone());
    if (result.applied()) {
      state.set_live_version(result.version());
      state.set_rejected_version(0);
      state.clear_error();
    } else {
      state.set_rejected_version(result.version());
      state.set_error(result.error());
    }
  }
}

std::map<std::string, uint64_t> ProxyRegistry::Rejected(const std::string& node_id) const {
  std::lock_guard lock(mutex_);
  std::map<std::string, uint64_t> out;
  const auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return out;
  for (const auto& [zone, state] : it->second.zones) {
    if (state.rejected_version() != 0) out[zone] = state.rejected_version();
  }
  return out;
}

std::vector<v1::ProxyStatus> ProxyRegistry::List(const ZoneFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<v1::ProxyStatus> out;
  for (const auto& [id, node] : nodes_) {
    v1::ProxyStatus& status = out.emplace_back();
    status.set_node_id(id);
    status.set_connected(node.streams > 0);
    status.set_snapshot_version(node.snapshot_version);
    status.set_last_report_unix_ms(node.last_report_unix_ms);
    for (const auto& [zone, state] : node.zones) {
      if (filter == nullptr || filter(zone)) *status.add_zones() = state;
    }
  }
  return out;
}

}  // namespace gatehouse::api

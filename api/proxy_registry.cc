#include "api/proxy_registry.h"

#include <algorithm>
#include <chrono>

#include "common/log_text.h"

namespace gatehouse::api {

void ProxyRegistry::StreamOpened(const ProxyKey& key, const std::set<std::string>& fleet_zones) {
  std::lock_guard lock(mutex_);
  Node& node = nodes_[key];
  ++node.streams;
  node.fleet_zones = fleet_zones;
}

void ProxyRegistry::StreamClosed(const ProxyKey& key) {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(key);
  if (it != nodes_.end() && it->second.streams > 0) --it->second.streams;
}

bool ProxyRegistry::Known(const ProxyKey& key) const {
  std::lock_guard lock(mutex_);
  return nodes_.count(key) != 0;
}

void ProxyRegistry::Report(const ProxyKey& key, const v1::ApplyReport& report) {
  std::lock_guard lock(mutex_);
  Node& node = nodes_[key];
  node.last_report_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  if (report.applied()) {
    node.snapshot_version = std::max(node.snapshot_version, report.version());
    node.refused_updates = 0;
    node.last_refusal.clear();
  } else if (!report.error().empty()) {
    // The whole update was refused (not one zone): a proxy stuck on it says so in watch.
    ++node.refused_updates;
    node.last_refusal = Bounded(report.error(), kMaxErrorBytes);
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
      state.set_error(Bounded(result.error(), kMaxErrorBytes));
    }
  }
}

std::map<std::string, uint64_t> ProxyRegistry::Rejected(const ProxyKey& key) const {
  std::lock_guard lock(mutex_);
  std::map<std::string, uint64_t> out;
  const auto it = nodes_.find(key);
  if (it == nodes_.end()) return out;
  for (const auto& [zone, state] : it->second.zones) {
    if (state.rejected_version() != 0) out[zone] = state.rejected_version();
  }
  return out;
}

std::vector<v1::ProxyStatus> ProxyRegistry::List(const ZoneFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<v1::ProxyStatus> out;
  for (const auto& [key, node] : nodes_) {
    // A fleet scoped to other tenants' zones is not this caller's business, nor its names.
    if (filter != nullptr && !node.fleet_zones.empty() &&
        std::none_of(node.fleet_zones.begin(), node.fleet_zones.end(), filter)) {
      continue;
    }
    v1::ProxyStatus& status = out.emplace_back();
    status.set_node_id(key.node_id);
    status.set_fleet(key.fleet);
    status.set_connected(node.streams > 0);
    status.set_snapshot_version(node.snapshot_version);
    status.set_last_report_unix_ms(node.last_report_unix_ms);
    status.set_refused_updates(node.refused_updates);
    status.set_last_refusal(node.last_refusal);
    for (const auto& [zone, state] : node.zones) {
      if (filter == nullptr || filter(zone)) *status.add_zones() = state;
    }
  }
  return out;
}

}  // namespace gatehouse::api

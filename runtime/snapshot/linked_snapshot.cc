#include "runtime/snapshot/linked_snapshot.h"

#include <atomic>

#include "compiler/zone_compiler.h"

namespace gatehouse::runtime {
namespace {

std::atomic<int64_t> g_live_snapshots{0};

}  // namespace

LinkedSnapshot::LinkedSnapshot() { g_live_snapshots.fetch_add(1, std::memory_order_relaxed); }

LinkedSnapshot::~LinkedSnapshot() { g_live_snapshots.fetch_sub(1, std::memory_order_relaxed); }

int64_t LinkedSnapshot::LiveCount() { return g_live_snapshots.load(std::memory_order_relaxed); }

absl::StatusOr<std::shared_ptr<const LinkedSnapshot>> LinkedSnapshot::Link(
    const snapshot::v1::Snapshot& snapshot, const LinkedSnapshot* previous) {
  if (snapshot.format() != snapshot::v1::FORMAT_VERSION_1) {
    return absl::InvalidArgumentError("snapshot format " + std::to_string(snapshot.format()) +
                                      " is not one this proxy reads");
  }
  std::shared_ptr<LinkedSnapshot> linked(new LinkedSnapshot());
  linked->version_ = snapshot.version();
  linked->content_hash_ = snapshot.content_hash();
  for (const auto& zone : snapshot.zones()) {
    LinkedZone entry;
    entry.version = zone.version();
    if (previous != nullptr) {
      const auto it = previous->zones_.find(zone.zone());
      if (it != previous->zones_.end() && it->second.plan->config_hash == zone.config_hash()) {
        entry.plan = it->second.plan;
      }
    }
    if (entry.plan == nullptr) {
      compiler::ZoneCompileResult compiled = compiler::CompileZone(zone.config());
      if (!compiled.ok()) {
        return absl::InvalidArgumentError("zone " + zone.zone() + " does not compile: " +
                                          compiled.RenderedDiagnostics());
      }
      entry.plan = std::move(compiled.plan);
    }
    linked->zones_.emplace(zone.zone(), std::move(entry));
  }
  for (const auto& [name, zone] : linked->zones_) {
    for (const std::string& host : zone.plan->hostnames) {
      if (host.size() > 2 && host.compare(0, 2, "*.") == 0) {
        linked->wildcard_suffixes_.emplace(host.substr(2), &zone);
      } else {
        linked->exact_hosts_.emplace(host, &zone);
      }
    }
  }
  return std::shared_ptr<const LinkedSnapshot>(std::move(linked));
}

const LinkedZone* LinkedSnapshot::FindZone(std::string_view host) const {
  if (const auto it = exact_hosts_.find(std::string(host)); it != exact_hosts_.end()) {
    return it->second;
  }
  // Longest suffix first: drop one label at a time.
  for (size_t dot = host.find('.'); dot != std::string_view::npos; dot = host.find('.', dot + 1)) {
    const auto it = wildcard_suffixes_.find(std::string(host.substr(dot + 1)));
    if (it != wildcard_suffixes_.end()) return it->second;
  }
  return nullptr;
}

}  // namespace gatehouse::runtime

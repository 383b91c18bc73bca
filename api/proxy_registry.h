#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "api/snapshot_delta.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// A proxy as the control plane knows it: the token that opened its Watch stream (its fleet) and
// the name it gave. Rows of different fleets never touch, whatever names they use.
struct ProxyKey {
  std::string fleet;  // token id ("admin" for the admin token)
  std::string node_id;
  auto operator<=>(const ProxyKey&) const = default;
};

// What the control plane knows of each proxy: whether it is connected, and per zone the version
// it serves (reported applied, i.e. swapped in) and the newest it rejected. Thread-safe.
class ProxyRegistry {
 public:
  // Longest error text kept per report; the rest is cut (a proxy's reason is a line or two).
  static constexpr size_t kMaxErrorBytes = 1024;

  // `fleet_zones`: the zones the fleet's token covers (empty: every zone).
  void StreamOpened(const ProxyKey& key, const std::set<std::string>& fleet_zones);
  void StreamClosed(const ProxyKey& key);
  // Whether a Watch stream of `key` was ever opened: only then may it report.
  bool Known(const ProxyKey& key) const;
  void Report(const ProxyKey& key, const v1::ApplyReport& report);

  // Zone → version this proxy rejected and was not replaced by a newer live version since.
  std::map<std::string, uint64_t> Rejected(const ProxyKey& key) const;
  // The proxies `filter` may see, with only the zones it allows: a proxy whose fleet covers none
  // of the allowed zones is left out (its name too). Null: everything.
  std::vector<v1::ProxyStatus> List(const ZoneFilter& filter) const;

 private:
  struct Node {
    int streams = 0;
    std::set<std::string> fleet_zones;
    uint64_t snapshot_version = 0;
    int64_t last_report_unix_ms = 0;
    uint32_t refused_updates = 0;
    std::string last_refusal;
    std::map<std::string, v1::ZoneApplyState> zones;
  };

  mutable std::mutex mutex_;
  std::map<ProxyKey, Node> nodes_;
};

}  // namespace gatehouse::api

#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api/snapshot_delta.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// What the control plane knows of each proxy: whether it is connected, and per zone the version
// it serves (reported applied, i.e. swapped in) and the newest it rejected. Thread-safe.
class ProxyRegistry {
 public:
  void StreamOpened(const std::string& node_id);
  void StreamClosed(const std::string& node_id);
  void Report(const v1::ApplyReport& report);

  // Zone → version this proxy rejected and was not replaced by a newer live version since.
  std::map<std::string, uint64_t> Rejected(const std::string& node_id) const;
  // Every proxy, with only the zones `filter` allows.
  std::vector<v1::ProxyStatus> List(const ZoneFilter& filter) const;

 private:
  struct Node {
    int streams = 0;
    uint64_t snapshot_version = 0;
    int64_t last_report_unix_ms = 0;
    std::map<std::string, v1::ZoneApplyState> zones;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Node> nodes_;
};

}  // namespace gatehouse::api

#include "api/config_store.h"

#include <cstdio>
#include <random>

namespace gatehouse::api {

std::string NewLineageId() {
  std::random_device random;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof(part), "%08x", static_cast<unsigned>(random()));
    out += part;
  }
  return out;
}

absl::StatusOr<StoreState> ConfigStore::LatestState() const {
  StoreState state;
  state.zones = LatestOfAllZones();
  state.last_sequence = LastSequence();
  for (const ZoneRecord& record : state.zones) {
    auto certificates = Certificates(record.zone);
    if (!certificates.empty()) state.certificates[record.zone] = std::move(certificates);
  }
  state.lists = LatestOfAllLists();
  return state;
}

std::string CertificateKeyBinding(const std::string& zone, const std::string& fingerprint) {
  std::string out = "gatehouse certificate key";
  out += '\0';
  out += zone;
  out += '\0';
  out += fingerprint;
  return out;
}

}  // namespace gatehouse::api

#include "geoip/geo_databases.h"

namespace gatehouse::geoip {

absl::StatusOr<std::unique_ptr<const GeoDatabases>> GeoDatabases::Open(
    const GeoDatabasePaths& paths) {
  absl::StatusOr<std::unique_ptr<const MaxMindDatabase>> geoip = MaxMindDatabase::Open(paths.geoip);
  if (!geoip.ok()) return geoip.status();
  std::unique_ptr<const MaxMindDatabase> asn;
  if (!paths.asn.empty()) {
    absl::StatusOr<std::unique_ptr<const MaxMindDatabase>> opened =
        MaxMindDatabase::Open(paths.asn);
    if (!opened.ok()) return opened.status();
    asn = *std::move(opened);
  }
  return std::unique_ptr<const GeoDatabases>(new GeoDatabases(*std::move(geoip), std::move(asn)));
}

void GeoDatabases::Locate(const rules::IpAddress& ip, rules::GeoLocation& out) const {
  out.Clear();
  geoip_->Fill(ip, out);
  if (asn_ != nullptr) asn_->Fill(ip, out);
}

}  // namespace gatehouse::geoip

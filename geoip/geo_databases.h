#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "geoip/maxmind_database.h"
#include "rules/geo_location.h"

namespace gatehouse::geoip {

// The files --geoip-db and --asn-db name.
struct GeoDatabasePaths {
  std::string geoip;  // a City or Country database
  std::string asn;    // optional: an ASN database (ip.src.asnum)
};

// The geolocation databases, opened together: a GeoLocator that reads the location from one and
// the autonomous system from the other (or from the first, if it carries ASNs too).
class GeoDatabases : public rules::GeoLocator {
 public:
  static absl::StatusOr<std::unique_ptr<const GeoDatabases>> Open(const GeoDatabasePaths& paths);

  void Locate(const rules::IpAddress& ip, rules::GeoLocation& out) const override;

 private:
  GeoDatabases(std::unique_ptr<const MaxMindDatabase> geoip,
               std::unique_ptr<const MaxMindDatabase> asn)
      : geoip_(std::move(geoip)), asn_(std::move(asn)) {}

  std::unique_ptr<const MaxMindDatabase> geoip_;
  std::unique_ptr<const MaxMindDatabase> asn_;  // may be null
};

}  // namespace gatehouse::geoip

#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rules/geo_location.h"
#include "rules/request_data.h"

struct MMDB_s;

namespace gatehouse::geoip {

// One MaxMind DB file (GeoIP2/GeoLite2 City or Country, ASN, or any database of their layout),
// opened with libmaxminddb and memory-mapped. Read-only once open: lookups from several threads
// at once are safe.
class MaxMindDatabase {
 public:
  static absl::StatusOr<std::unique_ptr<const MaxMindDatabase>> Open(const std::string& path);
  ~MaxMindDatabase();
  MaxMindDatabase(const MaxMindDatabase&) = delete;
  MaxMindDatabase& operator=(const MaxMindDatabase&) = delete;

  // Sets in `out` what this database knows of `ip` (members it has no data for are left as they
  // are): country, continent, EU membership, city, postal code, subdivisions, location, time
  // zone, metro code and autonomous system number, in Cloudflare's forms (rules/geo_location.h).
  void Fill(const rules::IpAddress& ip, rules::GeoLocation& out) const;

  const std::string& path() const { return path_; }

 private:
  MaxMindDatabase(std::string path, std::unique_ptr<MMDB_s> mmdb);

  std::string path_;
  std::unique_ptr<MMDB_s> mmdb_;
};

}  // namespace gatehouse::geoip

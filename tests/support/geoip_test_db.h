#pragma once

#include <string>

#include "absl/status/status.h"

namespace gatehouse::testing {

// Writes a MaxMind DB file at `path` (renamed into place) holding `records_json`:
//   [{"network": "81.2.69.0/24", "data": {"country": {"iso_code": "GB"}, ...}}, ...]
// with MaxMind's City/ASN layout and key types (tests/support/write_mmdb.pl). `database_type`:
// e.g. "GeoIP2-City" or "GeoLite2-ASN". Needs Debian's libmaxmind-db-writer-perl.
absl::Status WriteGeoIpDatabase(const std::string& path, const std::string& database_type,
                                const std::string& records_json);

}  // namespace gatehouse::testing

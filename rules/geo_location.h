#pragma once

#include <cstdint>
#include <string>

namespace gatehouse::rules {

struct IpAddress;

// Where an address is, as the ip.src.* geolocation fields give it (Cloudflare's spellings and
// forms). Every member is empty (or 0, false) where the databases do not say.
struct GeoLocation {
  std::string country;    // ISO 3166-1 alpha-2: "GB"
  std::string continent;  // "EU", "NA", ...
  bool is_in_european_union = false;
  std::string city;  // English name: "London"
  std::string postal_code;
  std::string region;                  // the first subdivision's English name: "England"
  std::string region_code;             // its ISO 3166-2 code without the country: "ENG"
  std::string subdivision_1_iso_code;  // with the country: "GB-ENG"
  std::string subdivision_2_iso_code;  // "GB-WSM"
  std::string lat;                     // decimal text: "51.5142"
  std::string lon;
  std::string timezone_name;  // "Europe/London"
  std::string metro_code;     // the US DMA code as text: "501"
  int64_t asnum = 0;          // the autonomous system number

  void Clear() { *this = GeoLocation(); }
};

// Looks up addresses for the geolocation fields. The runtime's is backed by MaxMind DB files
// (//geoip); a request without one reads every geolocation field empty. Implementations are
// shared by every worker: Locate must be safe to call from several threads at once.
class GeoLocator {
 public:
  virtual ~GeoLocator() = default;
  // Fills `out` (cleared first) with what is known of `ip`.
  virtual void Locate(const IpAddress& ip, GeoLocation& out) const = 0;
};

}  // namespace gatehouse::rules

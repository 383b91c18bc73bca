#pragma once

#include <utility>

#include "rules/geo_location.h"

namespace gatehouse::rules::testing {

// A GeoLocator that places every address at one location: the conformance corpus's and the
// differential test's requests (the MaxMind-backed locator has its own tests in //geoip).
class FixedGeoLocator : public GeoLocator {
 public:
  explicit FixedGeoLocator(GeoLocation location) : location_(std::move(location)) {}
  void Locate(const IpAddress&, GeoLocation& out) const override { out = location_; }
  const GeoLocation& location() const { return location_; }

 private:
  GeoLocation location_;
};

}  // namespace gatehouse::rules::testing

#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "rules/named_list.h"
#include "rules/test_request.h"
#include "tests/rules/fixed_geo_locator.h"

namespace gatehouse::rules::testing {

// One conformance case: an expression, the request it runs against, and what it must give.
struct ConformanceCase {
  enum class Expect { kTrue, kFalse, kValue, kError };
  int line = 0;
  std::string request_name;
  std::string phase;
  Expect expect = Expect::kTrue;
  std::string value;  // for kValue
  std::string expression;
};

struct ConformanceRequest {
  std::string name;
  std::string phase = "http_request_firewall_custom";
  TestRequest request;
  // Where the request's client is (`geo` lines); request.geo points at it. Shared by copies.
  std::shared_ptr<const FixedGeoLocator> geo;
};

struct ConformanceCorpus {
  std::vector<NamedListDefinition> lists;
  std::vector<ConformanceRequest> requests;
  std::vector<ConformanceCase> cases;

  const ConformanceRequest* FindRequest(std::string_view name) const;
};

// Parses the corpus format (see conformance.txt for its description).
absl::StatusOr<ConformanceCorpus> ParseConformanceCorpus(std::string_view text);

// tests/rules/conformance.txt (a test's data), parsed once; a parse error fails the test and
// leaves the corpus empty.
const ConformanceCorpus& TheConformanceCorpus();

// Fills a TestRequest from a URL: scheme, host (without port) and request-target.
void SetUrl(std::string_view url, TestRequest& request);

}  // namespace gatehouse::rules::testing

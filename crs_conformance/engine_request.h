#pragma once

#include "ftw/request_builder.h"
#include "rules/request_data.h"

namespace gatehouse::crs_conformance {

// A complete request (ftw::Request) as the managed WAF's engine reads it, from 127.0.0.1, the
// whole body inspected. Its views point into the request, which must outlive it.
class EngineRequest {
 public:
  explicit EngineRequest(const ftw::Request& request);
  EngineRequest(const EngineRequest&) = delete;
  EngineRequest& operator=(const EngineRequest&) = delete;

  const rules::RequestData& data() const { return data_; }

 private:
  rules::HeaderList headers_;
  rules::RequestData data_;
};

}  // namespace gatehouse::crs_conformance

#include "crs_conformance/engine_request.h"

namespace gatehouse::crs_conformance {

EngineRequest::EngineRequest(const ftw::Request& request) {
  for (const auto& [name, value] : request.headers) headers_.emplace_back(name, value);
  data_.method = request.method;
  data_.raw_target = request.uri;
  data_.http_version = request.version;
  data_.headers = &headers_;
  data_.body = request.body;
  data_.body_size = request.body.size();
  data_.client_ip.is_v4 = true;
  data_.client_ip.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
}

}  // namespace gatehouse::crs_conformance

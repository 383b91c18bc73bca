#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/ip_address.h"
#include "rules/request_data.h"

namespace gatehouse::rules {

// Owns the storage a RequestData points into (tests, gatectl eval). Set the members, then call
// data().
struct TestRequest {
  std::string method = "GET";
  std::string scheme = "http";
  std::string host = "example.com";
  std::string target = "/";
  std::string version = "HTTP/1.1";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string client_ip = "192.0.2.1";
  std::string server_ip = "198.51.100.1";
  int64_t timestamp = 1700000000;
  int timestamp_msec = 0;
  std::string ray_id = "8f0a1b2c3d4e5f60";
  std::string random_seed = std::string(16, '\x5a');
  bool headers_truncated = false;
  const GeoLocator* geo = nullptr;  // where ip.src.* look the client up; null: nowhere
  std::string body;
  int64_t body_size = -1;  // -1: body.size()
  bool has_response = false;
  int response_code = 0;
  std::vector<std::pair<std::string, std::string>> response_headers;

  // The view; valid until this object changes or dies.
  const RequestData& data() {
    header_views_.clear();
    for (const auto& [n, v] : headers) header_views_.emplace_back(n, v);
    response_header_views_.clear();
    for (const auto& [n, v] : response_headers) response_header_views_.emplace_back(n, v);
    data_ = RequestData();
    data_.method = method;
    data_.scheme = scheme;
    data_.host = host;
    data_.raw_target = target;
    data_.http_version = version;
    data_.headers = &header_views_;
    if (auto ip = ParseIpAddress(client_ip)) data_.client_ip = *ip;
    if (auto ip = ParseIpAddress(server_ip)) data_.server_ip = *ip;
    data_.timestamp_sec = timestamp;
    data_.timestamp_msec = timestamp_msec;
    data_.ray_id = ray_id;
    data_.random_seed = random_seed;
    data_.headers_truncated = headers_truncated;
    data_.geo = geo;
    data_.body = body;
    data_.body_size = body_size < 0 ? body.size() : static_cast<uint64_t>(body_size);
    data_.has_response = has_response;
    data_.response_code = response_code;
    data_.response_headers = &response_header_views_;
    return data_;
  }

 private:
  HeaderList header_views_;
  HeaderList response_header_views_;
  RequestData data_;
};

}  // namespace gatehouse::rules

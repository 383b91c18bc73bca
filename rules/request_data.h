#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/geo_location.h"

namespace gatehouse::rules {

// One header as received: the name keeps its case; lookups by name are case-insensitive.
using HeaderField = std::pair<std::string_view, std::string_view>;
using HeaderList = std::vector<HeaderField>;

// An IPv4 or IPv6 address. IPv4 is kept as an IPv4-mapped IPv6 address (::ffff:a.b.c.d) so one
// comparison serves both families.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4 = false;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// What the runtime knows of a request (and, in response phases, of its response). Every view
// points into storage the runtime owns for at least as long as the evaluation that reads it.
// Fields the rules language derives from these (normalised path, query arguments, cookies, …) are
// computed lazily, at most once per Evaluation.
struct RequestData {
  std::string_view method = "GET";
  std::string_view scheme = "http";   // "http" or "https"; `ssl` is scheme == "https"
  std::string_view host;              // the Host header without its port, as received
  std::string_view raw_target;        // the request-target as received: path, then ?query
  std::string_view http_version = "HTTP/1.1";
  const HeaderList* headers = nullptr;  // request headers in order; null means none
  IpAddress client_ip;
  // The edge's own address the connection came to (cf.edge.server_ip).
  IpAddress server_ip;
  int64_t timestamp_sec = 0;
  int timestamp_msec = 0;        // the millisecond within timestamp_sec, 0-999
  std::string_view ray_id;       // cf.ray_id
  std::string_view random_seed;  // cf.random_seed: bytes drawn for this request
  // The header block was cut (http.request.headers.truncated). The proxy refuses an oversized
  // header block (431) rather than cutting it, so it never sets this.
  bool headers_truncated = false;
  // Where ip.src.* and ip.geoip.* look the client up, once per request and only when a rule
  // reads one of them; null: no database, and those fields are empty.
  const GeoLocator* geo = nullptr;
  // The connection's TLS session (empty on plain HTTP): cf.tls_version, cf.tls_cipher and
  // cf.tls_client_hello_server_name; and the port it came to, cf.edge.server_port.
  std::string_view tls_version;
  std::string_view tls_cipher;
  std::string_view tls_server_name;
  int64_t server_port = 0;
  std::string_view body;              // the inspected prefix of the body (bounded)
  uint64_t body_size = 0;             // the whole body's size, as declared or read
  // Response phases only.
  bool has_response = false;
  int response_code = 0;
  const HeaderList* response_headers = nullptr;
};

}  // namespace gatehouse::rules

#pragma once

#include <cstdint>
#include <string_view>

#include "boost/asio/ip/address.hpp"
#include "rules/ip_address.h"
#include "rules/request_data.h"

namespace gatehouse::runtime {

// An address with its text formatted once, held inline: a request's or a connection's client
// costs no allocation. IPv4-mapped IPv6 addresses are kept as IPv4 (a dual-stack socket's
// peers, a PROXY header's TCP6 addresses), so `ip.src` and the logs read one form.
class ClientAddress {
 public:
  ClientAddress() = default;  // "::", with empty text: no client yet
  explicit ClientAddress(const rules::IpAddress& ip);
  static ClientAddress Of(const boost::asio::ip::address& address);

  const rules::IpAddress& ip() const { return ip_; }
  std::string_view text() const { return std::string_view(text_, size_); }

 private:
  rules::IpAddress ip_;
  char text_[rules::kMaxIpAddressText] = {};
  uint8_t size_ = 0;
};

}  // namespace gatehouse::runtime

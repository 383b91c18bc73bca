#include "runtime/client_address/client_address.h"

#include <span>

namespace gatehouse::runtime {

ClientAddress::ClientAddress(const rules::IpAddress& ip) : ip_(rules::Unmapped(ip)) {
  size_ = static_cast<uint8_t>(rules::FormatIpAddress(ip_, text_).size());
}

ClientAddress ClientAddress::Of(const boost::asio::ip::address& address) {
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    return ClientAddress(rules::IpAddressFromBytes(std::span<const uint8_t, 4>(bytes)));
  }
  const auto bytes = address.to_v6().to_bytes();
  return ClientAddress(rules::IpAddressFromBytes(std::span<const uint8_t, 16>(bytes)));
}

}  // namespace gatehouse::runtime

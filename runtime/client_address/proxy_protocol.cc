#include "runtime/client_address/proxy_protocol.h"

#include <span>
#include <string>

#include "absl/status/status.h"
#include "rules/ip_address.h"

namespace gatehouse::runtime {
namespace {

constexpr std::string_view kV1Signature = "PROXY ";
constexpr char kV2SignatureBytes[] = {'\r', '\n', '\r', '\n', '\0', '\r',
                                      '\n', 'Q',  'U',  'I',  'T',  '\n'};
constexpr std::string_view kV2Signature(kV2SignatureBytes, sizeof(kV2SignatureBytes));
// Signature, version and command, family and transport, length.
constexpr size_t kV2FixedBytes = 16;

// v2's protocol byte: the address family (high nibble) and transport (low nibble).
constexpr uint8_t kUnspec = 0x00;
constexpr uint8_t kTcp4 = 0x11;
constexpr uint8_t kUdp4 = 0x12;
constexpr uint8_t kTcp6 = 0x21;
constexpr uint8_t kUdp6 = 0x22;
constexpr uint8_t kUnixStream = 0x31;
constexpr uint8_t kUnixDatagram = 0x32;

absl::Status Malformed(std::string_view why) {
  return absl::InvalidArgumentError("PROXY protocol: " + std::string(why));
}

uint8_t Byte(std::string_view bytes, size_t i) { return static_cast<uint8_t>(bytes[i]); }

uint16_t BigEndian16(std::string_view bytes, size_t i) {
  return static_cast<uint16_t>(Byte(bytes, i) << 8 | Byte(bytes, i + 1));
}

// A decimal number as v1 writes them: digits only, no heading zero (octal could be read into
// one), at most `max`.
std::optional<uint32_t> ParseDecimal(std::string_view text, uint32_t max) {
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

// v1's IPv4 form: exactly four decimal numbers 0-255, one dot between each, no heading zeroes.
std::optional<rules::IpAddress> ParseV1Ipv4(std::string_view text) {
  std::string_view rest = text;
  for (int i = 0; i < 4; ++i) {
    const size_t dot = i < 3 ? rest.find('.') : rest.size();
    if (dot == std::string_view::npos || !ParseDecimal(rest.substr(0, dot), 255)) {
      return std::nullopt;
    }
    rest = i < 3 ? rest.substr(dot + 1) : std::string_view();
  }
  return rules::ParseIpAddress(text);
}

// v1's IPv6 form: hexadecimal groups with at most one "::" (inet_pton's grammar).
std::optional<rules::IpAddress> ParseV1Ipv6(std::string_view text) {
  if (text.find(':') == std::string_view::npos) return std::nullopt;
  return rules::ParseIpAddress(text);
}

absl::StatusOr<std::optional<ProxyHeader>> ParseV1(std::string_view received) {
  // The line ends at the first LF, which must come within 107 bytes and follow a CR.
  const std::string_view window = received.substr(0, kMaxProxyV1Bytes);
  const size_t lf = window.find('\n');
  if (lf == std::string_view::npos) {
    if (window.size() == kMaxProxyV1Bytes) {
      return Malformed("v1 line without CRLF in its first 107 bytes");
    }
    return std::nullopt;
  }
  if (window[lf - 1] != '\r') return Malformed("v1 line ended by a bare LF");
  // lf > kV1Signature.size(): the signature holds no LF, and its last byte is no CR.
  const std::string_view line =
      window.substr(kV1Signature.size(), lf - 1 - kV1Signature.size());
  ProxyHeader header;
  header.version = 1;
  header.size = lf + 1;

  const size_t space = line.find(' ');
  const std::string_view protocol = line.substr(0, space);
  // The sender could not name the connection: the rest of the line is to be ignored.
  if (protocol == "UNKNOWN") return header;
  if (protocol != "TCP4" && protocol != "TCP6") {
    return Malformed("v1 protocol is not TCP4, TCP6 or UNKNOWN");
  }
  const bool v6 = protocol == "TCP6";
  if (space == std::string_view::npos) return Malformed("v1 line without addresses");
  // Exactly: source, destination, source port, destination port, one space apart.
  std::string_view fields[4];
  std::string_view rest = line.substr(space + 1);
  for (int i = 0; i < 3; ++i) {
    const size_t next = rest.find(' ');
    if (next == std::string_view::npos) return Malformed("v1 line with too few fields");
    fields[i] = rest.substr(0, next);
    rest = rest.substr(next + 1);
  }
  if (rest.find(' ') != std::string_view::npos) {
    return Malformed("v1 line with too many fields");
  }
  fields[3] = rest;

  const auto source = v6 ? ParseV1Ipv6(fields[0]) : ParseV1Ipv4(fields[0]);
  const auto destination = v6 ? ParseV1Ipv6(fields[1]) : ParseV1Ipv4(fields[1]);
  if (!source.has_value() || !destination.has_value()) {
    return Malformed(v6 ? "v1 TCP6 address that is not an IPv6 address"
                        : "v1 TCP4 address that is not an IPv4 address");
  }
  const auto source_port = ParseDecimal(fields[2], 65535);
  const auto destination_port = ParseDecimal(fields[3], 65535);
  if (!source_port.has_value() || !destination_port.has_value()) {
    return Malformed("v1 port that is not a decimal number 0-65535 without heading zeroes");
  }
  header.endpoints = ProxyHeader::Endpoints{*source, *destination,
                                            static_cast<uint16_t>(*source_port),
                                            static_cast<uint16_t>(*destination_port)};
  return header;
}

// How many address bytes a v2 protocol byte announces; nullopt for a combination the
// specification does not define (which must be refused).
std::optional<size_t> V2AddressBytes(uint8_t protocol) {
  switch (protocol) {
    case kUnspec:
      return 0;
    case kTcp4:
    case kUdp4:
      return 12;  // two IPv4 addresses, two ports
    case kTcp6:
    case kUdp6:
      return 36;  // two IPv6 addresses, two ports
    case kUnixStream:
    case kUnixDatagram:
      return 216;  // two 108-byte paths
    default:
      return std::nullopt;
  }
}

absl::StatusOr<std::optional<ProxyHeader>> ParseV2(std::string_view received) {
  // What the first bytes say is checked as soon as they arrive: a sender that is not speaking
  // v2 is turned away without waiting for the rest.
  if (received.size() > 12) {
    const uint8_t version_command = Byte(received, 12);
    if ((version_command >> 4) != 2) return Malformed("v2 header of another version");
    if ((version_command & 0x0f) > 1) return Malformed("v2 command is neither LOCAL nor PROXY");
  }
  const bool local = received.size() > 12 && (Byte(received, 12) & 0x0f) == 0;
  // LOCAL's family is ignored (the specification says so); PROXY's must be a known one.
  if (received.size() > 13 && !local && !V2AddressBytes(Byte(received, 13)).has_value()) {
    return Malformed("v2 address family or transport is not a defined one");
  }
  if (received.size() < kV2FixedBytes) return std::nullopt;
  const size_t length = BigEndian16(received, 14);
  if (kV2FixedBytes + length > kMaxProxyV2Bytes) {
    return Malformed("v2 header longer than 4096 bytes");
  }
  if (received.size() < kV2FixedBytes + length) return std::nullopt;

  ProxyHeader header;
  header.version = 2;
  header.size = kV2FixedBytes + length;
  // The balancer's own connection (a health check): its own endpoints apply.
  if (local) return header;

  const uint8_t protocol = Byte(received, 13);
  const size_t address_bytes = *V2AddressBytes(protocol);
  const std::string_view block = received.substr(kV2FixedBytes, length);
  if (block.size() < address_bytes) {
    return Malformed("v2 address block shorter than its address family needs");
  }
  if (protocol != kUnspec) {
    // The TLVs are not used, but they must fill the rest of the block exactly: a header whose
    // lengths disagree was not made by a working sender.
    std::string_view tlvs = block.substr(address_bytes);
    while (!tlvs.empty()) {
      if (tlvs.size() < 3) return Malformed("v2 TLV cut short");
      const size_t value_length = BigEndian16(tlvs, 1);
      if (tlvs.size() - 3 < value_length) return Malformed("v2 TLV longer than the header");
      tlvs.remove_prefix(3 + value_length);
    }
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(block.data());
  if (protocol == kTcp4) {
    header.endpoints = ProxyHeader::Endpoints{
        rules::IpAddressFromBytes(std::span<const uint8_t, 4>(bytes, 4)),
        rules::IpAddressFromBytes(std::span<const uint8_t, 4>(bytes + 4, 4)),
        BigEndian16(block, 8), BigEndian16(block, 10)};
  } else if (protocol == kTcp6) {
    header.endpoints = ProxyHeader::Endpoints{
        rules::IpAddressFromBytes(std::span<const uint8_t, 16>(bytes, 16)),
        rules::IpAddressFromBytes(std::span<const uint8_t, 16>(bytes + 16, 16)),
        BigEndian16(block, 32), BigEndian16(block, 34)};
  }
  // UNSPEC, UDP and UNIX: nothing a TCP listener's client could be; the peer applies (the
  // specification's fallback for valid combinations a receiver does not use).
  return header;
}

}  // namespace

absl::StatusOr<std::optional<ProxyHeader>> ParseProxyHeader(std::string_view received) {
  // Which signature the bytes can still be: v1's starts with 'P', v2's with CR.
  const std::string_view signature =
      !received.empty() && received[0] == kV2Signature[0] ? kV2Signature : kV1Signature;
  const size_t compared = std::min(received.size(), signature.size());
  if (received.substr(0, compared) != signature.substr(0, compared)) {
    return Malformed("the connection does not start with a PROXY protocol header");
  }
  if (received.size() < signature.size()) return std::nullopt;
  return signature == kV2Signature ? ParseV2(received) : ParseV1(received);
}

}  // namespace gatehouse::runtime

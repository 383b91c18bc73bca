#include "runtime/client_address/proxy_protocol.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rules/ip_address.h"

namespace gatehouse::runtime {
namespace {

using rules::FormatIpAddress;

const std::string kSignature("\r\n\r\n\0\r\nQUIT\n", 12);

// A v2 header: signature, version/command byte, protocol byte, length, then `block`.
std::string V2(uint8_t version_command, uint8_t protocol, const std::string& block) {
  std::string out = kSignature;
  out.push_back(static_cast<char>(version_command));
  out.push_back(static_cast<char>(protocol));
  out.push_back(static_cast<char>(block.size() >> 8));
  out.push_back(static_cast<char>(block.size() & 0xff));
  return out + block;
}

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// 203.0.113.7:56324 -> 192.0.2.10:443
const std::string kTcp4Block = Bytes({203, 0, 113, 7, 192, 0, 2, 10, 0xdc, 0x04, 0x01, 0xbb});

std::string Tcp6Block() {
  std::string block = Bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07});
  block += Bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01});
  return block + Bytes({0x30, 0x39, 0x00, 0x50});  // 12345 -> 80
}

std::string Tlv(uint8_t type, const std::string& value) {
  return Bytes({type, static_cast<int>(value.size() >> 8), static_cast<int>(value.size() & 0xff)}) +
         value;
}

ProxyHeader Parsed(const std::string& bytes) {
  auto parsed = ParseProxyHeader(bytes);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok()) return {};
  EXPECT_TRUE(parsed->has_value()) << "incomplete";
  return parsed->value_or(ProxyHeader{});
}

void ExpectMalformed(const std::string& bytes, const std::string& why = "") {
  auto parsed = ParseProxyHeader(bytes);
  EXPECT_FALSE(parsed.ok()) << why << ": accepted " << ::testing::PrintToString(bytes);
  if (!parsed.ok()) {
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

void ExpectIncomplete(const std::string& bytes) {
  auto parsed = ParseProxyHeader(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status() << " for " << ::testing::PrintToString(bytes);
  EXPECT_FALSE(parsed->has_value()) << ::testing::PrintToString(bytes);
}

// Every proper prefix of a valid header asks for more; the whole parses, whatever follows.
void ExpectPrefixesIncomplete(const std::string& header) {
  for (size_t n = 0; n < header.size(); ++n) ExpectIncomplete(header.substr(0, n));
  EXPECT_EQ(Parsed(header).size, header.size());
  EXPECT_EQ(Parsed(header + "GET / HTTP/1.1\r\n\r\n").size, header.size());
}

// --- version 1 ---

TEST(ProxyProtocolV1Test, Tcp4) {
  const std::string line = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";
  const ProxyHeader header = Parsed(line + "GET / HTTP/1.1\r\n");
  EXPECT_EQ(header.version, 1);
  EXPECT_EQ(header.size, line.size());
  ASSERT_TRUE(header.endpoints.has_value());
  EXPECT_EQ(FormatIpAddress(header.endpoints->source), "192.168.0.1");
  EXPECT_TRUE(header.endpoints->source.is_v4);
  EXPECT_EQ(FormatIpAddress(header.endpoints->destination), "192.168.0.11");
  EXPECT_EQ(header.endpoints->source_port, 56324);
  EXPECT_EQ(header.endpoints->destination_port, 443);
  ExpectPrefixesIncomplete(line);
}

TEST(ProxyProtocolV1Test, Tcp6) {
  const std::string line = "PROXY TCP6 2001:DB8::7 2001:db8::1 0 65535\r\n";
  const ProxyHeader header = Parsed(line);
  ASSERT_TRUE(header.endpoints.has_value());
  EXPECT_EQ(FormatIpAddress(header.endpoints->source), "2001:db8::7");
  EXPECT_FALSE(header.endpoints->source.is_v4);
  EXPECT_EQ(header.endpoints->source_port, 0);
  EXPECT_EQ(header.endpoints->destination_port, 65535);
  ExpectPrefixesIncomplete(line);
}

TEST(ProxyProtocolV1Test, LongestLinesAreAccepted) {
  const std::string tcp6 =
      "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
      "65535 65535\r\n";
  EXPECT_EQ(tcp6.size(), 104u);
  EXPECT_EQ(Parsed(tcp6).size, 104u);
  const std::string unknown =
      "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
  ASSERT_EQ(unknown.size(), kMaxProxyV1Bytes);
  EXPECT_EQ(Parsed(unknown).size, kMaxProxyV1Bytes);
}

TEST(ProxyProtocolV1Test, UnknownNamesNoEndpointsAndIgnoresTheRest) {
  EXPECT_FALSE(Parsed("PROXY UNKNOWN\r\n").endpoints.has_value());
  EXPECT_EQ(Parsed("PROXY UNKNOWN\r\nGET").size, 15u);
  const ProxyHeader with_rest = Parsed("PROXY UNKNOWN whatever the sender put\r\n");
  EXPECT_FALSE(with_rest.endpoints.has_value());
  EXPECT_EQ(with_rest.size, 39u);
}

TEST(ProxyProtocolV1Test, LineWithoutCrlfInItsFirst107Bytes) {
  std::string long_line = "PROXY UNKNOWN " + std::string(200, 'x') + "\r\n";
  ExpectMalformed(long_line, "CRLF past 107 bytes");
  // 108 bytes with the CRLF: one too many.
  std::string over = "PROXY UNKNOWN " + std::string(92, 'f') + "\r\n";
  ASSERT_EQ(over.size(), kMaxProxyV1Bytes + 1);
  ExpectMalformed(over, "108-byte line");
  // 107 bytes and no LF yet: it can no longer end in time.
  ExpectMalformed(long_line.substr(0, kMaxProxyV1Bytes), "107 bytes without LF");
  ExpectIncomplete(long_line.substr(0, kMaxProxyV1Bytes - 1));
}

TEST(ProxyProtocolV1Test, LineMustEndWithCrlf) {
  ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "bare LF");
  ExpectMalformed("PROXY UNKNOWN\n", "bare LF after UNKNOWN");
  ExpectMalformed("PROXY \n", "bare LF after the signature");
  ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rGET / HTTP/1.1\r\n", "bare CR");
  ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n", "CR CR LF");
  ExpectIncomplete("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r");
}

TEST(ProxyProtocolV1Test, BadSignature) {
  ExpectMalformed("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP without a header");
  ExpectMalformed("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "lower case");
  ExpectMalformed("PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n", "tab");
  ExpectMalformed("PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n", "no space");
  ExpectMalformed(" PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "leading space");
  ExpectMalformed("PROXX", "early mismatch");
  ExpectMalformed("G", "first byte");
  ExpectIncomplete("");
  ExpectIncomplete("PRO");
}

TEST(ProxyProtocolV1Test, BadProtocol) {
  ExpectMalformed("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "TCP5");
  ExpectMalformed("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", "UDP4");
  ExpectMalformed("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", "lower case");
  ExpectMalformed("PROXY UNKNOWNX\r\n", "UNKNOWN with a suffix");
  ExpectMalformed("PROXY \r\n", "empty");
  ExpectMalformed("PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "two spaces");
  ExpectMalformed("PROXY TCP4\r\n", "no addresses");
}

TEST(ProxyProtocolV1Test, WrongNumberOfFields) {
  ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "three fields");
  ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "five fields");
  ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "trailing space");
  ExpectMalformed("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", "two spaces");
  ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8  1 2\r\n", "two spaces before a port");
  ExpectMalformed("PROXY TCP4 \r\n", "empty fields");
}

TEST(ProxyProtocolV1Test, BadAddresses) {
  for (const char* bad : {"256.1.1.1", "01.2.3.4", "1.2.3.04", "1.2.3", "1.2.3.4.5", "1..2.3",
                          "1.2.3.", ".1.2.3", "-1.2.3.4", "1.2.3.4/8", "example.com", "0x1.2.3.4",
                          "1.2.3.1000", "::1", "::ffff:1.2.3.4", ""}) {
    ExpectMalformed("PROXY TCP4 " + std::string(bad) + " 5.6.7.8 1 2\r\n", bad);
    ExpectMalformed("PROXY TCP4 5.6.7.8 " + std::string(bad) + " 1 2\r\n", bad);
  }
  for (const char* bad : {"1.2.3.4", "2001:db8::1::2", "2001:db8:::1", "fe80::1%eth0", "g::1",
                          "12345::1", "[2001:db8::1]", "1:2:3:4:5:6:7:8:9", ":", ""}) {
    ExpectMalformed("PROXY TCP6 " + std::string(bad) + " 2001:db8::1 1 2\r\n", bad);
    ExpectMalformed("PROXY TCP6 2001:db8::1 " + std::string(bad) + " 1 2\r\n", bad);
  }
}

TEST(ProxyProtocolV1Test, FamilyMismatch) {
  ExpectMalformed("PROXY TCP4 2001:db8::1 2001:db8::2 1 2\r\n", "TCP4 with IPv6");
  ExpectMalformed("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n", "TCP6 with IPv4");
  ExpectMalformed("PROXY TCP4 1.2.3.4 2001:db8::2 1 2\r\n", "mixed");
  ExpectMalformed("PROXY TCP6 2001:db8::2 1.2.3.4 1 2\r\n", "mixed");
}

TEST(ProxyProtocolV1Test, PortsOutOfRange) {
  for (const char* bad : {"65536", "99999", "100000", "-1", "+1", "01", "00", "1a", "0x10", "",
                          "4294967297", " 1"}) {
    ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 " + std::string(bad) + " 80\r\n", bad);
    ExpectMalformed("PROXY TCP4 1.2.3.4 5.6.7.8 80 " + std::string(bad) + "\r\n", bad);
  }
  EXPECT_EQ(Parsed("PROXY TCP4 1.2.3.4 5.6.7.8 0 0\r\n").endpoints->source_port, 0);
}

TEST(ProxyProtocolV1Test, NulInTheLine) {
  ExpectMalformed(std::string("PROXY TCP4 1.2.3.4\0 5.6.7.8 1 2\r\n", 33), "NUL");
}

// --- version 2 ---

TEST(ProxyProtocolV2Test, Tcp4) {
  const std::string header = V2(0x21, 0x11, kTcp4Block);
  const ProxyHeader parsed = Parsed(header + "GET / HTTP/1.1\r\n");
  EXPECT_EQ(parsed.version, 2);
  EXPECT_EQ(parsed.size, 28u);
  ASSERT_TRUE(parsed.endpoints.has_value());
  EXPECT_EQ(FormatIpAddress(parsed.endpoints->source), "203.0.113.7");
  EXPECT_TRUE(parsed.endpoints->source.is_v4);
  EXPECT_EQ(FormatIpAddress(parsed.endpoints->destination), "192.0.2.10");
  EXPECT_EQ(parsed.endpoints->source_port, 56324);
  EXPECT_EQ(parsed.endpoints->destination_port, 443);
  ExpectPrefixesIncomplete(header);
}

TEST(ProxyProtocolV2Test, Tcp6) {
  const std::string header = V2(0x21, 0x21, Tcp6Block());
  const ProxyHeader parsed = Parsed(header);
  EXPECT_EQ(parsed.size, 52u);
  ASSERT_TRUE(parsed.endpoints.has_value());
  EXPECT_EQ(FormatIpAddress(parsed.endpoints->source), "2001:db8::7");
  EXPECT_EQ(FormatIpAddress(parsed.endpoints->destination), "2001:db8::1");
  EXPECT_EQ(parsed.endpoints->source_port, 12345);
  EXPECT_EQ(parsed.endpoints->destination_port, 80);
  ExpectPrefixesIncomplete(header);
}

TEST(ProxyProtocolV2Test, TlvsAreSkipped) {
  const std::string tlvs = Tlv(0x05, "connection-id") + Tlv(0x04, "") +
                           Tlv(0xea, std::string(300, 'v')) + Tlv(0x20, Bytes({1, 0, 0, 0, 0}));
  const std::string header = V2(0x21, 0x11, kTcp4Block + tlvs);
  const ProxyHeader parsed = Parsed(header + "GET");
  EXPECT_EQ(parsed.size, header.size());
  ASSERT_TRUE(parsed.endpoints.has_value());
  EXPECT_EQ(FormatIpAddress(parsed.endpoints->source), "203.0.113.7");
  ExpectPrefixesIncomplete(header);
}

TEST(ProxyProtocolV2Test, LocalUsesTheConnectionsOwnEndpoints) {
  EXPECT_FALSE(Parsed(V2(0x20, 0x00, "")).endpoints.has_value());
  EXPECT_EQ(Parsed(V2(0x20, 0x00, "") + "GET").size, 16u);
  // The block is skipped whatever it holds, and the family is ignored.
  const ProxyHeader with_block = Parsed(V2(0x20, 0x11, kTcp4Block));
  EXPECT_FALSE(with_block.endpoints.has_value());
  EXPECT_EQ(with_block.size, 28u);
  EXPECT_FALSE(Parsed(V2(0x20, 0xff, "xy")).endpoints.has_value());
  ExpectPrefixesIncomplete(V2(0x20, 0x00, "abc"));
}

TEST(ProxyProtocolV2Test, FamiliesWithoutAClientAddressFallBackToThePeer) {
  EXPECT_FALSE(Parsed(V2(0x21, 0x00, "")).endpoints.has_value());
  EXPECT_FALSE(Parsed(V2(0x21, 0x00, "anything")).endpoints.has_value());
  EXPECT_FALSE(Parsed(V2(0x21, 0x12, kTcp4Block)).endpoints.has_value());      // UDP4
  EXPECT_FALSE(Parsed(V2(0x21, 0x22, Tcp6Block())).endpoints.has_value());     // UDP6
  EXPECT_FALSE(Parsed(V2(0x21, 0x31, std::string(216, '\0'))).endpoints.has_value());
  EXPECT_FALSE(Parsed(V2(0x21, 0x32, std::string(216, '/'))).endpoints.has_value());
}

TEST(ProxyProtocolV2Test, BadSignature) {
  for (size_t i = 0; i < kSignature.size(); ++i) {
    std::string header = V2(0x21, 0x11, kTcp4Block);
    header[i] = static_cast<char>(header[i] ^ 0x01);
    ExpectMalformed(header, "signature byte " + std::to_string(i));
  }
  // Detected from the first byte that differs.
  ExpectMalformed(std::string("\r\n\r\nX", 5), "early mismatch");
  ExpectIncomplete(kSignature.substr(0, 7));
}

TEST(ProxyProtocolV2Test, WrongVersion) {
  for (int version : {0x0, 0x1, 0x3, 0xf}) {
    ExpectMalformed(V2(static_cast<uint8_t>(version << 4 | 1), 0x11, kTcp4Block),
                    "version " + std::to_string(version));
    // Refused as soon as the byte arrives.
    ExpectMalformed(kSignature + static_cast<char>(version << 4 | 1), "early");
  }
}

TEST(ProxyProtocolV2Test, UnknownCommand) {
  for (int command = 2; command < 16; ++command) {
    ExpectMalformed(V2(static_cast<uint8_t>(0x20 | command), 0x11, kTcp4Block),
                    "command " + std::to_string(command));
  }
}

TEST(ProxyProtocolV2Test, UndefinedFamilyOrTransport) {
  for (int protocol : {0x01, 0x02, 0x10, 0x13, 0x20, 0x23, 0x30, 0x33, 0x41, 0xf1, 0xff}) {
    ExpectMalformed(V2(0x21, static_cast<uint8_t>(protocol), kTcp4Block + Tcp6Block()),
                    "protocol " + std::to_string(protocol));
    ExpectMalformed(kSignature + "\x21" + static_cast<char>(protocol), "early");
  }
}

TEST(ProxyProtocolV2Test, LengthOverflow) {
  // Refused from the length field alone: the sender would have the proxy wait for 64 KB.
  std::string huge = kSignature + Bytes({0x21, 0x11, 0xff, 0xff});
  ExpectMalformed(huge, "65535");
  ExpectMalformed(huge + kTcp4Block, "65535 with addresses");
  const size_t largest = kMaxProxyV2Bytes - 16;
  const std::string padding = Tlv(0x04, std::string(largest - 12 - 3, '\0'));
  EXPECT_EQ(Parsed(V2(0x21, 0x11, kTcp4Block + padding)).size, kMaxProxyV2Bytes);
  ExpectMalformed(V2(0x21, 0x11, kTcp4Block + padding + Bytes({0x04, 0x00, 0x00})),
                  "one TLV too many");
  ExpectMalformed(V2(0x20, 0x00, std::string(largest + 1, 'x')), "LOCAL too long");
}

TEST(ProxyProtocolV2Test, AddressBlockShorterThanItsFamily) {
  ExpectMalformed(V2(0x21, 0x11, kTcp4Block.substr(0, 11)), "TCP4 in 11 bytes");
  ExpectMalformed(V2(0x21, 0x11, ""), "TCP4 in 0 bytes");
  ExpectMalformed(V2(0x21, 0x21, Tcp6Block().substr(0, 35)), "TCP6 in 35 bytes");
  ExpectMalformed(V2(0x21, 0x21, kTcp4Block), "TCP6 in TCP4's 12 bytes");
  ExpectMalformed(V2(0x21, 0x31, std::string(215, '\0')), "UNIX in 215 bytes");
}

TEST(ProxyProtocolV2Test, TlvLengthsMustAddUp) {
  ExpectMalformed(V2(0x21, 0x11, kTcp4Block + "\x05"), "one byte of a TLV");
  ExpectMalformed(V2(0x21, 0x11, kTcp4Block + Bytes({0x05, 0x00})), "two bytes of a TLV");
  ExpectMalformed(V2(0x21, 0x11, kTcp4Block + Bytes({0x05, 0x00, 0x05}) + "abcd"),
                  "value one byte short");
  ExpectMalformed(V2(0x21, 0x11, kTcp4Block + Bytes({0x05, 0xff, 0xff}) + "abcd"),
                  "value length past the header");
  ExpectMalformed(V2(0x21, 0x11, kTcp4Block + Tlv(0x04, "ok") + "\x01"), "a trailing byte");
}

TEST(ProxyProtocolV2Test, TruncatedHeaderIsIncompleteUntilItCannotBe) {
  const std::string header = V2(0x21, 0x21, Tcp6Block() + Tlv(0x01, "h2"));
  for (size_t n = 0; n < header.size(); ++n) ExpectIncomplete(header.substr(0, n));
}

TEST(ProxyProtocolTest, AnyInputOfTheLargestSizeIsDecided) {
  // The server reads at most kMaxProxyHeaderBytes before it gives up: a parser that still asks
  // for more at that size would stall the connection until its deadline.
  const std::vector<std::string> starts = {
      "PROXY UNKNOWN ", "PROXY TCP4 ", kSignature + Bytes({0x21, 0x11, 0x0f, 0xf0}),
      kSignature + Bytes({0x20, 0x00, 0x0f, 0xf0})};
  for (const std::string& start : starts) {
    std::string input = start + std::string(kMaxProxyHeaderBytes, 'a');
    input.resize(kMaxProxyHeaderBytes);
    auto parsed = ParseProxyHeader(input);
    EXPECT_TRUE(!parsed.ok() || parsed->has_value()) << ::testing::PrintToString(start);
  }
}

}  // namespace
}  // namespace gatehouse::runtime

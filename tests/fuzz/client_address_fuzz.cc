#include "tests/fuzz/client_address_fuzz.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ip_address.h"
#include "runtime/client_address/forwarded_for.h"
#include "runtime/client_address/proxy_protocol.h"
#include "runtime/client_address/trusted_proxies.h"

namespace gatehouse::testing {
namespace {

using runtime::ProxyHeader;

bool SameHeader(const ProxyHeader& a, const ProxyHeader& b) {
  if (a.version != b.version || a.size != b.size ||
      a.endpoints.has_value() != b.endpoints.has_value()) {
    return false;
  }
  if (!a.endpoints.has_value()) return true;
  return a.endpoints->source == b.endpoints->source &&
         a.endpoints->destination == b.endpoints->destination &&
         a.endpoints->source_port == b.endpoints->source_port &&
         a.endpoints->destination_port == b.endpoints->destination_port;
}

void CheckProxyHeader(std::string_view input) {
  const auto parsed = runtime::ParseProxyHeader(input);
  const std::string extended = std::string(input) + "GET / HTTP/1.1\r\n\r\n";
  const auto parsed_extended = runtime::ParseProxyHeader(extended);
  if (!parsed.ok()) {
    RequireInvariant(!parsed_extended.ok(), "an error became valid with more bytes", input);
    return;
  }
  if (!parsed->has_value()) {
    RequireInvariant(input.size() < runtime::kMaxProxyHeaderBytes,
                     "still incomplete at the largest header size", input);
    const auto half = runtime::ParseProxyHeader(input.substr(0, input.size() / 2));
    RequireInvariant(half.ok() && !half->has_value(), "a prefix of an incomplete header is decided",
                     input);
    return;
  }
  const ProxyHeader& header = **parsed;
  RequireInvariant(header.size > 0 && header.size <= input.size(), "header size outside the input",
                   input);
  RequireInvariant(header.size <= runtime::kMaxProxyHeaderBytes, "header longer than the bound",
                   input);
  RequireInvariant(header.version == 1 || header.version == 2, "unknown version", input);
  RequireInvariant(header.version != 1 || header.size <= runtime::kMaxProxyV1Bytes,
                   "v1 line over 107 bytes", input);
  RequireInvariant(header.version != 2 || header.size >= 16, "v2 header under 16 bytes", input);
  const auto alone = runtime::ParseProxyHeader(input.substr(0, header.size));
  RequireInvariant(alone.ok() && alone->has_value() && SameHeader(**alone, header),
                   "the header parses differently from its own bytes", input);
  RequireInvariant(
      parsed_extended.ok() && parsed_extended->has_value() && SameHeader(**parsed_extended, header),
      "bytes after the header changed it", input);
}

const runtime::TrustedProxies& Trusted() {
  static const runtime::TrustedProxies trusted =
      *runtime::TrustedProxies::Parse("10.0.0.0/8, 127.0.0.1, 2001:db8::/32");
  return trusted;
}

void CheckForwardedFor(std::string_view input) {
  // Lines are separate fields.
  std::vector<std::string_view> fields;
  std::string joined;
  for (std::string_view rest = input;;) {
    const size_t newline = rest.find('\n');
    fields.push_back(rest.substr(0, newline));
    if (newline == std::string_view::npos) break;
    rest = rest.substr(newline + 1);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) joined += ",";
    joined.append(fields[i]);
  }
  const rules::IpAddress trusted_peer = *rules::ParseIpAddress("10.0.0.1");
  const rules::IpAddress client = runtime::ForwardedClient(trusted_peer, fields, Trusted());
  const std::vector<std::string_view> one_field = {joined};
  RequireInvariant(client == runtime::ForwardedClient(trusted_peer, one_field, Trusted()),
                   "several fields walk differently from their joined list", input);
  if (!(client == trusted_peer)) {
    bool written = false;
    for (std::string_view rest = joined; !written;) {
      const size_t comma = rest.find(',');
      const auto entry = runtime::ParseForwardedForEntry(rest.substr(0, comma));
      written = entry.has_value() && *entry == client;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    RequireInvariant(written, "the client is neither the peer nor an address in the header", input);
  }
  const rules::IpAddress untrusted_peer = *rules::ParseIpAddress("203.0.113.9");
  RequireInvariant(runtime::ForwardedClient(untrusted_peer, fields, Trusted()) == untrusted_peer,
                   "an untrusted peer's X-Forwarded-For was believed", input);
}

void CheckTrustedProxies(std::string_view input) {
  const auto parsed = runtime::TrustedProxies::Parse(input);
  RequireInvariant(parsed.ok() || !parsed.status().message().empty(), "an error without a reason",
                   input);
}

}  // namespace
}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  gatehouse::testing::CheckProxyHeader(input);
  gatehouse::testing::CheckForwardedFor(input);
  gatehouse::testing::CheckTrustedProxies(input);
  return 0;
}

namespace gatehouse::testing {

FuzzTarget ClientAddressFuzzTarget() {
  static constexpr std::string_view kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);
  static constexpr std::string_view kTokens[] = {
      "PROXY ",     "TCP4 ",       "TCP6 ",       "UNKNOWN",      "\r\n",
      " ",          "\r",          "\n",          "127.0.0.1",    "203.0.113.9",
      "::1",        "2001:db8::7", "::ffff:1.2.3.4", "65535",     "0",
      "01",         kV2Signature,  "\x21\x11",    "\x21\x21",     std::string_view("\x20\x00", 2),
      std::string_view("\x00\x0c", 2), std::string_view("\x00\x24", 2), "\xff\xff",
      std::string_view("\x04\x00\x00", 3), ", ", ",",        "[",            "]:80",
      ":443",       "unknown",     "10.0.0.5",    "/8",           "/33",
  };
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          std::vector<std::string_view>(std::begin(kTokens), std::end(kTokens))};
}

}  // namespace gatehouse::testing

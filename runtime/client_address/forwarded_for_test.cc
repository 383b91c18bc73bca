#include "runtime/client_address/forwarded_for.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "rules/ip_address.h"

namespace gatehouse::runtime {
namespace {

rules::IpAddress Ip(const std::string& text) { return *rules::ParseIpAddress(text); }

TrustedProxies Trusted(std::string_view list) { return *TrustedProxies::Parse(list); }

// The client as text, for readable failures.
std::string Client(const std::string& peer, const std::vector<std::string_view>& fields,
                   const TrustedProxies& trusted) {
  return rules::FormatIpAddress(ForwardedClient(Ip(peer), fields, trusted));
}

TEST(ParseForwardedForEntryTest, Addresses) {
  EXPECT_EQ(ParseForwardedForEntry("192.0.2.1"), Ip("192.0.2.1"));
  EXPECT_EQ(ParseForwardedForEntry("  192.0.2.1\t"), Ip("192.0.2.1"));
  EXPECT_EQ(ParseForwardedForEntry("2001:db8::1"), Ip("2001:db8::1"));
  EXPECT_EQ(ParseForwardedForEntry("192.0.2.1:4711"), Ip("192.0.2.1"));
  EXPECT_EQ(ParseForwardedForEntry("[2001:db8::1]"), Ip("2001:db8::1"));
  EXPECT_EQ(ParseForwardedForEntry("[2001:db8::1]:4711"), Ip("2001:db8::1"));
  EXPECT_EQ(ParseForwardedForEntry("::ffff:192.0.2.1"), Ip("::ffff:192.0.2.1"));
}

TEST(ParseForwardedForEntryTest, RefusesWhatIsNotAnAddress) {
  for (const char* bad :
       {"", " ", "unknown", "_hidden", "example.com", "192.0.2", "192.0.2.256", "192.0.2.1:",
        "192.0.2.1:65536", "192.0.2.1:x", "192.0.2.1:-1", ":80", "[192.0.2.1]", "[2001:db8::1",
        "[2001:db8::1]:", "[2001:db8::1]x", "[2001:db8::1]:99999", "[]", "2001:db8::1:80:x",
        "192.0.2.1 192.0.2.2", "fe80::1%eth0", "\"192.0.2.1\"", "for=192.0.2.1"}) {
    EXPECT_FALSE(ParseForwardedForEntry(bad).has_value()) << bad;
  }
}

TEST(ForwardedClientTest, UntrustedPeerIsTheClientWhateverItSays) {
  const TrustedProxies trusted = Trusted("10.0.0.0/8");
  EXPECT_EQ(Client("198.51.100.9", {"203.0.113.7"}, trusted), "198.51.100.9");
  EXPECT_EQ(Client("198.51.100.9", {"10.0.0.1"}, trusted), "198.51.100.9");
  // Nobody trusted: as without the feature.
  EXPECT_EQ(Client("10.0.0.1", {"203.0.113.7"}, TrustedProxies()), "10.0.0.1");
}

TEST(ForwardedClientTest, RightmostUntrustedIsTheClient) {
  const TrustedProxies trusted = Trusted("10.0.0.0/8, 2001:db8:ffff::/48");
  EXPECT_EQ(Client("10.0.0.1", {"203.0.113.7"}, trusted), "203.0.113.7");
  // The client wrote its own entries first: they are left of its real address, never reached.
  EXPECT_EQ(Client("10.0.0.1", {"1.1.1.1, 2.2.2.2, 203.0.113.7, 10.0.0.9"}, trusted),
            "203.0.113.7");
  EXPECT_EQ(Client("10.0.0.1", {"2001:db8::7, 2001:db8:ffff::1"}, trusted), "2001:db8::7");
  EXPECT_EQ(Client("2001:db8:ffff::2", {"203.0.113.7"}, trusted), "203.0.113.7");
  EXPECT_EQ(Client("10.0.0.1", {"[2001:db8::7]:4711,10.0.0.2:80"}, trusted), "2001:db8::7");
}

TEST(ForwardedClientTest, SeveralFieldsAreOneListInOrder) {
  const TrustedProxies trusted = Trusted("10.0.0.0/8");
  EXPECT_EQ(Client("10.0.0.1", {"1.1.1.1", "203.0.113.7, 10.0.0.3", "10.0.0.2"}, trusted),
            "203.0.113.7");
  EXPECT_EQ(Client("10.0.0.1", {"1.1.1.1", "10.0.0.3", "10.0.0.2"}, trusted), "1.1.1.1");
}

TEST(ForwardedClientTest, NoEntriesOrAllTrustedStopsAtTheLastAddressReached) {
  const TrustedProxies trusted = Trusted("10.0.0.0/8");
  EXPECT_EQ(Client("10.0.0.1", {}, trusted), "10.0.0.1");
  EXPECT_EQ(Client("10.0.0.1", {"10.0.0.2, 10.0.0.3"}, trusted), "10.0.0.2");
}

TEST(ForwardedClientTest, MalformedEntryStopsTheWalk) {
  const TrustedProxies trusted = Trusted("10.0.0.0/8");
  EXPECT_EQ(Client("10.0.0.1", {"203.0.113.7, unknown"}, trusted), "10.0.0.1");
  EXPECT_EQ(Client("10.0.0.1", {"203.0.113.7, garbage, 10.0.0.5"}, trusted), "10.0.0.5");
  EXPECT_EQ(Client("10.0.0.1", {"203.0.113.7,,10.0.0.5"}, trusted), "10.0.0.5");
  EXPECT_EQ(Client("10.0.0.1", {"203.0.113.7, "}, trusted), "10.0.0.1");
  EXPECT_EQ(Client("10.0.0.1", {""}, trusted), "10.0.0.1");
  EXPECT_EQ(Client("10.0.0.1", {"203.0.113.7", "nonsense"}, trusted), "10.0.0.1");
  // Right of the malformed entry, the walk still finds an untrusted address.
  EXPECT_EQ(Client("10.0.0.1", {"garbage, 203.0.113.7, 10.0.0.5"}, trusted), "203.0.113.7");
}

TEST(ForwardedClientTest, MappedAddressesCompareAsIpv4) {
  const TrustedProxies trusted = Trusted("10.0.0.0/8");
  EXPECT_EQ(Client("::ffff:10.0.0.1", {"::ffff:10.0.0.2, 203.0.113.7"}, trusted), "203.0.113.7");
}

}  // namespace
}  // namespace gatehouse::runtime

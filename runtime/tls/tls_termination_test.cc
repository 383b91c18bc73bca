// TLS handshakes through OpenSSL in memory (a BIO pair, no sockets) against the proxy's
// contexts: the certificate each server name gets, the alert without one, ALPN, and ticket
// resumption, across rotations and certificate changes.
#include "runtime/tls/tls_termination.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "gtest/gtest.h"
#include "runtime/tls/session_facts.h"
#include "runtime/tls/sni_selection.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_pki.h"
#include "tests/support/test_zones.h"

namespace gatehouse::runtime::tls {
namespace {

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;

struct Handshake {
  bool ok = false;
  std::string fingerprint;  // of the certificate the client received
  std::string alpn;
  bool reused = false;
  int alert = 0;  // the alert the client received, if it failed
  SessionFacts facts;
  SSL_SESSION* session = nullptr;  // the client's, to resume with (owned by the caller)
};

class TlsTerminationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = testing::MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new testing::TestPki(*pki);
  }

  void SetUp() override {
    client_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_load_verify_locations(client_.get(), pki_->ca_cert.c_str(), nullptr);
    SSL_CTX_set_verify(client_.get(), SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_session_cache_mode(client_.get(), SSL_SESS_CACHE_CLIENT);
    static const unsigned char kAlpn[] = "\x02h2\x08http/1.1";
    SSL_CTX_set_alpn_protos(client_.get(), kAlpn, sizeof(kAlpn) - 1);
  }

  snapshot::v1::ZoneCertificate Certificate(const std::vector<std::string>& names,
                                            bool with_key = true) {
    static int serial = 0;
    auto leaf = testing::MakeSiteCertificate(*pki_, "leaf-" + std::to_string(serial++), names, 2);
    EXPECT_TRUE(leaf.ok()) << leaf.status();
    auto certificate = testing::ZoneCertificateOf(leaf->chain, leaf->key, with_key);
    EXPECT_TRUE(certificate.ok()) << certificate.status();
    return *certificate;
  }

  // A linked snapshot of zones, each with its certificates.
  std::shared_ptr<const LinkedSnapshot> Snapshot(
      uint64_t version,
      const std::vector<std::pair<std::string, std::vector<snapshot::v1::ZoneCertificate>>>&
          zones) {
    snapshot::v1::Snapshot proto;
    proto.set_format(snapshot::v1::FORMAT_VERSION_1);
    proto.set_version(version);
    for (const auto& [name, certificates] : zones) {
      snapshot::v1::CompiledZone zone = testing::CompiledTestZone(name, version);
      for (const auto& certificate : certificates) *zone.add_certificates() = certificate;
      *proto.add_zones() = std::move(zone);
    }
    auto linked = LinkedSnapshot::Link(proto, previous_.get());
    EXPECT_TRUE(linked.ok()) << linked.status();
    previous_ = *linked;
    return *linked;
  }

  // One handshake of a client sending `server_name` (empty: no SNI) against `termination`
  // serving `index`; resumes `session` when given.
  Handshake Connect(TlsTermination& termination, const CurrentIndex& index,
                    const std::string& server_name, SSL_SESSION* session = nullptr,
                    int max_version = TLS1_3_VERSION) {
    SslPtr server(SSL_new(termination.base_context()));
    BindCertificateIndex(server.get(), &index);
    SSL_set_accept_state(server.get());
    SslPtr client(SSL_new(client_.get()));
    SSL_set_max_proto_version(client.get(), max_version);
    if (!server_name.empty()) SSL_set_tlsext_host_name(client.get(), server_name.c_str());
    if (session != nullptr) SSL_set_session(client.get(), session);
    SSL_set_connect_state(client.get());
    BIO* client_bio = nullptr;
    BIO* server_bio = nullptr;
    BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
    SSL_set_bio(client.get(), client_bio, client_bio);
    SSL_set_bio(server.get(), server_bio, server_bio);
    Handshake out;
    SSL_set_info_callback(client.get(), nullptr);
    for (int round = 0; round < 20; ++round) {
      const int c = SSL_do_handshake(client.get());
      const int s = SSL_do_handshake(server.get());
      if (c == 1 && s == 1) {
        out.ok = true;
        break;
      }
      const int client_error = SSL_get_error(client.get(), c);
      const int server_error = SSL_get_error(server.get(), s);
      if ((c != 1 && client_error != SSL_ERROR_WANT_READ) ||
          (s != 1 && server_error != SSL_ERROR_WANT_READ)) {
        break;
      }
    }
    ERR_clear_error();
    if (!out.ok) {
      out.alert = SSL_get_shutdown(client.get()) & SSL_RECEIVED_SHUTDOWN ? 1 : 0;
      return out;
    }
    // TLS 1.3's tickets come after the handshake: read them.
    char byte = 'x';
    SSL_write(server.get(), &byte, 1);
    SSL_read(client.get(), &byte, 1);
    out.fingerprint = testing::CertificateFingerprint(SSL_get0_peer_certificate(client.get()));
    const unsigned char* alpn = nullptr;
    unsigned int alpn_length = 0;
    SSL_get0_alpn_selected(client.get(), &alpn, &alpn_length);
    out.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
    out.reused = SSL_session_reused(client.get()) == 1;
    out.facts = FactsOf(server.get());
    out.session = SSL_get1_session(client.get());
    // A session freed without close_notify is not resumable (OpenSSL's rule for a cut one).
    SSL_shutdown(client.get());
    return out;
  }

  std::unique_ptr<TlsTermination> Termination(TlsTerminationOptions options = {}) {
    auto termination = TlsTermination::Create(std::move(options));
    EXPECT_TRUE(termination.ok()) << termination.status();
    return *std::move(termination);
  }

  static testing::TestPki* pki_;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> client_{nullptr, SSL_CTX_free};
  std::shared_ptr<const LinkedSnapshot> previous_;
};

testing::TestPki* TlsTerminationTest::pki_ = nullptr;

TEST_F(TlsTerminationTest, WithoutHttp2AlpnSelectsHttp11) {
  auto termination = Termination({.http2 = false});
  const auto a = Certificate({"a.test"});
  const CurrentIndex index = termination->IndexFor(*Snapshot(1, {{"a.test", {a}}}));
  Handshake to_a = Connect(*termination, index, "a.test");
  ASSERT_TRUE(to_a.ok);
  EXPECT_EQ(to_a.alpn, "http/1.1");
  SSL_SESSION_free(to_a.session);
}

TEST_F(TlsTerminationTest, EachNameGetsItsZonesCertificate) {
  auto termination = Termination();
  const auto a = Certificate({"a.test"});
  const auto wild = Certificate({"*.b.test"});
  const auto b = Certificate({"www.b.test"});
  const CurrentIndex index =
      termination->IndexFor(*Snapshot(1, {{"a.test", {a}}, {"b.test", {wild, b}}}));

  Handshake to_a = Connect(*termination, index, "a.test");
  ASSERT_TRUE(to_a.ok);
  EXPECT_EQ(to_a.fingerprint, a.fingerprint());
  EXPECT_EQ(to_a.alpn, "h2");  // the client offers h2 first, and so does the server
  EXPECT_EQ(to_a.facts.version, "TLSv1.3");
  EXPECT_EQ(to_a.facts.cipher, "AEAD-AES128-GCM-SHA256");
  EXPECT_EQ(to_a.facts.server_name, "a.test");
  SSL_SESSION_free(to_a.session);

  Handshake exact = Connect(*termination, index, "WWW.B.test");  // names are case-blind
  ASSERT_TRUE(exact.ok);
  EXPECT_EQ(exact.fingerprint, b.fingerprint());
  EXPECT_EQ(exact.facts.server_name, "www.b.test");
  SSL_SESSION_free(exact.session);

  Handshake wildcard = Connect(*termination, index, "api.b.test");
  ASSERT_TRUE(wildcard.ok);
  EXPECT_EQ(wildcard.fingerprint, wild.fingerprint());
  SSL_SESSION_free(wildcard.session);

  // TLS 1.2 names its cipher as OpenSSL (and Cloudflare) do.
  Handshake old = Connect(*termination, index, "a.test", nullptr, TLS1_2_VERSION);
  ASSERT_TRUE(old.ok);
  EXPECT_EQ(old.facts.version, "TLSv1.2");
  EXPECT_EQ(old.facts.cipher, "ECDHE-ECDSA-AES128-GCM-SHA256");
  SSL_SESSION_free(old.session);
}

TEST_F(TlsTerminationTest, UnknownNamesFailWithoutADefaultZone) {
  auto termination = Termination();
  const CurrentIndex index =
      termination->IndexFor(*Snapshot(1, {{"a.test", {Certificate({"a.test"})}}}));
  EXPECT_FALSE(Connect(*termination, index, "other.test").ok);
  EXPECT_FALSE(Connect(*termination, index, "").ok);
  // No index at all (no snapshot yet): no certificate, no handshake.
  EXPECT_FALSE(Connect(*termination, nullptr, "a.test").ok);
}

TEST_F(TlsTerminationTest, UnknownNamesAndNoNameGetTheDefaultZones) {
  TlsTerminationOptions options;
  options.default_zone = "a.test";
  auto termination = Termination(options);
  const auto a = Certificate({"a.test"});
  const CurrentIndex index =
      termination->IndexFor(*Snapshot(1, {{"a.test", {a}}, {"b.test", {Certificate({"b.test"})}}}));
  for (const std::string name : {"", "other.test"}) {
    Handshake handshake = Connect(*termination, index, name);
    ASSERT_TRUE(handshake.ok) << name;
    EXPECT_EQ(handshake.fingerprint, a.fingerprint());
    SSL_SESSION_free(handshake.session);
  }
}

TEST_F(TlsTerminationTest, CertificatesWithoutKeysAreNotServed) {
  TlsTerminationOptions options;
  options.default_zone = "a.test";
  auto termination = Termination(options);
  const CurrentIndex index =
      termination->IndexFor(*Snapshot(1, {{"a.test", {Certificate({"a.test"}, false)}}}));
  EXPECT_TRUE(index->certificates().empty());
  EXPECT_FALSE(Connect(*termination, index, "a.test").ok);
}

TEST_F(TlsTerminationTest, UnchangedCertificatesAreNotLoadedAgain) {
  auto termination = Termination();
  const auto a = Certificate({"a.test"});
  const auto b = Certificate({"b.test"});
  const CurrentIndex one = termination->IndexFor(*Snapshot(1, {{"a.test", {a}}}));
  EXPECT_EQ(termination->certificate_contexts().contexts_made(), 1);
  const CurrentIndex two = termination->IndexFor(*Snapshot(2, {{"a.test", {a}}, {"b.test", {b}}}));
  EXPECT_EQ(termination->certificate_contexts().contexts_made(), 2);
  EXPECT_EQ(one->certificates()[0]->context, two->certificates()[0]->context);
}

TEST_F(TlsTerminationTest, ANewCertificateServesNewHandshakes) {
  auto termination = Termination();
  const auto first = Certificate({"a.test"});
  const auto second = Certificate({"a.test"});
  CurrentIndex index = termination->IndexFor(*Snapshot(1, {{"a.test", {first}}}));
  Handshake before = Connect(*termination, index, "a.test");
  ASSERT_TRUE(before.ok);
  EXPECT_EQ(before.fingerprint, first.fingerprint());
  SSL_SESSION_free(before.session);
  index = termination->IndexFor(*Snapshot(2, {{"a.test", {second}}}));
  Handshake after = Connect(*termination, index, "a.test");
  ASSERT_TRUE(after.ok);
  EXPECT_EQ(after.fingerprint, second.fingerprint());
  SSL_SESSION_free(after.session);
}

TEST_F(TlsTerminationTest, TicketsResumeInBothVersions) {
  auto termination = Termination();
  const CurrentIndex index =
      termination->IndexFor(*Snapshot(1, {{"a.test", {Certificate({"a.test"})}}}));
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    Handshake full = Connect(*termination, index, "a.test", nullptr, version);
    ASSERT_TRUE(full.ok);
    EXPECT_FALSE(full.reused);
    ASSERT_NE(full.session, nullptr);
    EXPECT_EQ(SSL_SESSION_has_ticket(full.session), 1) << version;
    EXPECT_EQ(SSL_SESSION_is_resumable(full.session), 1) << version;
    Handshake resumed = Connect(*termination, index, "a.test", full.session, version);
    ASSERT_TRUE(resumed.ok);
    EXPECT_TRUE(resumed.reused) << version;
    SSL_SESSION_free(full.session);
    SSL_SESSION_free(resumed.session);
  }
}

TEST_F(TlsTerminationTest, TicketsOfAnotherProxyDoNotResume) {
  auto one = Termination();
  auto other = Termination();
  const auto snapshot = Snapshot(1, {{"a.test", {Certificate({"a.test"})}}});
  const CurrentIndex index_one = one->IndexFor(*snapshot);
  const CurrentIndex index_other = other->IndexFor(*snapshot);
  Handshake full = Connect(*one, index_one, "a.test");
  ASSERT_TRUE(full.ok);
  Handshake elsewhere = Connect(*other, index_other, "a.test", full.session);
  ASSERT_TRUE(elsewhere.ok);
  EXPECT_FALSE(elsewhere.reused);  // random keys per proxy
  SSL_SESSION_free(full.session);
  SSL_SESSION_free(elsewhere.session);
}

}  // namespace
}  // namespace gatehouse::runtime::tls

#pragma once

// The OpenSSL server contexts of the proxy's TLS listeners: one a connection starts with (no
// certificate: the SNI callback picks one, sni_selection.h), and one per certificate, all set
// up alike so switching a connection to a certificate's context changes nothing else.

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::runtime::tls {

class TicketKeyRing;

// TLS 1.2's ciphers (OpenSSL's syntax): forward secret AEADs only, ECDSA first.
inline constexpr char kDefaultCiphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
// TLS 1.3's cipher suites (OpenSSL's syntax).
inline constexpr char kDefaultCiphersuites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// What every context of the proxy shares. Must outlive the contexts made from it.
struct ServerContextSettings {
  std::string ciphers = kDefaultCiphers;
  std::string ciphersuites = kDefaultCiphersuites;
  // Offered by ALPN in the server's order of preference ("h2" first when HTTP/2 is on).
  std::vector<std::string> alpn = {"http/1.1"};
  // Session tickets' keys; null: no tickets (every handshake is a full one).
  TicketKeyRing* ticket_keys = nullptr;
};

using SslContext = std::shared_ptr<SSL_CTX>;

// A server context with no certificate: TLS 1.2 and 1.3 only, the settings' ciphers, ALPN,
// tickets from the key ring, no renegotiation and no server-side session cache. Fails for a
// cipher list OpenSSL rejects. `settings` and what it points to must outlive the context.
absl::StatusOr<SslContext> NewServerContext(const ServerContextSettings& settings);

// A server context as above serving `chain_pem` (leaf first) with `key_pem`. Fails, saying
// why, when the chain does not parse or the key is not the leaf's.
absl::StatusOr<SslContext> NewCertificateContext(const ServerContextSettings& settings,
                                                 std::string_view chain_pem,
                                                 std::string_view key_pem);

// ALPN's wire format of `protocols` (each prefixed by its length).
std::string AlpnWireFormat(const std::vector<std::string>& protocols);

}  // namespace gatehouse::runtime::tls

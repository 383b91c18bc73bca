#pragma once

#include <openssl/types.h>

#include <string>
#include <string_view>

namespace gatehouse::runtime::tls {

// What the rules language sees of a connection's TLS session (docs/rules.md): kept per
// connection, read by every request on it.
struct SessionFacts {
  std::string_view version;  // "TLSv1.2", "TLSv1.3" (cf.tls_version); static storage
  std::string cipher;        // Cloudflare's name (cf.tls_cipher): "AEAD-AES128-GCM-SHA256"
  std::string server_name;   // the SNI as sent, lower-cased; empty without one
};

// The facts of `ssl`, after its handshake.
SessionFacts FactsOf(const SSL* ssl);

// Cloudflare's name of an OpenSSL cipher: BoringSSL's "AEAD-…" names for TLS 1.3's suites,
// OpenSSL's own (the same) for TLS 1.2's.
std::string_view CloudflareCipherName(std::string_view openssl_name);

}  // namespace gatehouse::runtime::tls

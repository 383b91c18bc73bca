#include "runtime/tls/session_facts.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>

namespace gatehouse::runtime::tls {

std::string_view CloudflareCipherName(std::string_view openssl_name) {
  if (openssl_name == "TLS_AES_128_GCM_SHA256") return "AEAD-AES128-GCM-SHA256";
  if (openssl_name == "TLS_AES_256_GCM_SHA384") return "AEAD-AES256-GCM-SHA384";
  if (openssl_name == "TLS_CHACHA20_POLY1305_SHA256") return "AEAD-CHACHA20-POLY1305-SHA256";
  return openssl_name;
}

SessionFacts FactsOf(const SSL* ssl) {
  SessionFacts facts;
  facts.version = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl); cipher != nullptr) {
    facts.cipher = std::string(CloudflareCipherName(SSL_CIPHER_get_name(cipher)));
  }
  if (const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name); name != nullptr) {
    facts.server_name = name;
    std::transform(facts.server_name.begin(), facts.server_name.end(), facts.server_name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return facts;
}

}  // namespace gatehouse::runtime::tls

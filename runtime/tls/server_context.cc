#include "runtime/tls/server_context.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>

#include "runtime/tls/ticket_keys.h"

namespace gatehouse::runtime::tls {
namespace {

// The settings a context was made from, for its callbacks (ALPN, tickets).
int SettingsIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// OpenSSL's error queue as text, emptied.
std::string OpenSslErrors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_length,
               const unsigned char* offered, unsigned int offered_length, void* arg) {
  const auto* ours = static_cast<const std::string*>(arg);
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length,
                            reinterpret_cast<const unsigned char*>(ours->data()),
                            static_cast<unsigned int>(ours->size()), offered,
                            offered_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;  // no protocol in common: go on without ALPN
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// Encrypts a new ticket with the ring's current key, or finds the key of one presented.
// Returns (OpenSSL's contract) 1: go on; 2: resume, and issue a new ticket (the key rotated
// out of being current); 0: no such key (a full handshake); -1: failure.
int TicketKeyCallback(SSL* ssl, unsigned char key_name[16], unsigned char* iv,
                      EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int encrypt) {
  const auto* settings = static_cast<const ServerContextSettings*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), SettingsIndex()));
  if (settings == nullptr || settings->ticket_keys == nullptr) return -1;
  TicketKeyRing& ring = *settings->ticket_keys;
  TicketKey key;
  bool is_current = true;
  if (encrypt) {
    key = ring.Current();
    std::memcpy(key_name, key.name.data(), key.name.size());
    if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) != 1) return -1;
  } else {
    std::optional<TicketKey> found = ring.Find(key_name, &is_current);
    if (!found.has_value()) return 0;
    key = *found;
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, key.hmac_key.data(),
                                        key.hmac_key.size()),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("sha256"), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(mac, params) != 1) return -1;
  const int initialized =
      encrypt ? EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key.aes_key.data(), iv)
              : EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key.aes_key.data(), iv);
  if (initialized != 1) return -1;
  return is_current ? 1 : 2;
}

}  // namespace

std::string AlpnWireFormat(const std::vector<std::string>& protocols) {
  std::string out;
  for (const std::string& protocol : protocols) {
    out.push_back(static_cast<char>(protocol.size()));
    out += protocol;
  }
  return out;
}

absl::StatusOr<SslContext> NewServerContext(const ServerContextSettings& settings) {
  ERR_clear_error();
  SslContext context(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (context == nullptr) return absl::InternalError("SSL_CTX_new: " + OpenSslErrors());
  SSL_CTX* ctx = context.get();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  // Idle connections keep no read and write buffers (as nginx does).
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  if (!settings.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, settings.ciphers.c_str()) != 1) {
    return absl::InvalidArgumentError("--tls-ciphers \"" + settings.ciphers +
                                      "\": " + OpenSslErrors());
  }
  if (!settings.ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(ctx, settings.ciphersuites.c_str()) != 1) {
    return absl::InvalidArgumentError("--tls-ciphersuites \"" + settings.ciphersuites +
                                      "\": " + OpenSslErrors());
  }
  // Resumption is by tickets only: a session cache would be per worker, and per process.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  static constexpr unsigned char kSessionContext[] = "gatehouse";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof(kSessionContext) - 1);
  SSL_CTX_set_ex_data(ctx, SettingsIndex(), const_cast<ServerContextSettings*>(&settings));
  if (settings.ticket_keys != nullptr) {
    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, TicketKeyCallback);
  } else {
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx, 0);
  }
  // The wire format lives as long as the context: made once per context, kept by it.
  auto* alpn = new std::string(AlpnWireFormat(settings.alpn));
  static const int alpn_index = SSL_CTX_get_ex_new_index(
      0, nullptr, nullptr, nullptr, [](void*, void* held, CRYPTO_EX_DATA*, int, long, void*) {
        delete static_cast<std::string*>(held);
      });
  SSL_CTX_set_ex_data(ctx, alpn_index, alpn);
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, alpn);
  return context;
}

absl::StatusOr<SslContext> NewCertificateContext(const ServerContextSettings& settings,
                                                 std::string_view chain_pem,
                                                 std::string_view key_pem) {
  auto context = NewServerContext(settings);
  if (!context.ok()) return context.status();
  SSL_CTX* ctx = context->get();
  ERR_clear_error();
  std::unique_ptr<BIO, decltype(&BIO_free)> chain(
      BIO_new_mem_buf(chain_pem.data(), static_cast<int>(chain_pem.size())), BIO_free);
  X509* leaf = PEM_read_bio_X509_AUX(chain.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr) return absl::InvalidArgumentError("chain: " + OpenSslErrors());
  const int used = SSL_CTX_use_certificate(ctx, leaf);
  X509_free(leaf);
  if (used != 1) return absl::InvalidArgumentError("certificate: " + OpenSslErrors());
  while (X509* issuer = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, issuer) != 1) {
      X509_free(issuer);
      return absl::InvalidArgumentError("chain: " + OpenSslErrors());
    }
  }
  ERR_clear_error();  // the end of the chain reads as "no start line"
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return absl::InvalidArgumentError("private key: " + OpenSslErrors());
  const int key_used = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (key_used != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return absl::InvalidArgumentError("private key does not match the certificate: " +
                                      OpenSslErrors());
  }
  return context;
}

}  // namespace gatehouse::runtime::tls

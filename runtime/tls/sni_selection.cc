#include "runtime/tls/sni_selection.h"

#include <openssl/ssl.h>

#include <cstring>

namespace gatehouse::runtime::tls {
namespace {

int CurrentIndexSlot() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// A DNS name is at most 253 characters; anything longer is no name a certificate covers.
constexpr size_t kMaxServerName = 255;

int SelectCertificate(SSL* ssl, int* alert, void*) {
  const auto* current = static_cast<const CurrentIndex*>(SSL_get_ex_data(ssl, CurrentIndexSlot()));
  const char* sent = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  const size_t length = sent == nullptr ? 0 : std::strlen(sent);
  char lower[kMaxServerName];
  const ServedCertificate* certificate = nullptr;
  if (length <= kMaxServerName && current != nullptr && *current != nullptr) {
    for (size_t i = 0; i < length; ++i) {
      const char c = sent[i];
      lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
    }
    certificate = (*current)->Select(std::string_view(lower, length));
  }
  if (certificate == nullptr || certificate->context == nullptr) {
    *alert = length > 0 ? SSL_AD_UNRECOGNIZED_NAME : SSL_AD_HANDSHAKE_FAILURE;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  SSL_set_SSL_CTX(ssl, certificate->context.get());
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

void InstallCertificateSelection(SSL_CTX* base) {
  SSL_CTX_set_tlsext_servername_callback(base, SelectCertificate);
}

void BindCertificateIndex(SSL* ssl, const CurrentIndex* current) {
  SSL_set_ex_data(ssl, CurrentIndexSlot(), const_cast<CurrentIndex*>(current));
}

}  // namespace gatehouse::runtime::tls

#pragma once

#include <openssl/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "runtime/snapshot/linked_snapshot.h"
#include "runtime/tls/certificate_contexts.h"
#include "runtime/tls/certificate_index.h"
#include "runtime/tls/server_context.h"
#include "runtime/tls/ticket_keys.h"

namespace gatehouse::runtime::tls {

struct TlsTerminationOptions {
  std::string ciphers = kDefaultCiphers;            // --tls-ciphers (TLS 1.2)
  std::string ciphersuites = kDefaultCiphersuites;  // --tls-ciphersuites (TLS 1.3)
  std::string default_zone;                         // --tls-default-zone
  std::chrono::seconds ticket_rotation{3600};       // --tls-ticket-rotation-s
  size_t ticket_keys_kept = 2;                      // a ticket resumes for up to rotation × kept
  bool http2 = true;  // ALPN offers "h2" before "http/1.1" (--http2)
};

// Everything a proxy's TLS listeners share: the settings, the session ticket keys, the context
// a connection starts with (its certificate chosen by SNI) and the per-snapshot certificate
// indexes.
class TlsTermination {
 public:
  static absl::StatusOr<std::unique_ptr<TlsTermination>> Create(TlsTerminationOptions options);
  TlsTermination(const TlsTermination&) = delete;
  TlsTermination& operator=(const TlsTermination&) = delete;

  // The context each connection's SSL is made from.
  SSL_CTX* base_context() const { return base_.get(); }
  // The certificates `snapshot` serves, indexed by name (made off the request path).
  std::shared_ptr<const CertificateIndex> IndexFor(const LinkedSnapshot& snapshot) {
    return contexts_->IndexFor(snapshot);
  }
  const TicketKeyRing& ticket_keys() const { return ticket_keys_; }
  const CertificateContexts& certificate_contexts() const { return *contexts_; }

 private:
  explicit TlsTermination(const TlsTerminationOptions& options);

  TicketKeyRing ticket_keys_;
  ServerContextSettings settings_;
  SslContext base_;
  std::unique_ptr<CertificateContexts> contexts_;
};

}  // namespace gatehouse::runtime::tls

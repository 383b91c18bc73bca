#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/snapshot/linked_snapshot.h"
#include "runtime/tls/certificate_index.h"
#include "runtime/tls/server_context.h"

namespace gatehouse::runtime::tls {

// Makes the certificate index of each snapshot the proxy serves, off the request path (as the
// snapshot is published to the workers). A certificate's context is made once per fingerprint
// and shared by every index holding it, so a swap that leaves a certificate unchanged parses
// no PEM. Certificates that cannot be served (no private key: the snapshot came over a
// plaintext control channel; or PEM that does not load) are left out and logged, once per
// snapshot. Thread-safe.
class CertificateContexts {
 public:
  // `settings` must outlive this and every index it makes.
  CertificateContexts(const ServerContextSettings& settings, std::string default_zone);

  std::shared_ptr<const CertificateIndex> IndexFor(const LinkedSnapshot& snapshot);

  // Contexts made from PEM since start (a cache hit makes none).
  int64_t contexts_made() const;

 private:
  // The context of `certificate`, made now or shared; null (and `error` set) when it does not
  // load.
  SslContext ContextOf(const snapshot::v1::ZoneCertificate& certificate, std::string& error);

  const ServerContextSettings& settings_;
  const std::string default_zone_;
  mutable std::mutex mutex_;
  // By fingerprint, while some index holds the context.
  std::map<std::string, std::weak_ptr<SSL_CTX>> contexts_;
  int64_t contexts_made_ = 0;
};

}  // namespace gatehouse::runtime::tls

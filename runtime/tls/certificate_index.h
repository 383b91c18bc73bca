#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gatehouse::runtime::tls {

// A certificate the proxy can serve: a zone's, with its private key, loaded into its context.
struct ServedCertificate {
  std::string zone;
  std::string fingerprint;
  std::vector<std::string> names;  // lower-case DNS names, "*.example.com" for a wildcard
  int64_t not_after_unix = 0;
  std::shared_ptr<SSL_CTX> context;  // null only in tests of the selection alone
};

// Which certificate a TLS handshake gets, by the server name the client sent (SNI), as a
// browser would check it: a certificate naming the server exactly first, else one whose
// wildcard covers its first label (*.example.com covers a.example.com, not a.b.example.com nor
// example.com); without SNI, or for a name no certificate covers, the default zone's
// certificate; none without a default zone (the handshake fails). Where several certificates
// name the same, the one valid longest wins (a renewal overlapping the certificate it
// replaces), then the lowest fingerprint. Immutable.
class CertificateIndex {
 public:
  // `default_zone`: the zone whose certificate answers names no certificate covers (empty:
  // none).
  CertificateIndex(std::vector<std::shared_ptr<const ServedCertificate>> certificates,
                   std::string_view default_zone);

  // `server_name` lower-case; empty when the client sent none. Null: no certificate.
  const ServedCertificate* Select(std::string_view server_name) const;

  const std::vector<std::shared_ptr<const ServedCertificate>>& certificates() const {
    return certificates_;
  }

 private:
  // Looked up by string_view without a copy.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>()(name); }
  };
  using ByName =
      std::unordered_map<std::string, const ServedCertificate*, NameHash, std::equal_to<>>;

  std::vector<std::shared_ptr<const ServedCertificate>> certificates_;
  ByName exact_;
  // "example.com" for a certificate naming "*.example.com".
  ByName wildcard_parents_;
  const ServedCertificate* default_ = nullptr;
};

// Whether `a` is preferred over `b` where both could answer.
bool PreferredCertificate(const ServedCertificate& a, const ServedCertificate& b);

}  // namespace gatehouse::runtime::tls

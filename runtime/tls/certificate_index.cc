#include "runtime/tls/certificate_index.h"

#include <utility>

namespace gatehouse::runtime::tls {
namespace {

// Keeps in `slot` whichever of it and `candidate` is preferred.
void Offer(const ServedCertificate*& slot, const ServedCertificate* candidate) {
  if (slot == nullptr || PreferredCertificate(*candidate, *slot)) slot = candidate;
}

}  // namespace

bool PreferredCertificate(const ServedCertificate& a, const ServedCertificate& b) {
  if (a.not_after_unix != b.not_after_unix) return a.not_after_unix > b.not_after_unix;
  return a.fingerprint < b.fingerprint;
}

CertificateIndex::CertificateIndex(
    std::vector<std::shared_ptr<const ServedCertificate>> certificates,
    std::string_view default_zone)
    : certificates_(std::move(certificates)) {
  for (const auto& certificate : certificates_) {
    for (const std::string& name : certificate->names) {
      if (name.size() > 2 && name[0] == '*' && name[1] == '.') {
        Offer(wildcard_parents_[name.substr(2)], certificate.get());
      } else {
        Offer(exact_[name], certificate.get());
      }
    }
    if (!default_zone.empty() && certificate->zone == default_zone) {
      Offer(default_, certificate.get());
    }
  }
}

const ServedCertificate* CertificateIndex::Select(std::string_view server_name) const {
  if (!server_name.empty()) {
    if (const auto exact = exact_.find(server_name); exact != exact_.end()) return exact->second;
    const size_t dot = server_name.find('.');
    if (dot != std::string_view::npos && dot > 0) {
      const auto wild = wildcard_parents_.find(server_name.substr(dot + 1));
      if (wild != wildcard_parents_.end()) return wild->second;
    }
  }
  return default_;
}

}  // namespace gatehouse::runtime::tls

#include "runtime/tls/certificate_contexts.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "common/logging.h"

namespace gatehouse::runtime::tls {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

CertificateContexts::CertificateContexts(const ServerContextSettings& settings,
                                         std::string default_zone)
    : settings_(settings), default_zone_(std::move(default_zone)) {}

SslContext CertificateContexts::ContextOf(const snapshot::v1::ZoneCertificate& certificate,
                                          std::string& error) {
  std::lock_guard lock(mutex_);
  if (auto held = contexts_[certificate.fingerprint()].lock(); held != nullptr) return held;
  auto made = NewCertificateContext(settings_, certificate.chain_pem(), certificate.key_pem());
  if (!made.ok()) {
    error = std::string(made.status().message());
    return nullptr;
  }
  ++contexts_made_;
  contexts_[certificate.fingerprint()] = *made;
  return *made;
}

std::shared_ptr<const CertificateIndex> CertificateContexts::IndexFor(
    const LinkedSnapshot& snapshot) {
  std::vector<std::shared_ptr<const ServedCertificate>> served;
  std::vector<std::string> keyless_zones;
  for (const auto* entry : snapshot.zones().Sorted()) {
    const auto& [zone, linked] = *entry;
    bool keyless = false;
    for (const snapshot::v1::ZoneCertificate& certificate : linked->certificates) {
      if (certificate.key_pem().empty()) {
        keyless = true;
        continue;
      }
      std::string error;
      SslContext context = ContextOf(certificate, error);
      if (context == nullptr) {
        GH_LOG(WARNING) << "snapshot " << snapshot.version() << ": zone " << zone << " certificate "
                        << certificate.fingerprint() << " cannot be served: " << error;
        continue;
      }
      auto certificate_served = std::make_shared<ServedCertificate>();
      certificate_served->zone = zone;
      certificate_served->fingerprint = certificate.fingerprint();
      for (const std::string& name : certificate.names()) {
        certificate_served->names.push_back(Lower(name));
      }
      certificate_served->not_after_unix = certificate.not_after_unix();
      certificate_served->context = std::move(context);
      served.push_back(std::move(certificate_served));
    }
    if (keyless) keyless_zones.push_back(zone);
  }
  if (!keyless_zones.empty()) {
    std::string names;
    for (const std::string& zone : keyless_zones) names += (names.empty() ? "" : ", ") + zone;
    GH_LOG(WARNING) << "snapshot " << snapshot.version() << ": the certificates of "
                    << keyless_zones.size() << " zone(s) came without private keys (a control "
                    << "channel without TLS carries none) and are not served: " << names;
  }
  // Forget what no index holds any more.
  {
    std::lock_guard lock(mutex_);
    std::erase_if(contexts_, [](const auto& entry) { return entry.second.expired(); });
  }
  return std::make_shared<const CertificateIndex>(std::move(served), default_zone_);
}

int64_t CertificateContexts::contexts_made() const {
  std::lock_guard lock(mutex_);
  return contexts_made_;
}

}  // namespace gatehouse::runtime::tls

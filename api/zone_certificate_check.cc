#include "api/zone_certificate_check.h"

#include "common/tls_certificate.h"

namespace gatehouse::api {
namespace {

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

absl::StatusOr<snapshot::v1::ZoneCertificate> CheckZoneCertificate(
    const std::string& zone, const std::vector<std::string>& hostnames, std::string_view chain_pem,
    std::string_view key_pem, int64_t now_unix) {
  auto chain = ParseCertificateChain(chain_pem);
  if (!chain.ok()) return chain.status();
  auto key = MatchPrivateKey(chain->pem, key_pem);
  if (!key.ok()) return key.status();
  if (auto status = CheckCertificateValidAt(*chain, now_unix); !status.ok()) return status;
  const std::vector<std::string> uncovered = UncoveredHostnames(*chain, hostnames);
  if (!uncovered.empty()) {
    return absl::InvalidArgumentError(
        "the certificate does not cover " + std::to_string(uncovered.size()) + " of the " +
        std::to_string(hostnames.size()) + " host name(s) of zone " + zone + ": " +
        Joined(uncovered) + " (it names " +
        (chain->names.empty() ? std::string("no DNS name") : Joined(chain->names)) + ")");
  }
  snapshot::v1::ZoneCertificate out;
  out.set_chain_pem(std::move(chain->pem));
  out.set_key_pem(*std::move(key));
  out.set_fingerprint(chain->fingerprint);
  for (std::string& name : chain->names) out.add_names(std::move(name));
  out.set_not_before_unix(chain->not_before_unix);
  out.set_not_after_unix(chain->not_after_unix);
  return out;
}

std::string CertificateExpiryWarning(const std::string& zone, const std::string& fingerprint,
                                     int64_t not_after_unix, int64_t now_unix) {
  if (!ExpiresWithin(not_after_unix, now_unix, kCertificateExpiryWarningSeconds)) return "";
  const std::string which = "certificate " + fingerprint.substr(0, 16) + " of zone " + zone;
  if (not_after_unix < now_unix) {
    return which + " EXPIRED on " + FormatUnixTimeUtc(not_after_unix);
  }
  const int64_t days = (not_after_unix - now_unix) / (24 * 3600);
  return which + " expires on " + FormatUnixTimeUtc(not_after_unix) + ", in " +
         std::to_string(days) + " day(s)";
}

}  // namespace gatehouse::api

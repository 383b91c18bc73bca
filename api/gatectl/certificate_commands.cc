#include "api/gatectl/certificate_commands.h"

#include <cstdio>
#include <ctime>

#include "api/gatectl/client.h"
#include "api/zone_certificate_check.h"
#include "common/tls_certificate.h"

namespace gatehouse::gatectl {
namespace {

namespace v1 = gatehouse::api::v1;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string Names(const v1::CertificateInfo& certificate) {
  std::string out;
  for (const auto& name : certificate.names()) out += (out.empty() ? "" : ",") + name;
  return out;
}

void WarnIfExpiring(const v1::CertificateInfo& certificate) {
  const std::string warning = api::CertificateExpiryWarning(
      certificate.zone(), certificate.fingerprint(), certificate.not_after_unix(), Now());
  if (!warning.empty()) std::fprintf(stderr, "gatectl: warning: %s\n", warning.c_str());
}

int Upload(Client& client, const std::string& zone, const GlobalOptions& options,
           const CommandOptions& command) {
  if (command.certs.size() != 1 || command.key.empty()) {
    std::fprintf(stderr, "gatectl certs upload: give --cert CHAIN.pem and --key KEY.pem once\n");
    return kExitUsage;
  }
  v1::UploadCertificateRequest request;
  request.set_zone(zone);
  if (!ReadFile(command.certs[0], request.mutable_chain_pem())) {
    std::fprintf(stderr, "gatectl: cannot read --cert %s\n", command.certs[0].c_str());
    return kExitUsage;
  }
  if (!ReadFile(command.key, request.mutable_key_pem())) {
    std::fprintf(stderr, "gatectl: cannot read --key %s\n", command.key.c_str());
    return kExitUsage;
  }
  v1::UploadCertificateResponse response;
  const grpc::Status status =
      client.certificates().UploadCertificate(client.Context().get(), request, &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
  } else {
    std::printf("zone %s version %llu: certificate %s (%s), valid until %s%s\n", zone.c_str(),
                static_cast<unsigned long long>(response.version()),
                response.certificate().fingerprint().c_str(), Names(response.certificate()).c_str(),
                FormatUnixTimeUtc(response.certificate().not_after_unix()).c_str(),
                response.unchanged() ? " (unchanged: the zone had it)" : "");
  }
  WarnIfExpiring(response.certificate());
  return kExitOk;
}

int List(Client& client, const std::string& zone, const GlobalOptions& options) {
  v1::ListCertificatesRequest request;
  request.set_zone(zone);
  v1::ListCertificatesResponse response;
  const grpc::Status status =
      client.certificates().ListCertificates(client.Context().get(), request, &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
  } else {
    std::printf("ZONE\tFINGERPRINT\tNAMES\tNOT_AFTER\tSTATE\n");
    const int64_t now = Now();
    for (const auto& certificate : response.certificates()) {
      const char* state = certificate.not_after_unix() < now ? "EXPIRED"
                          : certificate.expires_soon()       ? "expires soon"
                                                             : "valid";
      std::printf("%s\t%s\t%s\t%s\t%s\n", certificate.zone().c_str(),
                  certificate.fingerprint().c_str(), Names(certificate).c_str(),
                  FormatUnixTimeUtc(certificate.not_after_unix()).c_str(), state);
    }
  }
  for (const auto& certificate : response.certificates()) WarnIfExpiring(certificate);
  return kExitOk;
}

int Delete(Client& client, const std::string& zone, const std::string& fingerprint,
           const GlobalOptions& options) {
  v1::DeleteCertificateRequest request;
  request.set_zone(zone);
  request.set_fingerprint(fingerprint);
  v1::DeleteCertificateResponse response;
  const grpc::Status status =
      client.certificates().DeleteCertificate(client.Context().get(), request, &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
  } else {
    std::printf("zone %s version %llu: certificate %s deleted\n", zone.c_str(),
                static_cast<unsigned long long>(response.version()), fingerprint.c_str());
  }
  return kExitOk;
}

}  // namespace

std::optional<int> RunCertificateCommand(const std::vector<std::string>& args,
                                         const GlobalOptions& options,
                                         const CommandOptions& command) {
  if (args[0] != "certs" || args.size() < 2) return std::nullopt;
  Client client(options);
  if (args[1] == "upload" && args.size() == 3) return Upload(client, args[2], options, command);
  if (args[1] == "list" && args.size() <= 3) {
    return List(client, args.size() == 3 ? args[2] : "", options);
  }
  if (args[1] == "delete" && args.size() == 4) return Delete(client, args[2], args[3], options);
  return std::nullopt;
}

}  // namespace gatehouse::gatectl

#include "api/certificate_service_impl.h"

#include <ctime>

#include "api/grpc_util.h"
#include "common/tls_certificate.h"

namespace gatehouse::api {
namespace {

void CertificateInfoOf(const StoredCertificate& stored, int64_t now_unix,
                       v1::CertificateInfo* out) {
  out->set_zone(stored.zone);
  out->set_fingerprint(stored.fingerprint);
  for (const std::string& name : stored.names) out->add_names(name);
  out->set_not_before_unix(stored.not_before_unix);
  out->set_not_after_unix(stored.not_after_unix);
  out->set_expires_soon(
      ExpiresWithin(stored.not_after_unix, now_unix, kCertificateExpiryWarningSeconds));
  out->set_uploaded_unix_ms(stored.created_unix_ms);
  out->set_author(stored.author);
}

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace

CertificateServiceImpl::CertificateServiceImpl(ConfigController& controller,
                                               const ConfigStore& store,
                                               const Authenticator& authenticator)
    : controller_(controller), store_(store), authenticator_(authenticator) {}

grpc::Status CertificateServiceImpl::UploadCertificate(grpc::ServerContext* context,
                                                       const v1::UploadCertificateRequest* request,
                                                       v1::UploadCertificateResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto status = caller->CheckEdit(request->zone()); !status.ok()) return ToGrpcStatus(status);
  auto result = controller_.UploadCertificate(request->zone(), request->chain_pem(),
                                              request->key_pem(), caller->id);
  if (!result.ok()) return ToGrpcStatus(result.status());
  CertificateInfoOf(result->certificate, Now(), response->mutable_certificate());
  response->set_version(result->record.version);
  response->set_unchanged(result->unchanged);
  return grpc::Status::OK;
}

grpc::Status CertificateServiceImpl::ListCertificates(grpc::ServerContext* context,
                                                      const v1::ListCertificatesRequest* request,
                                                      v1::ListCertificatesResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  std::vector<std::string> zones;
  if (!request->zone().empty()) {
    if (auto status = caller->CheckRead(request->zone()); !status.ok()) {
      return ToGrpcStatus(status);
    }
    auto latest = store_.Latest(request->zone());
    if (!latest.ok() || latest->deleted) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "zone \"" + request->zone() + "\" not found");
    }
    zones.push_back(request->zone());
  } else {
    for (const ZoneRecord& record : store_.LatestOfAllZones()) {
      if (caller->CanRead(record.zone)) zones.push_back(record.zone);
    }
  }
  const int64_t now = Now();
  for (const std::string& zone : zones) {
    for (const StoredCertificate& stored : store_.Certificates(zone)) {
      CertificateInfoOf(stored, now, response->add_certificates());
    }
  }
  return grpc::Status::OK;
}

grpc::Status CertificateServiceImpl::DeleteCertificate(grpc::ServerContext* context,
                                                       const v1::DeleteCertificateRequest* request,
                                                       v1::DeleteCertificateResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto status = caller->CheckEdit(request->zone()); !status.ok()) return ToGrpcStatus(status);
  auto record = controller_.DeleteCertificate(request->zone(), request->fingerprint(), caller->id);
  if (!record.ok()) return ToGrpcStatus(record.status());
  response->set_zone(record->zone);
  response->set_version(record->version);
  return grpc::Status::OK;
}

}  // namespace gatehouse::api

#pragma once

#include "api/authenticator.h"
#include "api/config_controller.h"
#include "api/config_store.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.CertificateService over ConfigController: authenticates, checks the caller's
// zone scope (edit to upload or delete, read to list), maps requests and statuses. Nothing it
// returns holds a private key. A zone outside the caller's scope is PERMISSION_DENIED with the
// same message whether it exists or not, and is left out of listings.
class CertificateServiceImpl final : public v1::CertificateService::Service {
 public:
  CertificateServiceImpl(ConfigController& controller, const ConfigStore& store,
                         const Authenticator& authenticator);

  grpc::Status UploadCertificate(grpc::ServerContext* context,
                                 const v1::UploadCertificateRequest* request,
                                 v1::UploadCertificateResponse* response) override;
  grpc::Status ListCertificates(grpc::ServerContext* context,
                                const v1::ListCertificatesRequest* request,
                                v1::ListCertificatesResponse* response) override;
  grpc::Status DeleteCertificate(grpc::ServerContext* context,
                                 const v1::DeleteCertificateRequest* request,
                                 v1::DeleteCertificateResponse* response) override;

 private:
  ConfigController& controller_;
  const ConfigStore& store_;
  const Authenticator& authenticator_;
};

}  // namespace gatehouse::api

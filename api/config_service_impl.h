#pragma once

#include "api/config_controller.h"
#include "api/config_store.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.ConfigService over ConfigController: maps requests and statuses, nothing more.
class ConfigServiceImpl final : public v1::ConfigService::Service {
 public:
  ConfigServiceImpl(ConfigController& controller, const ConfigStore& store);

  grpc::Status PutZoneConfig(grpc::ServerContext* context, const v1::PutZoneConfigRequest* request,
                             v1::PutZoneConfigResponse* response) override;
  grpc::Status GetZoneConfig(grpc::ServerContext* context, const v1::GetZoneConfigRequest* request,
                             v1::GetZoneConfigResponse* response) override;
  grpc::Status ValidateZoneConfig(grpc::ServerContext* context,
                                  const v1::ValidateZoneConfigRequest* request,
                                  v1::ValidateZoneConfigResponse* response) override;
  grpc::Status ListZones(grpc::ServerContext* context, const v1::ListZonesRequest* request,
                         v1::ListZonesResponse* response) override;

 private:
  ConfigController& controller_;
  const ConfigStore& store_;
};

// absl::Status → grpc::Status with the same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace gatehouse::api

#pragma once

#include <memory>

#include "api/authenticator.h"
#include "api/config_controller.h"
#include "api/config_store.h"
#include "api/proxy_registry.h"
#include "modules/sdk/managed_ruleset.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.ConfigService over ConfigController: authenticates, checks the caller's zone
// scope, maps requests and statuses. A zone outside the caller's scope is PERMISSION_DENIED with
// the same message whether it exists or not, and is left out of every listing.
class ConfigServiceImpl final : public v1::ConfigService::Service {
 public:
  // `managed_rulesets`: what ListManagedRulesets and GetManagedRuleset read (null: none).
  ConfigServiceImpl(ConfigController& controller, const ConfigStore& store,
                    const Authenticator& authenticator, const ProxyRegistry& proxies,
                    std::shared_ptr<const sdk::ManagedRulesetSet> managed_rulesets);

  grpc::Status PutZoneConfig(grpc::ServerContext* context, const v1::PutZoneConfigRequest* request,
                             v1::PutZoneConfigResponse* response) override;
  grpc::Status GetZoneConfig(grpc::ServerContext* context, const v1::GetZoneConfigRequest* request,
                             v1::GetZoneConfigResponse* response) override;
  grpc::Status ValidateZoneConfig(grpc::ServerContext* context,
                                  const v1::ValidateZoneConfigRequest* request,
                                  v1::ValidateZoneConfigResponse* response) override;
  grpc::Status ListZones(grpc::ServerContext* context, const v1::ListZonesRequest* request,
                         v1::ListZonesResponse* response) override;
  grpc::Status ListZoneVersions(grpc::ServerContext* context,
                                const v1::ListZoneVersionsRequest* request,
                                v1::ListZoneVersionsResponse* response) override;
  grpc::Status RollbackZone(grpc::ServerContext* context, const v1::RollbackZoneRequest* request,
                            v1::PutZoneConfigResponse* response) override;
  grpc::Status DeleteZone(grpc::ServerContext* context, const v1::DeleteZoneRequest* request,
                          v1::DeleteZoneResponse* response) override;
  grpc::Status ListProxies(grpc::ServerContext* context, const v1::ListProxiesRequest* request,
                           v1::ListProxiesResponse* response) override;
  grpc::Status ListManagedRulesets(grpc::ServerContext* context,
                                   const v1::ListManagedRulesetsRequest* request,
                                   v1::ListManagedRulesetsResponse* response) override;
  grpc::Status GetManagedRuleset(grpc::ServerContext* context,
                                 const v1::GetManagedRulesetRequest* request,
                                 v1::GetManagedRulesetResponse* response) override;

 private:
  // The caller, when it may use this service at all.
  absl::StatusOr<Principal> Caller(const grpc::ServerContext& context) const;

  ConfigController& controller_;
  const ConfigStore& store_;
  const Authenticator& authenticator_;
  const ProxyRegistry& proxies_;
  const std::shared_ptr<const sdk::ManagedRulesetSet> managed_rulesets_;
};

}  // namespace gatehouse::api

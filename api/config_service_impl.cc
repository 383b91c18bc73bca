#include "api/config_service_impl.h"

#include "api/grpc_util.h"
#include "api/managed_ruleset_info.h"

namespace gatehouse::api {
namespace {

void SetPutResponse(const ConfigController::PutResult& result, const Principal& caller,
                    v1::PutZoneConfigResponse* response) {
  response->set_zone(result.record.zone);
  response->set_version(result.record.version);
  response->set_config_hash(result.record.config_hash);
  response->set_unchanged(result.unchanged);
  // The deployment-wide sequence tells of other zones' changes: the admin alone sees it.
  if (caller.admin) response->set_snapshot_version(result.record.sequence);
}

// Compiles are queued per token; one whose caller has gone is skipped.
ConfigController::CompileTicket Ticket(const Principal& caller, grpc::ServerContext& context) {
  return {caller.id, [&context] { return context.IsCancelled(); }};
}

// A missing zone and a deleted one read the same.
absl::Status ZoneNotFound(const std::string& zone) {
  return absl::NotFoundError("zone \"" + zone + "\" not found");
}

}  // namespace

ConfigServiceImpl::ConfigServiceImpl(
    ConfigController& controller, const ConfigStore& store, const Authenticator& authenticator,
    const ProxyRegistry& proxies, std::shared_ptr<const sdk::ManagedRulesetSet> managed_rulesets)
    : controller_(controller),
      store_(store),
      authenticator_(authenticator),
      proxies_(proxies),
      managed_rulesets_(managed_rulesets != nullptr
                            ? std::move(managed_rulesets)
                            : std::make_shared<const sdk::ManagedRulesetSet>()) {}

absl::StatusOr<Principal> ConfigServiceImpl::Caller(const grpc::ServerContext& context) const {
  return AuthenticateCustomerCall(authenticator_, context);
}

grpc::Status ConfigServiceImpl::PutZoneConfig(grpc::ServerContext* context,
                                              const v1::PutZoneConfigRequest* request,
                                              v1::PutZoneConfigResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->transfer_hostnames() && !caller->admin) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "only the admin token may transfer host names between zones");
  }
  ConfigController::PutOptions options;
  options.reveal_owners = caller->admin;
  options.transfer_hostnames = request->transfer_hostnames();
  options.compile = Ticket(*caller, *context);
  std::vector<compiler::ZoneDiagnostic> diagnostics;
  auto result = controller_.Put(
      request->config_json(), request->expected_version(), caller->id,
      [&](const std::string& zone) { return caller->CheckEdit(zone); }, options, &diagnostics);
  if (!result.ok()) return InvalidConfigStatus(result.status(), diagnostics);
  SetPutResponse(*result, *caller, response);
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::GetZoneConfig(grpc::ServerContext* context,
                                              const v1::GetZoneConfigRequest* request,
                                              v1::GetZoneConfigResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto status = caller->CheckRead(request->zone()); !status.ok()) return ToGrpcStatus(status);
  auto record = request->version() == 0 ? store_.Latest(request->zone())
                                        : store_.Version(request->zone(), request->version());
  if (!record.ok()) {
    if (request->version() != 0 && store_.Latest(request->zone()).ok()) {
      return ToGrpcStatus(record.status());
    }
    return ToGrpcStatus(ZoneNotFound(request->zone()));
  }
  if (record->deleted) {
    if (request->version() == 0) return ToGrpcStatus(ZoneNotFound(request->zone()));
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "version " + std::to_string(record->version) + " of zone \"" +
                            request->zone() + "\" is a deletion");
  }
  response->set_zone(record->zone);
  response->set_version(record->version);
  response->set_config_hash(record->config_hash);
  response->set_config_json(record->config_json);
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::ValidateZoneConfig(grpc::ServerContext* context,
                                                   const v1::ValidateZoneConfigRequest* request,
                                                   v1::ValidateZoneConfigResponse* response) {
  // Validation reads and stores nothing, so any config-service token may use it.
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->config_json().size() > controller_.limits().max_config_bytes) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "zone config is over the limit of " +
                            std::to_string(controller_.limits().max_config_bytes) + " bytes");
  }
  const auto compiled = controller_.Validate(request->config_json(), Ticket(*caller, *context));
  if (!compiled.ok()) return ToGrpcStatus(compiled.status());
  const compiler::ZoneCompileResult& result = *compiled;
  response->set_valid(result.ok());
  if (result.ok()) response->set_config_hash(result.plan->config_hash);
  for (const auto& d : result.diagnostics) DiagnosticToProto(d, response->add_diagnostics());
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::ListZones(grpc::ServerContext* context,
                                          const v1::ListZonesRequest* request,
                                          v1::ListZonesResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  for (const ZoneRecord& record : store_.LatestOfAllZones()) {
    if (!caller->CanRead(record.zone)) continue;
    auto* zone = response->add_zones();
    zone->set_zone(record.zone);
    zone->set_version(record.version);
    zone->set_config_hash(record.config_hash);
  }
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::ListZoneVersions(grpc::ServerContext* context,
                                                 const v1::ListZoneVersionsRequest* request,
                                                 v1::ListZoneVersionsResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto status = caller->CheckRead(request->zone()); !status.ok()) return ToGrpcStatus(status);
  const std::vector<ZoneRecord> history = store_.History(request->zone());
  if (history.empty()) return ToGrpcStatus(ZoneNotFound(request->zone()));
  response->set_zone(request->zone());
  for (const ZoneRecord& record : history) {
    v1::ZoneVersion* version = response->add_versions();
    version->set_version(record.version);
    version->set_config_hash(record.config_hash);
    version->set_author(record.author);
    version->set_created_unix_ms(record.created_unix_ms);
    version->set_deleted(record.deleted);
    // The deployment-wide sequence counts every zone's changes: only the admin sees it.
    if (caller->admin) version->set_sequence(record.sequence);
  }
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::RollbackZone(grpc::ServerContext* context,
                                             const v1::RollbackZoneRequest* request,
                                             v1::PutZoneConfigResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto status = caller->CheckEdit(request->zone()); !status.ok()) return ToGrpcStatus(status);
  if (request->to_version() == 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "to_version is required");
  }
  std::vector<compiler::ZoneDiagnostic> diagnostics;
  ConfigController::PutOptions options;
  options.reveal_owners = caller->admin;
  options.compile = Ticket(*caller, *context);
  auto result = controller_.Rollback(request->zone(), request->to_version(),
                                     request->expected_version(), caller->id, options,
                                     &diagnostics);
  if (!result.ok()) return InvalidConfigStatus(result.status(), diagnostics);
  SetPutResponse(*result, *caller, response);
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::DeleteZone(grpc::ServerContext* context,
                                           const v1::DeleteZoneRequest* request,
                                           v1::DeleteZoneResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto status = caller->CheckEdit(request->zone()); !status.ok()) return ToGrpcStatus(status);
  auto result = controller_.Delete(request->zone(), request->expected_version(), caller->id);
  if (!result.ok()) {
    if (result.status().code() == absl::StatusCode::kNotFound) {
      return ToGrpcStatus(ZoneNotFound(request->zone()));
    }
    return ToGrpcStatus(result.status());
  }
  response->set_zone(result->zone);
  response->set_version(result->version);
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::ListProxies(grpc::ServerContext* context,
                                            const v1::ListProxiesRequest* request,
                                            v1::ListProxiesResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const Principal& principal = *caller;
  for (v1::ProxyStatus& status :
       proxies_.List([&](const std::string& zone) { return principal.CanRead(zone); })) {
    // The snapshot version counts every zone's changes: only the admin sees it.
    if (!principal.admin) status.set_snapshot_version(0);
    *response->add_proxies() = std::move(status);
  }
  return grpc::Status::OK;
}

// The managed rulesets belong to no zone and say nothing of any zone: every token that may use
// this service may read them (node tokens may not).
grpc::Status ConfigServiceImpl::ListManagedRulesets(grpc::ServerContext* context,
                                                    const v1::ListManagedRulesetsRequest* request,
                                                    v1::ListManagedRulesetsResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  api::ListManagedRulesets(*managed_rulesets_, response);
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::GetManagedRuleset(grpc::ServerContext* context,
                                                  const v1::GetManagedRulesetRequest* request,
                                                  v1::GetManagedRulesetResponse* response) {
  auto caller = Caller(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ToGrpcStatus(DescribeManagedRuleset(*managed_rulesets_, request->id(),
                                             request->paranoia_level(), response));
}

}  // namespace gatehouse::api

#include "api/config_service_impl.h"

namespace gatehouse::api {
namespace {

void ToProto(const compiler::ZoneDiagnostic& in, v1::Diagnostic* out) {
  out->set_rule_id(in.rule_id);
  out->set_json_path(in.json_path);
  out->set_line(in.line);
  out->set_column(in.column);
  out->set_length(in.length);
  out->set_message(in.message);
  out->set_rendered(in.rendered);
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

ConfigServiceImpl::ConfigServiceImpl(ConfigController& controller, const ConfigStore& store)
    : controller_(controller), store_(store) {}

grpc::Status ConfigServiceImpl::PutZoneConfig(grpc::ServerContext* context,
                                              const v1::PutZoneConfigRequest* request,
                                              v1::PutZoneConfigResponse* response) {
  std::vector<compiler::ZoneDiagnostic> diagnostics;
  auto result = controller_.Put(request->config_json(), request->expected_version(),
                                context->peer(), &diagnostics);
  if (!result.ok()) return ToGrpcStatus(result.status());
  response->set_zone(result->record.zone);
  response->set_version(result->record.version);
  response->set_config_hash(result->record.config_hash);
  response->set_unchanged(result->unchanged);
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::GetZoneConfig(grpc::ServerContext* context,
                                              const v1::GetZoneConfigRequest* request,
                                              v1::GetZoneConfigResponse* response) {
  auto record = request->version() == 0 ? store_.Latest(request->zone())
                                        : store_.Version(request->zone(), request->version());
  if (!record.ok()) return ToGrpcStatus(record.status());
  if (record->deleted) return grpc::Status(grpc::StatusCode::NOT_FOUND, "zone was deleted");
  response->set_zone(record->zone);
  response->set_version(record->version);
  response->set_config_hash(record->config_hash);
  response->set_config_json(record->config_json);
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::ValidateZoneConfig(grpc::ServerContext* context,
                                                   const v1::ValidateZoneConfigRequest* request,
                                                   v1::ValidateZoneConfigResponse* response) {
  const compiler::ZoneCompileResult result = controller_.Validate(request->config_json());
  response->set_valid(result.ok());
  if (result.ok()) response->set_config_hash(result.plan->config_hash);
  for (const auto& d : result.diagnostics) ToProto(d, response->add_diagnostics());
  return grpc::Status::OK;
}

grpc::Status ConfigServiceImpl::ListZones(grpc::ServerContext* context,
                                          const v1::ListZonesRequest* request,
                                          v1::ListZonesResponse* response) {
  for (const ZoneRecord& record : store_.LatestOfAllZones()) {
    auto* zone = response->add_zones();
    zone->set_zone(record.zone);
    zone->set_version(record.version);
    zone->set_config_hash(record.config_hash);
  }
  return grpc::Status::OK;
}

}  // namespace gatehouse::api

#include "api/grpc_util.h"

namespace gatehouse::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

void DiagnosticToProto(const compiler::ZoneDiagnostic& in, v1::Diagnostic* out) {
  out->set_rule_id(in.rule_id);
  out->set_json_path(in.json_path);
  out->set_line(in.line);
  out->set_column(in.column);
  out->set_length(in.length);
  out->set_message(in.message);
  out->set_rendered(in.rendered);
}

grpc::Status InvalidConfigStatus(const absl::Status& status,
                                 const std::vector<compiler::ZoneDiagnostic>& diagnostics) {
  if (status.code() != absl::StatusCode::kInvalidArgument || diagnostics.empty()) {
    return ToGrpcStatus(status);
  }
  v1::ValidateZoneConfigResponse validation;
  validation.set_valid(false);
  for (const auto& d : diagnostics) DiagnosticToProto(d, validation.add_diagnostics());
  v1::RpcStatus details;
  details.set_code(static_cast<int32_t>(status.code()));
  details.set_message(std::string(status.message()));
  details.add_details()->PackFrom(validation);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(status.message()),
                      details.SerializeAsString());
}

absl::StatusOr<Principal> AuthenticateCall(const Authenticator& authenticator,
                                           const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find("authorization");
  std::string_view value;
  if (it != metadata.end()) value = std::string_view(it->second.data(), it->second.size());
  return authenticator.Authenticate(value);
}

}  // namespace gatehouse::api

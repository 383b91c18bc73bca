#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/authenticator.h"
#include "compiler/zone_compiler.h"
#include "grpcpp/grpcpp.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// absl::Status → grpc::Status with the same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// INVALID_ARGUMENT whose message is every rendered diagnostic and whose details (an RpcStatus,
// wire-identical to google.rpc.Status) carry them as a ValidateZoneConfigResponse, so clients
// print the same carets as a local compile.
grpc::Status InvalidConfigStatus(const absl::Status& status,
                                 const std::vector<compiler::ZoneDiagnostic>& diagnostics);

void DiagnosticToProto(const compiler::ZoneDiagnostic& in, v1::Diagnostic* out);

// The caller of `context`, from its "authorization" metadata.
absl::StatusOr<Principal> AuthenticateCall(const Authenticator& authenticator,
                                           const grpc::ServerContext& context);

}  // namespace gatehouse::api

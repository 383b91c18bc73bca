#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "api/authenticator.h"
#include "compiler/zone_compiler.h"
#include "grpcpp/grpcpp.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// Error text travels in trailers, which clients cap (gRPC's default is 8 KB for all metadata):
// a status message and the serialized details stay within these.
inline constexpr size_t kMaxStatusMessageBytes = 1024;
inline constexpr size_t kMaxDetailsBytes = 3072;

// absl::Status → grpc::Status with the same code and the message (bounded).
grpc::Status ToGrpcStatus(const absl::Status& status);

// A diagnostic's rendering for a trailer: the header line bounded, and long source lines shown
// as a window around the caret (so a 16 KB expression still shows where it fails).
std::string ClipRendering(const compiler::ZoneDiagnostic& d);

// INVALID_ARGUMENT whose message is the first rendered diagnostic (and how many more) and whose
// details (an RpcStatus, wire-identical to google.rpc.Status) carry the diagnostics as a
// ValidateZoneConfigResponse, so clients print the same carets as a local compile. Both are
// bounded (kMaxStatusMessageBytes, kMaxDetailsBytes); diagnostics that do not fit are counted
// in omitted_diagnostics.
grpc::Status InvalidConfigStatus(const absl::Status& status,
                                 const std::vector<compiler::ZoneDiagnostic>& diagnostics);

void DiagnosticToProto(const compiler::ZoneDiagnostic& in, v1::Diagnostic* out);

// The caller of `context`, from its "authorization" metadata.
absl::StatusOr<Principal> AuthenticateCall(const Authenticator& authenticator,
                                           const grpc::ServerContextBase& context);

// The caller of a customer-facing call (ConfigService, CertificateService): any token but a
// node token, which may only watch snapshots.
absl::StatusOr<Principal> AuthenticateCustomerCall(const Authenticator& authenticator,
                                                   const grpc::ServerContextBase& context);

}  // namespace gatehouse::api

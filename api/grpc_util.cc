#include "api/grpc_util.h"

#include <algorithm>
#include <string_view>

#include "common/log_text.h"

namespace gatehouse::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      Bounded(std::string(status.message()), kMaxStatusMessageBytes));
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

std::string ClipRendering(const compiler::ZoneDiagnostic& d) {
  constexpr size_t kHeaderBytes = 512;
  constexpr size_t kWindow = 160;  // columns of source shown around the caret
  std::vector<std::string_view> lines;
  for (size_t at = 0;;) {
    const size_t end = d.rendered.find('\n', at);
    lines.push_back(std::string_view(d.rendered).substr(at, end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  size_t longest = 0;
  for (size_t i = 1; i < lines.size(); ++i) longest = std::max(longest, lines[i].size());
  // The same window for the source line and the caret line keeps the caret under its column.
  const size_t column = d.column > 0 ? static_cast<size_t>(d.column - 1) : 0;
  const size_t start = longest <= kWindow || column < kWindow / 2 ? 0 : column - kWindow / 2;
  std::string out = Bounded(lines[0], kHeaderBytes);
  for (size_t i = 1; i < lines.size(); ++i) {
    out += '\n';
    if (longest <= kWindow || lines[i].empty()) {
      out.append(lines[i]);
      continue;
    }
    if (start > 0) out += "…";
    if (start < lines[i].size()) out.append(lines[i].substr(start, kWindow));
    if (lines[i].size() > start + kWindow) out += "…";
  }
  return out;
}

grpc::Status InvalidConfigStatus(const absl::Status& status,
                                 const std::vector<compiler::ZoneDiagnostic>& diagnostics) {
  if (status.code() != absl::StatusCode::kInvalidArgument || diagnostics.empty()) {
    return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                        Bounded(std::string(status.message()), kMaxStatusMessageBytes));
  }
  // The status and its details go out as trailers (initial metadata when the call fails before
  // any message), which the client caps at a few KB: a bounded summary and as many clipped
  // diagnostics as fit, so they always arrive.
  v1::ValidateZoneConfigResponse validation;
  validation.set_valid(false);
  for (const auto& d : diagnostics) {
    v1::Diagnostic clipped;
    DiagnosticToProto(d, &clipped);
    clipped.set_message(Bounded(d.message, 512));
    clipped.set_rendered(ClipRendering(d));
    if (validation.ByteSizeLong() + clipped.ByteSizeLong() > kMaxDetailsBytes) {
      validation.set_omitted_diagnostics(validation.omitted_diagnostics() + 1);
      continue;
    }
    *validation.add_diagnostics() = std::move(clipped);
  }
  std::string message = Bounded(ClipRendering(diagnostics.front()), kMaxStatusMessageBytes);
  if (diagnostics.size() > 1) {
    message += "\n(" + std::to_string(diagnostics.size() - 1) +
               " more; gatectl validate shows every problem)";
  }
  v1::RpcStatus details;
  details.set_code(static_cast<int32_t>(status.code()));
  details.set_message(message);
  details.add_details()->PackFrom(validation);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message, details.SerializeAsString());
}

absl::StatusOr<Principal> AuthenticateCall(const Authenticator& authenticator,
                                           const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find("authorization");
  std::string_view value;
  if (it != metadata.end()) value = std::string_view(it->second.data(), it->second.size());
  return authenticator.Authenticate(value);
}

absl::StatusOr<Principal> AuthenticateCustomerCall(const Authenticator& authenticator,
                                                   const grpc::ServerContextBase& context) {
  auto principal = AuthenticateCall(authenticator, context);
  if (!principal.ok()) return principal.status();
  if (!principal->CanUseConfigService()) {
    return absl::PermissionDeniedError("a node token may only watch snapshots");
  }
  return principal;
}

}  // namespace gatehouse::api

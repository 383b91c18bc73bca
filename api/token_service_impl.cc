#include "api/token_service_impl.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "api/grpc_util.h"
#include "api/token_codec.h"

namespace gatehouse::api {
namespace {

void ToProto(const TokenRecord& record, v1::TokenInfo* out) {
  out->set_id(record.id);
  out->set_permission(record.permission);
  for (const auto& zone : record.zones) out->add_zones(zone);
  out->set_description(record.description);
  out->set_created_unix_ms(record.created_unix_ms);
  out->set_revoked(record.revoked);
}

bool IsZoneName(const std::string& zone) {
  if (zone.empty() || zone.size() > 253) return false;
  return std::all_of(zone.begin(), zone.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

}  // namespace

absl::Status ValidateCreateToken(const v1::CreateTokenRequest& request) {
  switch (request.permission()) {
    case v1::PERMISSION_READ:
    case v1::PERMISSION_EDIT:
      if (request.zones().empty()) {
        return absl::InvalidArgumentError("read and edit tokens need at least one zone");
      }
      break;
    case v1::PERMISSION_WATCH:
      break;
    default:
      return absl::InvalidArgumentError("permission must be read, edit or watch");
  }
  for (const std::string& zone : request.zones()) {
    if (!IsZoneName(zone)) {
      return absl::InvalidArgumentError("\"" + zone + "\" is not a zone name");
    }
  }
  return absl::OkStatus();
}

TokenServiceImpl::TokenServiceImpl(TokenStore& tokens, const Authenticator& authenticator,
                                   std::function<void()> on_revoked)
    : tokens_(tokens), authenticator_(authenticator), on_revoked_(std::move(on_revoked)) {}

absl::Status TokenServiceImpl::CheckAdmin(const grpc::ServerContext& context) const {
  auto caller = AuthenticateCall(authenticator_, context);
  if (!caller.ok()) return caller.status();
  if (!caller->admin) return absl::PermissionDeniedError("only the admin token manages tokens");
  return absl::OkStatus();
}

grpc::Status TokenServiceImpl::CreateToken(grpc::ServerContext* context,
                                           const v1::CreateTokenRequest* request,
                                           v1::CreateTokenResponse* response) {
  if (auto status = CheckAdmin(*context); !status.ok()) return ToGrpcStatus(status);
  if (auto status = ValidateCreateToken(*request); !status.ok()) return ToGrpcStatus(status);
  const NewToken token = GenerateToken();
  TokenRecord record;
  record.id = token.id;
  record.token_hash = token.hash;
  record.permission = request->permission();
  record.zones.assign(request->zones().begin(), request->zones().end());
  std::sort(record.zones.begin(), record.zones.end());
  record.zones.erase(std::unique(record.zones.begin(), record.zones.end()), record.zones.end());
  record.description = request->description();
  record.created_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  if (auto status = tokens_.Create(record); !status.ok()) return ToGrpcStatus(status);
  response->set_token(token.token);
  ToProto(record, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status TokenServiceImpl::ListTokens(grpc::ServerContext* context,
                                          const v1::ListTokensRequest* request,
                                          v1::ListTokensResponse* response) {
  if (auto status = CheckAdmin(*context); !status.ok()) return ToGrpcStatus(status);
  for (const TokenRecord& record : tokens_.List()) ToProto(record, response->add_tokens());
  return grpc::Status::OK;
}

grpc::Status TokenServiceImpl::RevokeToken(grpc::ServerContext* context,
                                           const v1::RevokeTokenRequest* request,
                                           v1::RevokeTokenResponse* response) {
  if (auto status = CheckAdmin(*context); !status.ok()) return ToGrpcStatus(status);
  const absl::Status revoked = tokens_.Revoke(request->id());
  if (revoked.ok() && on_revoked_) on_revoked_();
  return ToGrpcStatus(revoked);
}

}  // namespace gatehouse::api

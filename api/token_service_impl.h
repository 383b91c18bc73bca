#pragma once

#include <functional>

#include "api/authenticator.h"
#include "api/token_store.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.TokenService: the admin creates, lists and revokes tokens. Every other caller
// gets PERMISSION_DENIED.
class TokenServiceImpl final : public v1::TokenService::Service {
 public:
  // `on_revoked` (may be empty) is called after each revocation: open Watch streams check
  // their token at once.
  TokenServiceImpl(TokenStore& tokens, const Authenticator& authenticator,
                   std::function<void()> on_revoked = {});

  grpc::Status CreateToken(grpc::ServerContext* context, const v1::CreateTokenRequest* request,
                           v1::CreateTokenResponse* response) override;
  grpc::Status ListTokens(grpc::ServerContext* context, const v1::ListTokensRequest* request,
                          v1::ListTokensResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context, const v1::RevokeTokenRequest* request,
                           v1::RevokeTokenResponse* response) override;

 private:
  absl::Status CheckAdmin(const grpc::ServerContext& context) const;

  TokenStore& tokens_;
  const Authenticator& authenticator_;
  const std::function<void()> on_revoked_;
};

// Checks a CreateTokenRequest: a known permission; read and edit tokens name at least one zone;
// zone names are host names. INVALID_ARGUMENT otherwise.
absl::Status ValidateCreateToken(const v1::CreateTokenRequest& request);

}  // namespace gatehouse::api

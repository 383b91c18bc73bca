#include "api/gatectl/token_commands.h"

#include <cstdio>

#include "api/gatectl/client.h"

namespace gatehouse::gatectl {
namespace {

namespace v1 = gatehouse::api::v1;

const char* PermissionName(v1::Permission permission) {
  switch (permission) {
    case v1::PERMISSION_READ:
      return "read";
    case v1::PERMISSION_EDIT:
      return "edit";
    case v1::PERMISSION_WATCH:
      return "watch";
    default:
      return "?";
  }
}

int Create(Client& client, const GlobalOptions& options, const CommandOptions& command) {
  v1::CreateTokenRequest request;
  if (command.permission == "read") {
    request.set_permission(v1::PERMISSION_READ);
  } else if (command.permission == "edit") {
    request.set_permission(v1::PERMISSION_EDIT);
  } else if (command.permission == "watch") {
    request.set_permission(v1::PERMISSION_WATCH);
  } else {
    std::fprintf(stderr, "gatectl: tokens create needs --permission read, edit or watch\n");
    return kExitUsage;
  }
  for (const auto& zone : command.zones) request.add_zones(zone);
  request.set_description(command.description);
  v1::CreateTokenResponse response;
  const grpc::Status status = client.tokens().CreateToken(client.Context().get(), request,
                                                          &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
  } else {
    // The token alone, so `TOKEN=$(gatectl tokens create …)` works.
    std::printf("%s\n", response.token().c_str());
  }
  return kExitOk;
}

int List(Client& client, const GlobalOptions& options) {
  v1::ListTokensResponse response;
  const grpc::Status status = client.tokens().ListTokens(client.Context().get(), {}, &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
    return kExitOk;
  }
  std::printf("ID\tPERMISSION\tZONES\tSTATE\tDESCRIPTION\n");
  for (const auto& token : response.tokens()) {
    std::string zones;
    for (const auto& zone : token.zones()) zones += (zones.empty() ? "" : ",") + zone;
    std::printf("%s\t%s\t%s\t%s\t%s\n", token.id().c_str(), PermissionName(token.permission()),
                zones.empty() ? "*" : zones.c_str(), token.revoked() ? "revoked" : "active",
                token.description().c_str());
  }
  return kExitOk;
}

int Revoke(Client& client, const std::string& id, const GlobalOptions& options) {
  v1::RevokeTokenRequest request;
  request.set_id(id);
  v1::RevokeTokenResponse response;
  const grpc::Status status = client.tokens().RevokeToken(client.Context().get(), request,
                                                          &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("{\"revoked\": \"%s\"}\n", id.c_str());
  } else {
    std::printf("token %s revoked\n", id.c_str());
  }
  return kExitOk;
}

}  // namespace

std::optional<int> RunTokenCommand(const std::vector<std::string>& args,
                                   const GlobalOptions& options, const CommandOptions& command) {
  if (args[0] != "tokens" || args.size() < 2) return std::nullopt;
  Client client(options);
  if (args[1] == "create" && args.size() == 2) return Create(client, options, command);
  if (args[1] == "list" && args.size() == 2) return List(client, options);
  if (args[1] == "revoke" && args.size() == 3) return Revoke(client, args[2], options);
  return std::nullopt;
}

}  // namespace gatehouse::gatectl

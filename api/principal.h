#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// Who is calling, once authenticated, and what they may do. A value type: every RPC checks it
// before touching a zone, so the rules live in one place and are unit-tested without a network.
struct Principal {
  // The admin token, or every caller when authentication is disabled.
  bool admin = false;
  // Token id ("admin" for the admin), recorded as the author of versions.
  std::string id;
  v1::Permission permission = v1::PERMISSION_UNSPECIFIED;
  std::set<std::string> zones;

  static Principal Admin(std::string id = "admin");

  bool CanRead(const std::string& zone) const;
  bool CanEdit(const std::string& zone) const;
  // ConfigService calls that name no zone (ListZones, Validate, ListProxies, the managed
  // rulesets): any read or edit token; results are then filtered with CanRead.
  bool CanUseConfigService() const;
  // SnapshotService: node (watch) tokens and the admin.
  bool CanWatch() const;
  // Which zones a Watch stream of this principal carries.
  bool CanWatchZone(const std::string& zone) const;

  // OK, or PERMISSION_DENIED with a message that is the same whether `zone` exists or not, so a
  // token cannot probe for zones outside its scope.
  absl::Status CheckRead(const std::string& zone) const;
  absl::Status CheckEdit(const std::string& zone) const;

  // Account-level lists. `scope` is the zones that may name the list: a token reads (changes) a
  // list only when it may read (change) every one of them, so a list is one tenant's; a list
  // with an empty scope is the admin's alone.
  bool CanReadList(const std::vector<std::string>& scope) const;
  bool CanEditList(const std::vector<std::string>& scope) const;
  // PERMISSION_DENIED reading the same whether the list exists or not.
  static absl::Status ListDenied(const std::string& name);
};

}  // namespace gatehouse::api

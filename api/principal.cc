#include "api/principal.h"

namespace gatehouse::api {

Principal Principal::Admin(std::string id) {
  Principal principal;
  principal.admin = true;
  principal.id = std::move(id);
  return principal;
}

bool Principal::CanRead(const std::string& zone) const {
  if (admin) return true;
  if (permission != v1::PERMISSION_READ && permission != v1::PERMISSION_EDIT) return false;
  return zones.count(zone) != 0;
}

bool Principal::CanEdit(const std::string& zone) const {
  if (admin) return true;
  return permission == v1::PERMISSION_EDIT && zones.count(zone) != 0;
}

bool Principal::CanUseConfigService() const {
  return admin || permission == v1::PERMISSION_READ || permission == v1::PERMISSION_EDIT;
}

bool Principal::CanWatch() const { return admin || permission == v1::PERMISSION_WATCH; }

bool Principal::CanWatchZone(const std::string& zone) const {
  if (admin) return true;
  if (permission != v1::PERMISSION_WATCH) return false;
  return zones.empty() || zones.count(zone) != 0;
}

absl::Status Principal::CheckRead(const std::string& zone) const {
  if (CanRead(zone)) return absl::OkStatus();
  return absl::PermissionDeniedError("this token may not read zone \"" + zone + "\"");
}

absl::Status Principal::CheckEdit(const std::string& zone) const {
  if (CanEdit(zone)) return absl::OkStatus();
  return absl::PermissionDeniedError("this token may not change zone \"" + zone + "\"");
}

bool Principal::CanReadList(const std::vector<std::string>& scope) const {
  if (admin) return true;
  if (scope.empty()) return false;
  for (const std::string& zone : scope) {
    if (!CanRead(zone)) return false;
  }
  return true;
}

bool Principal::CanEditList(const std::vector<std::string>& scope) const {
  if (admin) return true;
  if (scope.empty()) return false;
  for (const std::string& zone : scope) {
    if (!CanEdit(zone)) return false;
  }
  return true;
}

absl::Status Principal::ListDenied(const std::string& name) {
  return absl::PermissionDeniedError("this token may not use list \"" + name + "\"");
}

}  // namespace gatehouse::api

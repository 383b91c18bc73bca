#include "rules/ir_version.h"

#include "rules/strings.h"

namespace gatehouse::rules {

absl::Status CheckIrVersion(uint32_t version) {
  if (version == kIrVersion) return absl::OkStatus();
  return absl::FailedPreconditionError(
      Cat("rules IR version ", version, " is not the version this proxy reads (", kIrVersion, ")"));
}

}  // namespace gatehouse::rules

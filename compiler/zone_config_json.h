#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "schemas/config.pb.h"

namespace gatehouse::compiler {

// Reads a zone config written as JSON through the protobuf JSON mapping. Unknown fields are
// rejected, and the error names the field and where it sits in the text.
absl::StatusOr<config::v1::ZoneConfig> ParseZoneConfigJson(std::string_view json);

// The canonical JSON form of a zone config (stable field order, proto field names), used for
// content hashes and for printing.
std::string ZoneConfigToJson(const config::v1::ZoneConfig& config);

}  // namespace gatehouse::compiler

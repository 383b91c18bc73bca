#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "schemas/config.pb.h"

namespace gatehouse::compiler {

// Reads a zone config written as JSON through the protobuf JSON mapping. Unknown fields are
// rejected, and the error names the field and where it sits in the text.
absl::StatusOr<config::v1::ZoneConfig> ParseZoneConfigJson(std::string_view json);

// Reads JSON into any message the same way (a product's action parameters). An unknown field's
// error lists the fields that object has.
absl::Status ReadJsonMessage(std::string_view json, google::protobuf::Message* out);

// The config's deterministic protobuf encoding (map entries in key order): what its content
// hash and its canonical JSON are made from.
std::string DeterministicBytes(const config::v1::ZoneConfig& config);

// The canonical JSON form of a zone config (stable field order, object keys sorted, proto field
// names), used for storing and printing; `indented` for people.
std::string ZoneConfigToJson(const config::v1::ZoneConfig& config, bool indented = false);

}  // namespace gatehouse::compiler

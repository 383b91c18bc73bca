#include "compiler/zone_config_json.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace gatehouse::compiler {

absl::StatusOr<config::v1::ZoneConfig> ParseZoneConfigJson(std::string_view json) {
  config::v1::ZoneConfig config;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  options.case_insensitive_enum_parsing = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &config, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("zone config is not valid: ", std::string(status.message())));
  }
  return config;
}

std::string ZoneConfigToJson(const config::v1::ZoneConfig& config) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  // Printing a well-formed message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(config, &out, options);
  return out;
}

}  // namespace gatehouse::compiler

#include "compiler/zone_config_json.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace gatehouse::compiler {

namespace {

// protobuf says "(rulesets[0].rules[0].action_parameters) hostheader: Cannot find field." and
// stops there; say which fields that object has, so the fix is in the message.
std::string ExplainUnknownField(const std::string& message,
                                const google::protobuf::Descriptor* root) {
  // At the top level there is no "(path) ".
  const size_t close = message.rfind(") ", message.find(": Cannot find field"));
  const bool nested = !message.empty() && message[0] == '(' && close != std::string::npos;
  const size_t name_at = nested ? close + 2 : 0;
  const size_t colon = message.find(": Cannot find field", name_at);
  if (colon == std::string::npos) return message;
  const std::string path = nested ? message.substr(1, close - 1) : "";
  const std::string field = message.substr(name_at, colon - name_at);
  const google::protobuf::Descriptor* descriptor = root;
  for (size_t at = 0; at < path.size() && descriptor != nullptr;) {
    size_t end = path.find('.', at);
    if (end == std::string::npos) end = path.size();
    std::string name = path.substr(at, end - at);
    name = name.substr(0, name.find('['));  // rules[2] → rules
    const google::protobuf::FieldDescriptor* next = descriptor->FindFieldByName(name);
    for (int i = 0; next == nullptr && i < descriptor->field_count(); ++i) {
      if (descriptor->field(i)->json_name() == name) next = descriptor->field(i);
    }
    descriptor = next == nullptr ? nullptr : next->message_type();
    at = end + 1;
  }
  if (descriptor == nullptr) return message;
  std::string valid;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    absl::StrAppend(&valid, i == 0 ? "" : ", ", descriptor->field(i)->name());
  }
  return absl::StrCat(path.empty() ? "" : path + ": ", "unknown field \"", field,
                      "\"; the fields here are: ", valid);
}

}  // namespace

absl::Status ReadJsonMessage(std::string_view json, google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  options.case_insensitive_enum_parsing = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), out, options);
  if (status.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      ExplainUnknownField(std::string(status.message()), out->GetDescriptor()));
}

absl::StatusOr<config::v1::ZoneConfig> ParseZoneConfigJson(std::string_view json) {
  config::v1::ZoneConfig config;
  if (auto status = ReadJsonMessage(json, &config); !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("zone config is not valid: ", status.message()));
  }
  return config;
}

std::string DeterministicBytes(const config::v1::ZoneConfig& config) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    config.SerializeToCodedStream(&coded);
  }
  return bytes;
}

std::string ZoneConfigToJson(const config::v1::ZoneConfig& config, bool indented) {
  // Through the deterministic binary form, so map entries (action_parameters objects among them)
  // come out in key order and equal configs print equal text.
  const std::string binary = DeterministicBytes(config);
  static google::protobuf::util::TypeResolver* const resolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool());
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = indented;
  std::string out;
  // Printing a well-formed message cannot fail.
  (void)google::protobuf::util::BinaryToJsonString(
      resolver, "type.googleapis.com/" + config::v1::ZoneConfig::descriptor()->full_name(), binary,
      &out, options);
  return out;
}

}  // namespace gatehouse::compiler

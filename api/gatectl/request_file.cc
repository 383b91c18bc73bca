#include "api/gatectl/request_file.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "rules/ip_address.h"

namespace gatehouse::gatectl {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Value;

absl::Status Bad(const std::string& message) {
  return absl::InvalidArgumentError("request file: " + message);
}

absl::StatusOr<std::string> String(const Value& value, const std::string& key) {
  if (value.kind_case() != Value::kStringValue) return Bad("\"" + key + "\" must be a string");
  return value.string_value();
}

absl::StatusOr<int64_t> Integer(const Value& value, const std::string& key) {
  if (value.kind_case() != Value::kNumberValue ||
      value.number_value() != static_cast<double>(static_cast<int64_t>(value.number_value()))) {
    return Bad("\"" + key + "\" must be an integer");
  }
  return static_cast<int64_t>(value.number_value());
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Headers(const Value& value,
                                                                         const std::string& key) {
  const auto shape = Bad("\"" + key + "\" must be a list of [name, value] pairs");
  if (value.kind_case() != Value::kListValue) return shape;
  std::vector<std::pair<std::string, std::string>> out;
  for (const Value& item : value.list_value().values()) {
    if (item.kind_case() != Value::kListValue || item.list_value().values_size() != 2 ||
        item.list_value().values(0).kind_case() != Value::kStringValue ||
        item.list_value().values(1).kind_case() != Value::kStringValue) {
      return shape;
    }
    out.emplace_back(item.list_value().values(0).string_value(),
                     item.list_value().values(1).string_value());
  }
  return out;
}

// The object's members. Read through reflection rather than Struct::fields(): the Map code
// inlined from protobuf's headers crashes in ThreadSanitizer builds linked against Debian's
// uninstrumented libprotobuf, and nothing here needs the map's speed.
std::vector<std::pair<std::string, const Value*>> TopLevelFields(
    const google::protobuf::Struct& root) {
  const google::protobuf::Reflection* reflection = root.GetReflection();
  const google::protobuf::FieldDescriptor* fields =
      google::protobuf::Struct::descriptor()->FindFieldByName("fields");
  std::vector<std::pair<std::string, const Value*>> out;
  for (int i = 0; i < reflection->FieldSize(root, fields); ++i) {
    const google::protobuf::Message& entry = reflection->GetRepeatedMessage(root, fields, i);
    const google::protobuf::Descriptor* entry_type = entry.GetDescriptor();
    const google::protobuf::Reflection* entry_reflection = entry.GetReflection();
    out.emplace_back(
        entry_reflection->GetString(entry, entry_type->FindFieldByName("key")),
        static_cast<const Value*>(
            &entry_reflection->GetMessage(entry, entry_type->FindFieldByName("value"))));
  }
  return out;
}

}  // namespace

absl::StatusOr<rules::TestRequest> ParseRequestJson(std::string_view json) {
  google::protobuf::Struct root;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &root);
  if (!parsed.ok()) return Bad("not a JSON object: " + std::string(parsed.message()));
  rules::TestRequest request;
  request.headers.clear();
  std::string url;
  for (const auto& [key, value] : TopLevelFields(root)) {
    if (key == "url") {
      auto text = String(*value, key);
      if (!text.ok()) return text.status();
      url = *text;
    } else if (key == "method") {
      auto text = String(*value, key);
      if (!text.ok()) return text.status();
      request.method = *text;
    } else if (key == "headers" || key == "response_headers") {
      auto headers = Headers(*value, key);
      if (!headers.ok()) return headers.status();
      (key == "headers" ? request.headers : request.response_headers) = *std::move(headers);
    } else if (key == "client_ip") {
      auto text = String(*value, key);
      if (!text.ok()) return text.status();
      if (!rules::ParseIpAddress(*text).has_value()) {
        return Bad("\"client_ip\": \"" + *text + "\" is not an IP address");
      }
      request.client_ip = *text;
    } else if (key == "body") {
      auto text = String(*value, key);
      if (!text.ok()) return text.status();
      request.body = *text;
    } else if (key == "timestamp") {
      auto number = Integer(*value, key);
      if (!number.ok()) return number.status();
      request.timestamp = *number;
    } else if (key == "response_code") {
      auto number = Integer(*value, key);
      if (!number.ok()) return number.status();
      if (*number < 100 || *number > 999) return Bad("\"response_code\" must be 100 to 999");
      request.has_response = true;
      request.response_code = static_cast<int>(*number);
    } else {
      return Bad("unknown key \"" + key + "\"");
    }
  }
  if (url.empty()) return Bad("\"url\" is required");
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return Bad("\"url\" must be absolute, e.g. https://host/");
  request.scheme = absl::AsciiStrToLower(url.substr(0, scheme_end));
  if (request.scheme != "http" && request.scheme != "https") {
    return Bad("\"url\" must be http:// or https://");
  }
  const size_t authority = scheme_end + 3;
  const size_t path_start = url.find_first_of("/?", authority);
  std::string host = url.substr(authority, path_start == std::string::npos
                                               ? std::string::npos
                                               : path_start - authority);
  if (host.empty()) return Bad("\"url\" has no host");
  if (host.front() != '[') host = host.substr(0, host.find(':'));
  request.host = absl::AsciiStrToLower(host);
  request.target = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (request.target.front() == '?') request.target.insert(request.target.begin(), '/');
  bool has_host = false;
  for (const auto& [name, value] : request.headers) {
    if (absl::EqualsIgnoreCase(name, "host")) {
      has_host = true;
      std::string given = value.substr(0, value.rfind(':') == std::string::npos ||
                                                  value.front() == '['
                                              ? std::string::npos
                                              : value.rfind(':'));
      request.host = absl::AsciiStrToLower(given);
    }
  }
  // Every HTTP/1.1 request carries a Host header; rules reading the header map see it too.
  if (!has_host) request.headers.insert(request.headers.begin(), {"Host", host});
  return request;
}

}  // namespace gatehouse::gatectl

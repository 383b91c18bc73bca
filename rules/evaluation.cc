#include "rules/evaluation.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "rules/strings.h"
#include "rules/url.h"

namespace gatehouse::rules {
namespace {

struct Target {
  std::string_view path;
  std::string_view query;
  bool has_query = false;
};

Target SplitTarget(std::string_view raw_target) {
  Target t;
  size_t q = raw_target.find('?');
  t.path = raw_target.substr(0, q);
  if (q != std::string_view::npos) {
    t.query = raw_target.substr(q + 1);
    t.has_query = true;
  }
  return t;
}

// The lower-cased text after the last '.' of the last path segment; empty if there is none.
void AppendExtension(std::string_view path, std::string& out) {
  std::string_view segment = path.substr(path.rfind('/') == std::string_view::npos
                                             ? 0
                                             : path.rfind('/') + 1);
  size_t dot = segment.rfind('.');
  if (dot == std::string_view::npos) return;
  for (char c : segment.substr(dot + 1)) {
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
}

// Query arguments as sent: name=value pairs split on '&', neither part decoded (Cloudflare keeps
// them raw so that rules can match encodings too).
Value ParseArgs(std::string_view query) {
  Value::Map args;
  for (std::string_view pair : Split(query, '&')) {
    if (pair.empty()) continue;
    auto kv = SplitOnce(pair, '=');
    AppendToMultiMap(args, std::string(kv.first), std::string(kv.second));
  }
  return Value::MakeMap(std::move(args));
}

Value MapKeys(const Value& map) {
  Value::Array out;
  for (const auto& [key, values] : *map.as_map()) {
    for (size_t i = 0; i < values.as_array()->size(); ++i) out.push_back(Value::Bytes(key));
  }
  return Value::MakeArray(std::move(out));
}

Value MapValues(const Value& map) {
  Value::Array out;
  for (const auto& [key, values] : *map.as_map()) {
    for (const Value& v : *values.as_array()) out.push_back(v);
  }
  return Value::MakeArray(std::move(out));
}

// Every value of the header `name` (case-insensitive), joined by `separator`; empty if absent.
void AppendJoinedHeader(const HeaderList* headers, std::string_view name,
                        std::string_view separator, std::string& out) {
  if (headers == nullptr) return;
  bool first = true;
  for (const auto& [n, v] : *headers) {
    if (!EqualsIgnoreCase(n, name)) continue;
    if (!first) out.append(separator);
    out.append(v);
    first = false;
  }
}

std::string_view FirstHeader(const HeaderList* headers, std::string_view name) {
  if (headers == nullptr) return {};
  for (const auto& [n, v] : *headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}

// The slot's string, emptied, to be filled in place: its capacity is kept from an earlier
// request.
std::string& ReusedBytes(Value& slot) {
  if (std::string* bytes = std::get_if<std::string>(&slot.data)) {
    bytes->clear();
    return *bytes;
  }
  return slot.data.emplace<std::string>();
}

Value HeaderMap(const HeaderList* headers) {
  Value::Map map;
  if (headers != nullptr) {
    for (const auto& [n, v] : *headers) AppendToMultiMap(map, ToLower(n), std::string(v));
  }
  return Value::MakeMap(std::move(map));
}

// Names in the order and case received (Cloudflare keeps the original case in .names).
Value HeaderNames(const HeaderList* headers) {
  Value::Array out;
  if (headers != nullptr) {
    for (const auto& [n, v] : *headers) out.push_back(Value::Bytes(std::string(n)));
  }
  return Value::MakeArray(std::move(out));
}

Value HeaderValues(const HeaderList* headers) {
  Value::Array out;
  if (headers != nullptr) {
    for (const auto& [n, v] : *headers) out.push_back(Value::Bytes(std::string(v)));
  }
  return Value::MakeArray(std::move(out));
}

Value ParseCookies(const HeaderList* headers) {
  Value::Map cookies;
  if (headers != nullptr) {
    for (const auto& [n, v] : *headers) {
      if (!EqualsIgnoreCase(n, "cookie")) continue;
      for (std::string_view part : Split(v, ';')) {
        part = StripWhitespace(part);
        if (part.empty()) continue;
        auto kv = SplitOnce(part, '=');
        AppendToMultiMap(cookies, std::string(StripWhitespace(kv.first)),
                         std::string(StripWhitespace(kv.second)));
      }
    }
  }
  return Value::MakeMap(std::move(cookies));
}

}  // namespace

const Value& Evaluation::Field(FieldId id) {
  const size_t index = static_cast<size_t>(id);
  Value& slot = fields_[index];
  if (!computed_.test(index)) {
    Compute(id, slot);
    computed_.set(index);
  }
  return slot;
}

void Evaluation::Reset(const RequestData& request) {
  request_ = &request;
  computed_.reset();
  memo_owner_ = nullptr;
  bool_memo_.clear();
  if (bytes_memo_.has_value()) bytes_memo_->clear();
}

void Evaluation::ClaimMemo(const void* owner) {
  if (memo_owner_ == owner) return;
  memo_owner_ = owner;
  bool_memo_.clear();
  if (bytes_memo_.has_value()) bytes_memo_->clear();
}

int8_t& Evaluation::BoolMemo(const void* owner, size_t slot) {
  ClaimMemo(owner);
  if (slot >= bool_memo_.size()) bool_memo_.resize(slot + 1, -1);
  return bool_memo_[slot];
}

std::optional<std::optional<std::string>>& Evaluation::BytesMemo(const void* owner, size_t slot) {
  ClaimMemo(owner);
  if (!bytes_memo_.has_value()) bytes_memo_.emplace();
  if (slot >= bytes_memo_->size()) bytes_memo_->resize(slot + 1);
  return (*bytes_memo_)[slot];
}

void Evaluation::Compute(FieldId id, Value& slot) {
  const RequestData& r = *request_;
  const Target target = SplitTarget(r.raw_target);
  switch (id) {
    case FieldId::kMethod:
      ReusedBytes(slot).assign(r.method);
      return;
    case FieldId::kRawUriPath:
      ReusedBytes(slot).assign(target.path);
      return;
    case FieldId::kUriPath:
      NormalizePathInto(target.path, ReusedBytes(slot));
      return;
    case FieldId::kUriQuery:
    case FieldId::kRawUriQuery:
      ReusedBytes(slot).assign(target.query);
      return;
    case FieldId::kUri: {
      const std::string& path = *Field(FieldId::kUriPath).as_bytes();
      std::string& uri = ReusedBytes(slot);
      uri.assign(path);
      if (target.has_query) uri.append("?").append(target.query);
      return;
    }
    case FieldId::kRawUri:
      ReusedBytes(slot).assign(r.raw_target);
      return;
    case FieldId::kUriPathExtension: {
      const std::string& path = *Field(FieldId::kUriPath).as_bytes();
      AppendExtension(path, ReusedBytes(slot));
      return;
    }
    case FieldId::kRawUriPathExtension:
      AppendExtension(target.path, ReusedBytes(slot));
      return;
    case FieldId::kFullUri: {
      const std::string& uri = *Field(FieldId::kUri).as_bytes();
      ReusedBytes(slot).append(r.scheme).append("://").append(r.host).append(uri);
      return;
    }
    case FieldId::kRawFullUri:
      ReusedBytes(slot).append(r.scheme).append("://").append(r.host).append(r.raw_target);
      return;
    case FieldId::kHost:
      ReusedBytes(slot).assign(r.host);
      return;
    case FieldId::kUserAgent:
      ReusedBytes(slot).assign(FirstHeader(r.headers, "user-agent"));
      return;
    case FieldId::kReferer:
      ReusedBytes(slot).assign(FirstHeader(r.headers, "referer"));
      return;
    case FieldId::kCookie:
      AppendJoinedHeader(r.headers, "cookie", "; ", ReusedBytes(slot));
      return;
    case FieldId::kXForwardedFor:
      AppendJoinedHeader(r.headers, "x-forwarded-for", ", ", ReusedBytes(slot));
      return;
    case FieldId::kVersion:
      ReusedBytes(slot).assign(r.http_version);
      return;
    case FieldId::kTlsVersion:
      ReusedBytes(slot).assign(r.tls_version);
      return;
    case FieldId::kTlsCipher:
      ReusedBytes(slot).assign(r.tls_cipher);
      return;
    case FieldId::kTlsServerName:
      ReusedBytes(slot).assign(r.tls_server_name);
      return;
    case FieldId::kBodyRaw:
      ReusedBytes(slot).assign(r.body);
      return;
    // Arrays and maps are built anew: only rules that read them pay for them.
    case FieldId::kUriArgs:
    case FieldId::kRawUriArgs:
      slot = ParseArgs(target.query);
      return;
    case FieldId::kUriArgsNames:
      slot = MapKeys(Field(FieldId::kUriArgs));
      return;
    case FieldId::kUriArgsValues:
      slot = MapValues(Field(FieldId::kUriArgs));
      return;
    case FieldId::kRawUriArgsNames:
      slot = MapKeys(Field(FieldId::kRawUriArgs));
      return;
    case FieldId::kRawUriArgsValues:
      slot = MapValues(Field(FieldId::kRawUriArgs));
      return;
    case FieldId::kCookies:
      slot = ParseCookies(r.headers);
      return;
    case FieldId::kHeaders:
      slot = HeaderMap(r.headers);
      return;
    case FieldId::kHeadersNames:
      slot = HeaderNames(r.headers);
      return;
    case FieldId::kHeadersValues:
      slot = HeaderValues(r.headers);
      return;
    case FieldId::kBodySize:
      slot = Value::Int(static_cast<int64_t>(r.body_size));
      return;
    case FieldId::kBodyTruncated:
      slot = Value::Bool(r.body_size > r.body.size());
      return;
    case FieldId::kIpSrc:
      slot = Value::Ip(r.client_ip);
      return;
    case FieldId::kSsl:
      slot = Value::Bool(r.scheme == "https");
      return;
    case FieldId::kServerPort:
      slot = Value::Int(r.server_port);
      return;
    case FieldId::kTrue:
      slot = Value::Bool(true);
      return;
    case FieldId::kFalse:
      slot = Value::Bool(false);
      return;
    case FieldId::kTimestampSec:
      slot = Value::Int(r.timestamp_sec);
      return;
    case FieldId::kResponseCode:
      slot = r.has_response ? Value::Int(r.response_code) : Value::Missing();
      return;
    case FieldId::kResponseHeaders:
      slot = r.has_response ? HeaderMap(r.response_headers) : Value::Missing();
      return;
    case FieldId::kResponseHeadersNames:
      slot = r.has_response ? HeaderNames(r.response_headers) : Value::Missing();
      return;
    case FieldId::kResponseHeadersValues:
      slot = r.has_response ? HeaderValues(r.response_headers) : Value::Missing();
      return;
  }
  slot = Value::Missing();
}

}  // namespace gatehouse::rules

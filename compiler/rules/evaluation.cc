#include "compiler/rules/evaluation.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "compiler/rules/strings.h"
#include "compiler/rules/url.h"

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
std::string Extension(std::string_view path) {
  std::string_view segment = path.substr(path.rfind('/') == std::string_view::npos
                                             ? 0
                                             : path.rfind('/') + 1);
  size_t dot = segment.rfind('.');
  if (dot == std::string_view::npos) return "";
  return ToLower(segment.substr(dot + 1));
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
std::string JoinedHeader(const HeaderList* headers, std::string_view name,
                         std::string_view separator) {
  std::string out;
  if (headers == nullptr) return out;
  bool first = true;
  for (const auto& [n, v] : *headers) {
    if (!EqualsIgnoreCase(n, name)) continue;
    if (!first) out.append(separator);
    out.append(v);
    first = false;
  }
  return out;
}

std::string FirstHeader(const HeaderList* headers, std::string_view name) {
  if (headers == nullptr) return "";
  for (const auto& [n, v] : *headers) {
    if (EqualsIgnoreCase(n, name)) return std::string(v);
  }
  return "";
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
  std::optional<Value>& slot = fields_[static_cast<size_t>(id)];
  if (!slot.has_value()) slot = Compute(id);
  return *slot;
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

Value Evaluation::Compute(FieldId id) {
  const RequestData& r = request_;
  Target target = SplitTarget(r.raw_target);
  switch (id) {
    case FieldId::kMethod:
      return Value::Bytes(std::string(r.method));
    case FieldId::kRawUriPath:
      return Value::Bytes(std::string(target.path));
    case FieldId::kUriPath:
      return Value::Bytes(NormalizePath(target.path));
    case FieldId::kUriQuery:
    case FieldId::kRawUriQuery:
      return Value::Bytes(std::string(target.query));
    case FieldId::kUri: {
      std::string uri = *Field(FieldId::kUriPath).as_bytes();
      if (target.has_query) Append(&uri, "?", target.query);
      return Value::Bytes(std::move(uri));
    }
    case FieldId::kRawUri:
      return Value::Bytes(std::string(r.raw_target));
    case FieldId::kUriPathExtension:
      return Value::Bytes(Extension(*Field(FieldId::kUriPath).as_bytes()));
    case FieldId::kRawUriPathExtension:
      return Value::Bytes(Extension(target.path));
    case FieldId::kUriArgs:
    case FieldId::kRawUriArgs:
      return ParseArgs(target.query);
    case FieldId::kUriArgsNames:
      return MapKeys(Field(FieldId::kUriArgs));
    case FieldId::kUriArgsValues:
      return MapValues(Field(FieldId::kUriArgs));
    case FieldId::kRawUriArgsNames:
      return MapKeys(Field(FieldId::kRawUriArgs));
    case FieldId::kRawUriArgsValues:
      return MapValues(Field(FieldId::kRawUriArgs));
    case FieldId::kFullUri:
      return Value::Bytes(Cat(r.scheme, "://", r.host, *Field(FieldId::kUri).as_bytes()));
    case FieldId::kRawFullUri:
      return Value::Bytes(Cat(r.scheme, "://", r.host, r.raw_target));
    case FieldId::kHost:
      return Value::Bytes(std::string(r.host));
    case FieldId::kUserAgent:
      return Value::Bytes(FirstHeader(r.headers, "user-agent"));
    case FieldId::kReferer:
      return Value::Bytes(FirstHeader(r.headers, "referer"));
    case FieldId::kCookie:
      return Value::Bytes(JoinedHeader(r.headers, "cookie", "; "));
    case FieldId::kXForwardedFor:
      return Value::Bytes(JoinedHeader(r.headers, "x-forwarded-for", ", "));
    case FieldId::kCookies:
      return ParseCookies(r.headers);
    case FieldId::kHeaders:
      return HeaderMap(r.headers);
    case FieldId::kHeadersNames:
      return HeaderNames(r.headers);
    case FieldId::kHeadersValues:
      return HeaderValues(r.headers);
    case FieldId::kVersion:
      return Value::Bytes(std::string(r.http_version));
    case FieldId::kBodyRaw:
      return Value::Bytes(std::string(r.body));
    case FieldId::kBodySize:
      return Value::Int(static_cast<int64_t>(r.body_size));
    case FieldId::kBodyTruncated:
      return Value::Bool(r.body_size > r.body.size());
    case FieldId::kIpSrc:
      return Value::Ip(r.client_ip);
    case FieldId::kSsl:
      return Value::Bool(r.scheme == "https");
    case FieldId::kTrue:
      return Value::Bool(true);
    case FieldId::kFalse:
      return Value::Bool(false);
    case FieldId::kTimestampSec:
      return Value::Int(r.timestamp_sec);
    case FieldId::kResponseCode:
      return r.has_response ? Value::Int(r.response_code) : Value::Missing();
    case FieldId::kResponseHeaders:
      return r.has_response ? HeaderMap(r.response_headers) : Value::Missing();
    case FieldId::kResponseHeadersNames:
      return r.has_response ? HeaderNames(r.response_headers) : Value::Missing();
    case FieldId::kResponseHeadersValues:
      return r.has_response ? HeaderValues(r.response_headers) : Value::Missing();
  }
  return Value::Missing();
}

}  // namespace gatehouse::rules

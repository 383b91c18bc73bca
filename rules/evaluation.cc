#include "rules/evaluation.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "body/ascii.h"
#include "body/mime_sniff.h"
#include "rules/accepted_languages.h"
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

// The languages of every Accept-Language field, best first (several fields are one list).
Value AcceptedLanguages(const HeaderList* headers) {
  std::string joined;
  AppendJoinedHeader(headers, "accept-language", ",", joined);
  std::vector<std::string_view> languages;
  AppendAcceptedLanguages(joined, languages);
  Value::Array out;
  out.reserve(languages.size());
  for (std::string_view language : languages) out.push_back(Value::Bytes(std::string(language)));
  return Value::MakeArray(std::move(out));
}

// [[text]], or [] when a part has no such header: Cloudflare's Array<Array<String>> per part.
Value OneOrNone(std::string_view text) {
  Value::Array inner;
  if (!text.empty()) inner.push_back(Value::Bytes(std::string(text)));
  return Value::MakeArray(std::move(inner));
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
  derived_.reset();
  body_text_.Reset();
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

const GeoLocation& Evaluation::Geo() {
  if (!derived_.test(kGeoDerived)) {
    derived_.set(kGeoDerived);
    if (request_->geo != nullptr) {
      request_->geo->Locate(request_->client_ip, geo_);
    } else {
      geo_.Clear();
    }
  }
  return geo_;
}

const std::vector<body::FormField>& Evaluation::Form() {
  if (!derived_.test(kFormDerived)) {
    derived_.set(kFormDerived);
    form_.clear();
    if (body::StartsWithIgnoreAsciiCase(FirstHeader(request_->headers, "content-type"),
                                        "application/x-www-form-urlencoded")) {
      (void)body::ParseForm(request_->body, body_text_, form_);
      // "a=1&&b=2" has an empty piece; Cloudflare's form has no such entry.
      std::erase_if(form_,
                    [](const body::FormField& f) { return f.name.empty() && f.value.empty(); });
    }
  }
  return form_;
}

const body::MultipartBody& Evaluation::Multipart() {
  if (!derived_.test(kMultipartDerived)) {
    derived_.set(kMultipartDerived);
    multipart_.parts.clear();
    const std::string_view type = FirstHeader(request_->headers, "content-type");
    if (body::StartsWithIgnoreAsciiCase(type, "multipart/form-data")) {
      // A body cut at the inspection limit reads as far as it goes; a malformed one gives the
      // parts read before the error.
      const body::BodyExtent extent = request_->body_size > request_->body.size()
                                          ? body::BodyExtent::kTruncated
                                          : body::BodyExtent::kWhole;
      (void)body::ParseMultipart(type, request_->body, extent, body_text_, multipart_);
    }
  }
  return multipart_;
}

void Evaluation::ComputeGeo(FieldId id, Value& slot) {
  const GeoLocation& geo = Geo();
  switch (id) {
    case FieldId::kGeoIsInEuropeanUnion:
      slot = Value::Bool(geo.is_in_european_union);
      return;
    case FieldId::kGeoAsnum:
      slot = Value::Int(geo.asnum);
      return;
    default:
      break;
  }
  const std::string* text = nullptr;
  switch (id) {
    case FieldId::kGeoCountry:
      text = &geo.country;
      break;
    case FieldId::kGeoContinent:
      text = &geo.continent;
      break;
    case FieldId::kGeoCity:
      text = &geo.city;
      break;
    case FieldId::kGeoPostalCode:
      text = &geo.postal_code;
      break;
    case FieldId::kGeoRegion:
      text = &geo.region;
      break;
    case FieldId::kGeoRegionCode:
      text = &geo.region_code;
      break;
    case FieldId::kGeoSubdivision1IsoCode:
      text = &geo.subdivision_1_iso_code;
      break;
    case FieldId::kGeoSubdivision2IsoCode:
      text = &geo.subdivision_2_iso_code;
      break;
    case FieldId::kGeoLat:
      text = &geo.lat;
      break;
    case FieldId::kGeoLon:
      text = &geo.lon;
      break;
    case FieldId::kGeoTimezoneName:
      text = &geo.timezone_name;
      break;
    case FieldId::kGeoMetroCode:
      text = &geo.metro_code;
      break;
    default:
      slot = Value::Missing();
      return;
  }
  ReusedBytes(slot).assign(*text);
}

void Evaluation::ComputeMultipart(FieldId id, Value& slot) {
  const body::MultipartBody& multipart = Multipart();
  if (id == FieldId::kBodyMultipart) {
    Value::Map map;
    for (const body::MultipartPart& part : multipart.parts) {
      AppendToMultiMap(map, std::string(part.name), std::string(part.content));
    }
    slot = Value::MakeMap(std::move(map));
    return;
  }
  Value::Array out;
  out.reserve(multipart.parts.size());
  for (const body::MultipartPart& part : multipart.parts) {
    switch (id) {
      case FieldId::kBodyMultipartNames:
        out.push_back(OneOrNone(part.name));
        break;
      case FieldId::kBodyMultipartValues:
        out.push_back(Value::Bytes(std::string(part.content)));
        break;
      case FieldId::kBodyMultipartFilenames:
        out.push_back(OneOrNone(part.filename));
        break;
      case FieldId::kBodyMultipartContentTypes:
        out.push_back(OneOrNone(part.content_type));
        break;
      case FieldId::kBodyMultipartContentDispositions:
        out.push_back(OneOrNone(part.content_disposition));
        break;
      default:  // kBodyMultipartContentTransferEncodings
        out.push_back(OneOrNone(part.content_transfer_encoding));
        break;
    }
  }
  slot = Value::MakeArray(std::move(out));
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
    case FieldId::kServerIp:
      slot = Value::Ip(r.server_ip);
      return;
    case FieldId::kRayId:
      ReusedBytes(slot).assign(r.ray_id);
      return;
    case FieldId::kRandomSeed:
      ReusedBytes(slot).assign(r.random_seed);
      return;
    case FieldId::kTimestampMsec:
      slot = Value::Int(r.timestamp_msec);
      return;
    case FieldId::kHeadersTruncated:
      slot = Value::Bool(r.headers_truncated);
      return;
    case FieldId::kAcceptedLanguages:
      slot = AcceptedLanguages(r.headers);
      return;
    case FieldId::kBodyMime:
      ReusedBytes(slot).assign(body::SniffMimeType(r.body));
      return;
    case FieldId::kBodyForm: {
      Value::Map form;
      for (const body::FormField& f : Form()) {
        AppendToMultiMap(form, std::string(f.name), std::string(f.value));
      }
      slot = Value::MakeMap(std::move(form));
      return;
    }
    // In the order sent (the map groups a repeated name).
    case FieldId::kBodyFormNames:
    case FieldId::kBodyFormValues: {
      Value::Array out;
      for (const body::FormField& f : Form()) {
        out.push_back(Value::Bytes(std::string(id == FieldId::kBodyFormNames ? f.name : f.value)));
      }
      slot = Value::MakeArray(std::move(out));
      return;
    }
    case FieldId::kBodyMultipart:
    case FieldId::kBodyMultipartNames:
    case FieldId::kBodyMultipartValues:
    case FieldId::kBodyMultipartFilenames:
    case FieldId::kBodyMultipartContentTypes:
    case FieldId::kBodyMultipartContentDispositions:
    case FieldId::kBodyMultipartContentTransferEncodings:
      ComputeMultipart(id, slot);
      return;
    case FieldId::kGeoCountry:
    case FieldId::kGeoContinent:
    case FieldId::kGeoIsInEuropeanUnion:
    case FieldId::kGeoCity:
    case FieldId::kGeoPostalCode:
    case FieldId::kGeoRegion:
    case FieldId::kGeoRegionCode:
    case FieldId::kGeoSubdivision1IsoCode:
    case FieldId::kGeoSubdivision2IsoCode:
    case FieldId::kGeoLat:
    case FieldId::kGeoLon:
    case FieldId::kGeoTimezoneName:
    case FieldId::kGeoMetroCode:
    case FieldId::kGeoAsnum:
      ComputeGeo(id, slot);
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

#include "rules/scheme.h"

#include <algorithm>
#include <utility>

namespace gatehouse::rules {
namespace {

std::vector<FieldDefinition> BuildFields() {
  const Type bytes = Type::Bytes();
  const Type byte_array = Type::Array(Type::Bytes());
  const Type multimap = Type::Map(Type::Array(Type::Bytes()));
  const Type nested = Type::Array(Type::Array(Type::Bytes()));
  // Listed by kind; AllFields() puts them in FieldId order.
  std::vector<FieldDefinition> fields = {
      {"http.request.method", FieldId::kMethod, bytes, false},
      {"http.request.uri", FieldId::kUri, bytes, false},
      {"http.request.uri.path", FieldId::kUriPath, bytes, false},
      {"http.request.uri.path.extension", FieldId::kUriPathExtension, bytes, false},
      {"http.request.uri.query", FieldId::kUriQuery, bytes, false},
      {"http.request.uri.args", FieldId::kUriArgs, multimap, false},
      {"http.request.uri.args.names", FieldId::kUriArgsNames, byte_array, false},
      {"http.request.uri.args.values", FieldId::kUriArgsValues, byte_array, false},
      {"http.request.full_uri", FieldId::kFullUri, bytes, false},
      {"raw.http.request.uri", FieldId::kRawUri, bytes, false},
      {"raw.http.request.uri.path", FieldId::kRawUriPath, bytes, false},
      {"raw.http.request.uri.path.extension", FieldId::kRawUriPathExtension, bytes, false},
      {"raw.http.request.uri.query", FieldId::kRawUriQuery, bytes, false},
      {"raw.http.request.uri.args", FieldId::kRawUriArgs, multimap, false},
      {"raw.http.request.uri.args.names", FieldId::kRawUriArgsNames, byte_array, false},
      {"raw.http.request.uri.args.values", FieldId::kRawUriArgsValues, byte_array, false},
      {"raw.http.request.full_uri", FieldId::kRawFullUri, bytes, false},
      {"http.host", FieldId::kHost, bytes, false},
      {"http.user_agent", FieldId::kUserAgent, bytes, false},
      {"http.referer", FieldId::kReferer, bytes, false},
      {"http.cookie", FieldId::kCookie, bytes, false},
      {"http.request.cookies", FieldId::kCookies, multimap, false},
      {"http.request.headers", FieldId::kHeaders, multimap, false},
      {"http.request.headers.names", FieldId::kHeadersNames, byte_array, false},
      {"http.request.headers.values", FieldId::kHeadersValues, byte_array, false},
      {"http.request.version", FieldId::kVersion, bytes, false},
      {"http.x_forwarded_for", FieldId::kXForwardedFor, bytes, false},
      {"http.request.body.raw", FieldId::kBodyRaw, bytes, false},
      {"http.request.body.size", FieldId::kBodySize, Type::Int(), false},
      {"http.request.body.truncated", FieldId::kBodyTruncated, Type::Bool(), false},
      {"ip.src", FieldId::kIpSrc, Type::Ip(), false},
      {"ssl", FieldId::kSsl, Type::Bool(), false},
      {"cf.tls_version", FieldId::kTlsVersion, bytes, false},
      {"cf.tls_cipher", FieldId::kTlsCipher, bytes, false},
      // Cloudflare has no field for the SNI; named like its cf.tls_client_hello_length.
      {"cf.tls_client_hello_server_name", FieldId::kTlsServerName, bytes, false},
      {"cf.edge.server_port", FieldId::kServerPort, Type::Int(), false},
      {"cf.edge.server_ip", FieldId::kServerIp, Type::Ip(), false},
      {"cf.ray_id", FieldId::kRayId, bytes, false},
      {"cf.random_seed", FieldId::kRandomSeed, bytes, false},
      {"http.request.timestamp.msec", FieldId::kTimestampMsec, Type::Int(), false},
      {"http.request.headers.truncated", FieldId::kHeadersTruncated, Type::Bool(), false},
      {"http.request.accepted_languages", FieldId::kAcceptedLanguages, byte_array, false},
      {"http.request.body.form", FieldId::kBodyForm, multimap, false},
      {"http.request.body.form.names", FieldId::kBodyFormNames, byte_array, false},
      {"http.request.body.form.values", FieldId::kBodyFormValues, byte_array, false},
      {"http.request.body.mime", FieldId::kBodyMime, bytes, false},
      {"http.request.body.multipart", FieldId::kBodyMultipart, multimap, false},
      {"http.request.body.multipart.names", FieldId::kBodyMultipartNames, nested, false},
      {"http.request.body.multipart.values", FieldId::kBodyMultipartValues, byte_array, false},
      {"http.request.body.multipart.filenames", FieldId::kBodyMultipartFilenames, nested, false},
      {"http.request.body.multipart.content_types", FieldId::kBodyMultipartContentTypes, nested,
       false},
      {"http.request.body.multipart.content_dispositions",
       FieldId::kBodyMultipartContentDispositions, nested, false},
      {"http.request.body.multipart.content_transfer_encodings",
       FieldId::kBodyMultipartContentTransferEncodings, nested, false},
      {"ip.src.country", FieldId::kGeoCountry, bytes, false},
      {"ip.src.continent", FieldId::kGeoContinent, bytes, false},
      {"ip.src.is_in_european_union", FieldId::kGeoIsInEuropeanUnion, Type::Bool(), false},
      {"ip.src.city", FieldId::kGeoCity, bytes, false},
      {"ip.src.postal_code", FieldId::kGeoPostalCode, bytes, false},
      {"ip.src.region", FieldId::kGeoRegion, bytes, false},
      {"ip.src.region_code", FieldId::kGeoRegionCode, bytes, false},
      {"ip.src.subdivision_1_iso_code", FieldId::kGeoSubdivision1IsoCode, bytes, false},
      {"ip.src.subdivision_2_iso_code", FieldId::kGeoSubdivision2IsoCode, bytes, false},
      {"ip.src.lat", FieldId::kGeoLat, bytes, false},
      {"ip.src.lon", FieldId::kGeoLon, bytes, false},
      {"ip.src.timezone.name", FieldId::kGeoTimezoneName, bytes, false},
      {"ip.src.metro_code", FieldId::kGeoMetroCode, bytes, false},
      {"ip.src.asnum", FieldId::kGeoAsnum, Type::Int(), false},
      {"true", FieldId::kTrue, Type::Bool(), false},
      {"false", FieldId::kFalse, Type::Bool(), false},
      {"http.request.timestamp.sec", FieldId::kTimestampSec, Type::Int(), false},
      {"http.response.code", FieldId::kResponseCode, Type::Int(), true},
      {"http.response.headers", FieldId::kResponseHeaders, multimap, true},
      {"http.response.headers.names", FieldId::kResponseHeadersNames, byte_array, true},
      {"http.response.headers.values", FieldId::kResponseHeadersValues, byte_array, true},
  };
  // FindFieldName indexes by id: the table must be in FieldId order whatever order it is
  // written in (it was not, and the timestamp field's name read as "true").
  std::sort(fields.begin(), fields.end(),
            [](const FieldDefinition& a, const FieldDefinition& b) { return a.id < b.id; });
  return fields;
}

}  // namespace

const std::vector<FieldDefinition>& AllFields() {
  static const auto* fields = new std::vector<FieldDefinition>(BuildFields());
  return *fields;
}

std::string_view FindFieldName(FieldId id) { return AllFields()[static_cast<size_t>(id)].name; }

// Cloudflare's deprecated ip.geoip.* spellings, still accepted: the same fields.
constexpr std::pair<std::string_view, FieldId> kDeprecatedNames[] = {
    {"ip.geoip.country", FieldId::kGeoCountry},
    {"ip.geoip.continent", FieldId::kGeoContinent},
    {"ip.geoip.is_in_european_union", FieldId::kGeoIsInEuropeanUnion},
    {"ip.geoip.subdivision_1_iso_code", FieldId::kGeoSubdivision1IsoCode},
    {"ip.geoip.subdivision_2_iso_code", FieldId::kGeoSubdivision2IsoCode},
    {"ip.geoip.asnum", FieldId::kGeoAsnum},
};

const FieldDefinition* FindField(std::string_view name) {
  for (const FieldDefinition& f : AllFields()) {
    if (f.name == name) return &f;
  }
  for (const auto& [deprecated, id] : kDeprecatedNames) {
    if (deprecated == name) return &AllFields()[static_cast<size_t>(id)];
  }
  return nullptr;
}

bool IsGeoField(FieldId id) { return id >= FieldId::kGeoCountry && id <= FieldId::kGeoAsnum; }

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view SuggestField(std::string_view name) {
  std::string_view best;
  int best_distance = 4;  // farther than this is a different name, not a typo
  for (const FieldDefinition& f : AllFields()) {
    int d = EditDistance(name, f.name);
    if (d < best_distance) {
      best_distance = d;
      best = f.name;
    }
  }
  return best;
}


}  // namespace gatehouse::rules

#pragma once

#include <string_view>
#include <vector>

#include "rules/types.h"

namespace gatehouse::rules {

// Every field the language knows, by Cloudflare's names (see scheme.cc for the table).
enum class FieldId {
  kMethod,
  kUri,
  kUriPath,
  kUriPathExtension,
  kUriQuery,
  kUriArgs,
  kUriArgsNames,
  kUriArgsValues,
  kFullUri,
  kRawUri,
  kRawUriPath,
  kRawUriPathExtension,
  kRawUriQuery,
  kRawUriArgs,
  kRawUriArgsNames,
  kRawUriArgsValues,
  kRawFullUri,
  kHost,
  kUserAgent,
  kReferer,
  kCookie,
  kCookies,
  kHeaders,
  kHeadersNames,
  kHeadersValues,
  kVersion,
  kXForwardedFor,
  kBodyRaw,
  kBodySize,
  kBodyTruncated,
  kIpSrc,
  kSsl,
  kTimestampSec,
  kResponseCode,
  kResponseHeaders,
  kResponseHeadersNames,
  kResponseHeadersValues,
  // The constants `true` and `false` (Cloudflare's "match everything" is the expression `true`).
  kTrue,
  kFalse,
  // Appended: compiled programs carry fields by number (rules/ir.proto's Field).
  kTlsVersion,
  kTlsCipher,
  kTlsServerName,
  kServerPort,
  kServerIp,
  kRayId,
  kRandomSeed,
  kTimestampMsec,
  kHeadersTruncated,
  kAcceptedLanguages,
  // The body's inspected prefix, read as a url-encoded form or as multipart/form-data (by its
  // Content-Type), and the type its first bytes show.
  kBodyForm,
  kBodyFormNames,
  kBodyFormValues,
  kBodyMime,
  kBodyMultipart,
  kBodyMultipartNames,
  kBodyMultipartValues,
  kBodyMultipartFilenames,
  kBodyMultipartContentTypes,
  kBodyMultipartContentDispositions,
  kBodyMultipartContentTransferEncodings,
  // The client's geolocation (ip.src.*; rules/geo_location.h).
  kGeoCountry,
  kGeoContinent,
  kGeoIsInEuropeanUnion,
  kGeoCity,
  kGeoPostalCode,
  kGeoRegion,
  kGeoRegionCode,
  kGeoSubdivision1IsoCode,
  kGeoSubdivision2IsoCode,
  kGeoLat,
  kGeoLon,
  kGeoTimezoneName,
  kGeoMetroCode,
  kGeoAsnum,
};
inline constexpr int kFieldCount = static_cast<int>(FieldId::kGeoAsnum) + 1;

struct FieldDefinition {
  std::string_view name;
  FieldId id;
  Type type;
  bool response_only;  // in scope only in response phases
};

// The whole scheme, in FieldId order.
const std::vector<FieldDefinition>& AllFields();

// The field's name.
std::string_view FindFieldName(FieldId id);

// nullptr if there is no such field. Cloudflare's deprecated spellings (ip.geoip.country, ...)
// find the field they stand for.
const FieldDefinition* FindField(std::string_view name);

// Whether `id` is one of the geolocation fields, which look the client up (once per request).
bool IsGeoField(FieldId id);

// The closest known field name, for "did you mean" hints; empty if nothing is close.
std::string_view SuggestField(std::string_view name);

// Levenshtein distance, bounded work for short identifiers.
int EditDistance(std::string_view a, std::string_view b);

}  // namespace gatehouse::rules

#include "waf_inputs/request_collections.h"

#include <cstring>

#include "body/ascii.h"
#include "body/body_extent.h"
#include "body/json.h"
#include "body/xml.h"
#include "rules/ip_address.h"
#include "waf_inputs/request_target.h"

namespace gatehouse::waf_inputs {
namespace {

body::BodyExtent ExtentOf(bool truncated) {
  return truncated ? body::BodyExtent::kTruncated : body::BodyExtent::kWhole;
}

std::string_view FormatIp(const rules::IpAddress& ip, body::TextArena& arena) {
  char text[rules::kMaxIpAddressText];
  return arena.Copy(rules::FormatIpAddress(ip, text));
}

}  // namespace

std::string_view RequestCollections::Scalar(Collection collection) const {
  const std::vector<CollectionEntry>& entries = entries_[Index(collection)];
  return entries.empty() ? std::string_view() : entries.front().value;
}

std::size_t RequestCollections::Count(Collection collection, const KeySelector& selector) const {
  std::size_t count = 0;
  ForEach(collection, selector, [&count](const CollectionEntry&) { ++count; });
  return count;
}

void RequestCollections::Reset() {
  for (std::vector<CollectionEntry>& entries : entries_) entries.clear();
  arena_.Reset();
  form_fields_.clear();
  cookies_.clear();
  combined_argument_size_ = 0;
  any_argument_counted_ = false;
  body_processor_ = BodyProcessor::kNone;
  body_truncated_ = false;
}

void RequestCollections::SetScalar(Collection collection, std::string_view value) {
  std::vector<CollectionEntry>& entries = entries_[Index(collection)];
  if (entries.size() == 1) {  // set before (Build starts every scalar empty): overwritten
    entries[0] = CollectionEntry{std::string_view(), value};
    return;
  }
  entries.clear();
  entries.push_back(CollectionEntry{std::string_view(), value});
}

std::string_view RequestCollections::FormatNumber(uint64_t number) {
  char digits[20];
  std::size_t length = 0;
  do {
    digits[length++] = static_cast<char>('0' + number % 10);
    number /= 10;
  } while (number != 0);
  char* out = arena_.Allocate(length);
  for (std::size_t i = 0; i < length; ++i) out[i] = digits[length - 1 - i];
  return std::string_view(out, length);
}

void RequestCollections::Build(const rules::RequestData& request, BodyProcessor processor,
                               const RequestCollectionsOptions& options) {
  Reset();
  options_ = options;
  // libmodsecurity yields one value for every scalar, set or not.
  static const std::vector<Collection> kScalars = [] {
    std::vector<Collection> scalars;
    for (std::size_t i = 0; i < kCollectionCount; ++i) {
      if (IsScalar(static_cast<Collection>(i))) scalars.push_back(static_cast<Collection>(i));
    }
    return scalars;
  }();
  for (const Collection collection : kScalars) SetScalar(collection, "");
  SetScalar(Collection::kRemoteAddr, FormatIp(request.client_ip, arena_));
  SetScalar(Collection::kUrlencodedError, "0");
  ReadRequestLine(request);
  static const rules::HeaderList kNoHeaders;
  ReadHeaders(request.headers != nullptr ? *request.headers : kNoHeaders);
  ReadBody(request, processor);
  FillNames();
  if (any_argument_counted_) {
    // std::to_string(double), as libmodsecurity formats its running total.
    const std::string_view integer = FormatNumber(combined_argument_size_);
    char* out = arena_.Allocate(integer.size() + 7);
    std::memcpy(out, integer.data(), integer.size());
    std::memcpy(out + integer.size(), ".000000", 7);
    SetScalar(Collection::kArgsCombinedSize, std::string_view(out, integer.size() + 7));
  }
}

void RequestCollections::ReadRequestLine(const rules::RequestData& request) {
  SetScalar(Collection::kRequestMethod, request.method);
  SetScalar(Collection::kRequestProtocol, request.http_version);
  const std::size_t line_size =
      request.method.size() + 1 + request.raw_target.size() + 1 + request.http_version.size();
  char* line = arena_.Allocate(line_size);
  char* out = line;
  std::memcpy(out, request.method.data(), request.method.size());
  out += request.method.size();
  *out++ = ' ';
  std::memcpy(out, request.raw_target.data(), request.raw_target.size());
  out += request.raw_target.size();
  *out++ = ' ';
  std::memcpy(out, request.http_version.data(), request.http_version.size());
  SetScalar(Collection::kRequestLine, std::string_view(line, line_size));

  const RequestTarget target = ReadRequestTarget(request.raw_target, arena_);
  SetScalar(Collection::kRequestUri, target.uri);
  SetScalar(Collection::kRequestUriRaw, target.uri_raw);
  SetScalar(Collection::kRequestFilename, target.filename);
  SetScalar(Collection::kRequestBasename, target.basename);
  SetScalar(Collection::kQueryString, target.query_string);
  AddForm(ArgumentOrigin::kQuery, target.query_string);
}

void RequestCollections::ReadHeaders(const rules::HeaderList& headers) {
  for (const auto& [name, value] : headers) {
    Append(Collection::kRequestHeaders, name, value);
    Append(Collection::kRequestHeadersNames, name, name);
    if (body::EqualsIgnoreAsciiCase(name, "cookie")) {
      cookies_.clear();
      ParseCookieHeader(value, cookies_);
      for (const Cookie& cookie : cookies_) {
        Append(Collection::kRequestCookies, cookie.name, cookie.value);
        Append(Collection::kRequestCookiesNames, cookie.name, cookie.name);
      }
    }
  }
}

void RequestCollections::ReadBody(const rules::RequestData& request, BodyProcessor processor) {
  body_processor_ = processor;
  body_truncated_ = request.body.size() < request.body_size;
  SetScalar(Collection::kReqbodyProcessor, BodyProcessorName(processor));
  if (!request.body.empty()) {
    SetScalar(Collection::kRequestBody, request.body);
    SetScalar(Collection::kRequestBodyLength, FormatNumber(request.body.size()));
  }
  // Every processor but the url-encoded one reports success explicitly; libmodsecurity leaves
  // REQBODY_ERROR unset (empty) after a url-encoded body.
  if (processor != BodyProcessor::kUrlEncoded) {
    SetScalar(Collection::kReqbodyError, "0");
    SetScalar(Collection::kReqbodyProcessorError, "0");
  }
  switch (processor) {
    case BodyProcessor::kNone:
      break;
    case BodyProcessor::kUrlEncoded:
      AddForm(ArgumentOrigin::kBody, request.body);
      break;
    case BodyProcessor::kMultipart:
      ReadMultipart(request);
      break;
    case BodyProcessor::kJson:
      ReadJson(request);
      break;
    case BodyProcessor::kXml:
      ReadXml(request);
      break;
  }
}

void RequestCollections::ReadJson(const rules::RequestData& request) {
  body::JsonOptions json_options;
  json_options.depth_limit = options_.json_depth_limit;
  // Past the argument limit libmodsecurity's callback refuses the leaf, which ends the parse
  // with an error.
  const absl::Status status = body::ParseJson(
      request.body, ExtentOf(body_truncated_), json_options, arena_,
      [this](std::string_view name, std::string_view value) {
        return AddArgument(ArgumentOrigin::kJson, name, value);
      });
  if (!status.ok()) SetBodyError("JSON parsing error: ", status.message());
}

void RequestCollections::ReadXml(const rules::RequestData& request) {
  body::XmlOptions xml_options;
  xml_options.depth_limit = options_.xml_depth_limit;
  xml_options.max_nodes = options_.xml_max_nodes;
  const absl::Status status =
      body::ParseXml(request.body, ExtentOf(body_truncated_), xml_options, arena_, xml_);
  // libmodsecurity keeps the document it built before an error: XPath still reads it.
  if (xml_.has_root) Append(Collection::kXml, "/*", xml_.root_text);
  for (std::string_view value : xml_.attribute_values) Append(Collection::kXml, "//@*", value);
  // libmodsecurity reports every XML error with the same text.
  if (!status.ok()) SetBodyError("XML parsing error: XML: Failed parsing document.");
}

std::string_view RequestCollections::Flag(bool set) { return set ? "1" : "0"; }

void RequestCollections::ReadMultipart(const rules::RequestData& request) {
  std::string_view content_type;
  if (request.headers != nullptr) {
    for (const auto& [name, value] : *request.headers) {
      if (body::EqualsIgnoreAsciiCase(name, "content-type")) {
        content_type = value;
        break;
      }
    }
  }
  const absl::Status status = body::ParseMultipart(content_type, request.body,
                                                   ExtentOf(body_truncated_), arena_, multipart_);
  const body::MultipartFlags& flags = multipart_.flags;
  SetScalar(Collection::kMultipartBoundaryQuoted, Flag(flags.boundary_quoted));
  SetScalar(Collection::kMultipartBoundaryWhitespace, Flag(flags.boundary_whitespace));
  SetScalar(Collection::kMultipartDataBefore, Flag(flags.data_before));
  SetScalar(Collection::kMultipartDataAfter, Flag(flags.data_after));
  SetScalar(Collection::kMultipartHeaderFolding, Flag(flags.header_folding));
  SetScalar(Collection::kMultipartLfLine, Flag(flags.lf_line));
  SetScalar(Collection::kMultipartCrlfLfLines, Flag(flags.crlf_lf_lines()));
  SetScalar(Collection::kMultipartMissingSemicolon, Flag(flags.missing_semicolon));
  SetScalar(Collection::kMultipartInvalidQuoting, Flag(flags.invalid_quoting));
  SetScalar(Collection::kMultipartInvalidPart, Flag(flags.invalid_part));
  SetScalar(Collection::kMultipartInvalidHeaderFolding, Flag(flags.invalid_header_folding));
  // libmodsecurity 3.0.9 never sets MULTIPART_FILE_LIMIT_EXCEEDED: it stays empty.
  static constexpr std::string_view kUnmatched[] = {"0", "1", "2"};
  SetScalar(Collection::kMultipartUnmatchedBoundary, kUnmatched[flags.unmatched_boundary]);
  SetScalar(Collection::kMultipartStrictError, Flag(flags.strict_error()));

  for (std::string_view name : multipart_.names_seen) {
    Append(Collection::kMultipartName, name, name);
  }
  for (std::string_view filename : multipart_.filenames_seen) {
    Append(Collection::kMultipartFilename, filename, filename);
  }
  for (const body::MultipartHeaderLine& line : multipart_.header_lines) {
    Append(Collection::kMultipartPartHeaders, line.part_name, line.line);
  }
  if (multipart_.parts_reported) {
    uint64_t files_size = 0;
    bool any_file = false;
    for (const body::MultipartPart& part : multipart_.parts) {
      if (part.is_file) {
        any_file = true;
        files_size += part.size;
        Append(Collection::kFiles, part.name, part.filename);
        Append(Collection::kFilesNames, part.name, part.name);
        Append(Collection::kFilesSizes, part.name, FormatNumber(part.size));
      } else {
        // Fields go straight into ARGS: no argument limit, no ARGS_COMBINED_SIZE.
        Append(Collection::kArgs, part.name, part.value);
        Append(Collection::kArgsPost, part.name, part.value);
      }
    }
    if (any_file) SetScalar(Collection::kFilesCombinedSize, FormatNumber(files_size));
  }
  if (!status.ok()) SetBodyError("Multipart parsing error: ", status.message());
}

bool RequestCollections::AddArgument(ArgumentOrigin origin, std::string_view name,
                                     std::string_view value) {
  if (entries_[Index(Collection::kArgs)].size() >= options_.max_arguments) return false;
  Append(Collection::kArgs, name, value);
  if (origin == ArgumentOrigin::kQuery) Append(Collection::kArgsGet, name, value);
  if (origin == ArgumentOrigin::kBody) Append(Collection::kArgsPost, name, value);
  combined_argument_size_ += name.size() + value.size();
  any_argument_counted_ = true;
  return true;
}

void RequestCollections::AddForm(ArgumentOrigin origin, std::string_view input) {
  if (input.empty()) return;
  form_fields_.clear();
  const body::FormParseResult result =
      body::ParseForm(input, arena_, form_fields_, options_.argument_separator);
  if (result.invalid_encoding) SetScalar(Collection::kUrlencodedError, "1");
  for (const body::FormField& field : form_fields_) AddArgument(origin, field.name, field.value);
}

void RequestCollections::FillNames() {
  static constexpr std::pair<Collection, Collection> kNamesOf[] = {
      {Collection::kArgs, Collection::kArgsNames},
      {Collection::kArgsGet, Collection::kArgsGetNames},
      {Collection::kArgsPost, Collection::kArgsPostNames},
  };
  for (const auto& [values, names] : kNamesOf) {
    for (const CollectionEntry& entry : entries_[Index(values)]) {
      Append(names, entry.key, entry.key);
    }
  }
}

void RequestCollections::SetBodyError(std::string_view prefix, absl::string_view message) {
  char* text = arena_.Allocate(prefix.size() + message.size());
  std::memcpy(text, prefix.data(), prefix.size());
  std::memcpy(text + prefix.size(), message.data(), message.size());
  SetBodyError(std::string_view(text, prefix.size() + message.size()));
}

void RequestCollections::SetBodyError(std::string_view message) {
  SetScalar(Collection::kReqbodyError, "1");
  SetScalar(Collection::kReqbodyProcessorError, "1");
  SetScalar(Collection::kReqbodyErrorMsg, message);
  SetScalar(Collection::kReqbodyProcessorErrorMsg, message);
}

}  // namespace gatehouse::waf_inputs

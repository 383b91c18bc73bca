#include "tests/fuzz/body_fuzz.h"

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "body/body_extent.h"
#include "body/form.h"
#include "body/json.h"
#include "body/mime_sniff.h"
#include "body/multipart.h"
#include "body/text_arena.h"
#include "body/xml.h"

namespace gatehouse::testing {
namespace {

// A view is sound when it points into the input or anywhere else the parser owns: only the
// input's own range can be checked, so a view overlapping its edge is the failure looked for.
bool InsideOrOutside(std::string_view view, std::string_view input) {
  if (view.empty()) return true;
  const char* begin = input.data();
  const char* end = input.data() + input.size();
  const bool starts_inside = view.data() >= begin && view.data() < end;
  const bool ends_inside = view.data() + view.size() > begin && view.data() + view.size() <= end;
  return starts_inside == ends_inside;
}

// The prefixes a proxy could cut the body at.
std::vector<std::string_view> Cuts(std::string_view input) {
  return {input.substr(0, input.size() / 2), input.substr(0, input.size() * 9 / 10),
          input.substr(0, input.size() > 0 ? input.size() - 1 : 0)};
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

void CheckForm(std::string_view input) {
  body::TextArena arena;
  std::vector<body::FormField> fields;
  const body::FormParseResult result = body::ParseForm(input, arena, fields);
  std::size_t separators = 0;
  for (char c : input) separators += c == '&' ? 1 : 0;
  RequireInvariant(fields.size() <= separators + 1, "more fields than pieces", input);
  std::size_t decoded = 0;
  for (const body::FormField& field : fields) {
    RequireInvariant(InsideOrOutside(field.name, input) && InsideOrOutside(field.value, input),
                     "a form view straddles the input", input);
    decoded += field.name.size() + field.value.size();
  }
  RequireInvariant(decoded <= input.size(), "decoding grew the form", input);
  RequireInvariant(!result.invalid_encoding || input.find('%') != std::string_view::npos,
                   "an invalid escape without a '%'", input);
  std::vector<body::FormField> again;
  body::ParseForm(input, arena, again);
  RequireInvariant(again == fields, "the form parser is not deterministic", input);
}

struct MultipartRun {
  absl::Status status;
  body::MultipartBody body;
};

void CheckMultipart(std::string_view input) {
  const std::size_t newline = input.find('\n');
  const std::string_view content_type =
      newline == std::string_view::npos ? "multipart/form-data; boundary=XX" : input.substr(0, newline);
  const std::string_view data = newline == std::string_view::npos ? input : input.substr(newline + 1);
  body::TextArena arena;
  auto run = [&](std::string_view bytes, body::BodyExtent extent) {
    MultipartRun result;
    result.status = body::ParseMultipart(content_type, bytes, extent, arena, result.body);
    return result;
  };
  const MultipartRun whole = run(data, body::BodyExtent::kWhole);
  const body::MultipartFlags& flags = whole.body.flags;
  RequireInvariant(!flags.crlf_lf_lines() || (flags.crlf_line && flags.lf_line),
                   "CRLF_LF without both", input);
  RequireInvariant(flags.unmatched_boundary >= 0 && flags.unmatched_boundary <= 2,
                   "MULTIPART_UNMATCHED_BOUNDARY out of range", input);
  RequireInvariant(!(flags.data_before || flags.lf_line || flags.invalid_part || flags.error) ||
                       flags.strict_error(),
                   "MULTIPART_STRICT_ERROR misses a flag", input);
  RequireInvariant(!whole.status.ok() || whole.body.parts_reported || !whole.body.read,
                   "a successful reading that reports no fields", input);
  for (const body::MultipartPart& part : whole.body.parts) {
    RequireInvariant(part.content.empty() ||
                         (part.content.data() >= data.data() &&
                          part.content.data() + part.content.size() <= data.data() + data.size()),
                     "a part's content is outside the body", input);
    RequireInvariant(part.value.size() <= part.content.size(),
                     "a field value longer than its content", input);
    RequireInvariant(!part.name.empty(), "a kept part without a name", input);
  }
  for (const body::MultipartHeaderLine& line : whole.body.header_lines) {
    RequireInvariant(InsideOrOutside(line.line, data) && InsideOrOutside(line.part_name, data),
                     "a header line straddles the body", input);
  }
  const MultipartRun again = run(data, body::BodyExtent::kWhole);
  RequireInvariant(again.status == whole.status &&
                       again.body.parts.size() == whole.body.parts.size() &&
                       again.body.header_lines.size() == whole.body.header_lines.size(),
                   "the multipart parser is not deterministic", input);
  for (std::string_view cut : Cuts(data)) {
    const MultipartRun prefix = run(cut, body::BodyExtent::kTruncated);
    RequireInvariant(prefix.status.message() != "Multipart: Final boundary missing." &&
                         prefix.status.message() != "Multipart: No boundaries found in payload.",
                     "a cut body is reported as unfinished", input);
  }
}

Pairs JsonLeaves(std::string_view input, body::BodyExtent extent, absl::Status* status) {
  body::TextArena arena;
  Pairs leaves;
  *status = body::ParseJson(input, extent, body::JsonOptions(), arena,
                            [&](std::string_view name, std::string_view value) {
                              RequireInvariant(
                                  InsideOrOutside(name, input) && InsideOrOutside(value, input),
                                  "a JSON view straddles the input", input);
                              leaves.emplace_back(name, value);
                              return true;
                            });
  return leaves;
}

void CheckJson(std::string_view input) {
  absl::Status status;
  const Pairs leaves = JsonLeaves(input, body::BodyExtent::kWhole, &status);
  for (const auto& [name, value] : leaves) {
    RequireInvariant(name.compare(0, 4, "json") == 0, "a JSON name without its root", input);
    std::size_t segments = 0;
    for (char c : name) segments += c == '.' ? 1 : 0;
    // A key may hold dots itself: only a name made of array segments can be bounded.
    if (name.find("\"") == std::string::npos && name.find("array_") != std::string::npos &&
        name.find_first_not_of("json.ary_0123456789") == std::string::npos) {
      RequireInvariant(segments <= 513, "a JSON name deeper than the limit", input);
    }
  }
  absl::Status again_status;
  RequireInvariant(JsonLeaves(input, body::BodyExtent::kWhole, &again_status) == leaves &&
                       again_status == status,
                   "the JSON parser is not deterministic", input);
  if (status.ok()) {
    absl::Status cut_status;
    const Pairs cut = JsonLeaves(input, body::BodyExtent::kTruncated, &cut_status);
    // Whole, the document ended in a number or literal the final space closed; cut, it may
    // still be open: the leaves can only be fewer.
    RequireInvariant(cut_status.ok() && cut.size() <= leaves.size(),
                     "a whole document reads worse cut", input);
  }
  for (std::string_view cut : Cuts(input)) {
    absl::Status cut_status;
    JsonLeaves(cut, body::BodyExtent::kTruncated, &cut_status);
    RequireInvariant(cut_status.message().find("premature EOF") == absl::string_view::npos,
                     "a cut document is reported as unfinished", input);
  }
}

void CheckXml(std::string_view input) {
  body::TextArena arena;
  auto run = [&](std::string_view bytes, body::BodyExtent extent, body::XmlValues& values) {
    return body::ParseXml(bytes, extent, body::XmlOptions(), arena, values);
  };
  body::XmlValues whole;
  const absl::Status status = run(input, body::BodyExtent::kWhole, whole);
  RequireInvariant(whole.has_root || (whole.root_text.empty() && whole.attribute_values.empty()),
                   "XML values without a root", input);
  for (std::string_view value : whole.attribute_values) {
    RequireInvariant(InsideOrOutside(value, input), "an attribute value straddles the input",
                     input);
  }
  body::XmlValues again;
  RequireInvariant(run(input, body::BodyExtent::kWhole, again) == status &&
                       again.root_text == whole.root_text &&
                       again.attribute_values == whole.attribute_values,
                   "the XML reader is not deterministic", input);
  if (status.ok()) {
    body::XmlValues cut;
    RequireInvariant(run(input, body::BodyExtent::kTruncated, cut).ok() &&
                         cut.root_text == whole.root_text &&
                         cut.attribute_values == whole.attribute_values,
                     "a whole document reads differently cut", input);
  }
  for (std::string_view prefix : Cuts(input)) {
    body::XmlValues cut;
    const absl::Status cut_status = run(prefix, body::BodyExtent::kTruncated, cut);
    RequireInvariant(cut_status.message().find("premature end") == absl::string_view::npos,
                     "a cut document is reported as unfinished", input);
  }
}

using Check = void (*)(std::string_view);
// http.request.body.mime: a known type or nothing, from the first bytes only, the same for
// the same bytes.
void CheckMimeSniff(std::string_view input) {
  const std::string_view type = body::SniffMimeType(input);
  RequireInvariant(type.empty() || type.find('/') != std::string_view::npos,
                   "a sniffed type without a '/'", input);
  RequireInvariant(!input.empty() || type.empty(), "an empty body has a type", input);
  if (input.size() > body::kMimeSniffBytes + 8) {
    std::string longer(input);
    longer.append("\x01\xff");
    RequireInvariant(body::SniffMimeType(longer) == type, "bytes past the window changed the type",
                     input);
  }
}

constexpr Check kChecks[] = {CheckForm, CheckMultipart, CheckJson, CheckXml, CheckMimeSniff};

FuzzTarget MakeTarget(Check check, std::vector<std::string_view> tokens) {
  return {[check](std::string_view input) { check(input); }, std::move(tokens)};
}

}  // namespace

FuzzTarget FormFuzzTarget() {
  return MakeTarget(CheckForm, {"&", "=", "%", "%4", "%41", "%zz", "+", "%00", "&&", "==", "%u00"});
}

FuzzTarget MultipartFuzzTarget() {
  return MakeTarget(CheckMultipart,
                    {"\r\n", "\n", "--XX", "--XX--", "--XX\r\n", "Content-Disposition: form-data",
                     "; name=\"", "; filename=\"", "filename*=UTF-8''", "\"", "'", "\\",
                     "Content-Type: text/plain", " folded", "\t", "\v", "\0", ":", ";",
                     "boundary=", "multipart/form-data"});
}

FuzzTarget JsonFuzzTarget() {
  return MakeTarget(CheckJson, {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d",
                                "\\ude00", "true", "false", "null", "-", "0", "1e5", ".5",
                                "\xc3\xa9", "\xff", "/*", " ", "[[[[[[[["});
}

FuzzTarget XmlFuzzTarget() {
  return MakeTarget(CheckXml, {"<", ">", "</", "/>", "<a>", "</a>", "=\"", "\"", "'", "&",
                               "&amp;", "&#", "&#x", ";", "<![CDATA[", "]]>", "<!--", "-->",
                               "<?", "?>", "<?xml version=\"1.0\"?>", "<!DOCTYPE a [", "]>",
                               "<!ENTITY e \"v\">", "xmlns:p=", "\r\n", "\xc3\xa9", "\xff", "\0"});
}

FuzzTarget BodyFuzzTargetByName(std::string_view name) {
  if (name == "form") return FormFuzzTarget();
  if (name == "multipart") return MultipartFuzzTarget();
  if (name == "json") return JsonFuzzTarget();
  if (name == "xml") return XmlFuzzTarget();
  if (name == "sniff") {
    return MakeTarget(CheckMimeSniff,
                      {"RIFF", "WEBP", "\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "<html", "<?xml",
                       "ftyp", "%PDF-", " ", "\xc3", "\xa9", "\xe2\x82", "\0", "\x7f"});
  }
  return FuzzTarget{};
}

}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  gatehouse::testing::kChecks[data[0] % std::size(gatehouse::testing::kChecks)](input);
  return 0;
}

#include "waf_inputs/body_processor.h"

#include "body/ascii.h"

namespace gatehouse::waf_inputs {
namespace {

bool IsContentType(std::string_view name) { return body::EqualsIgnoreAsciiCase(name, "content-type"); }

// 200000's pattern ^(?:application(?:/soap\+|/)|text/)xml over the lower-cased value.
bool NamesXml(std::string_view value) {
  return body::StartsWithIgnoreAsciiCase(value, "application/soap+xml") ||
         body::StartsWithIgnoreAsciiCase(value, "application/xml") ||
         body::StartsWithIgnoreAsciiCase(value, "text/xml");
}

}  // namespace

std::string_view BodyProcessorName(BodyProcessor processor) {
  switch (processor) {
    case BodyProcessor::kNone:
      return "";
    case BodyProcessor::kUrlEncoded:
      return "URLENCODED";
    case BodyProcessor::kMultipart:
      return "MULTIPART";
    case BodyProcessor::kJson:
      return "JSON";
    case BodyProcessor::kXml:
      return "XML";
  }
  return "";
}

BodyProcessor SelectBodyProcessor(const rules::HeaderList& headers) {
  bool xml = false;
  bool json = false;
  BodyProcessor form = BodyProcessor::kNone;
  for (const auto& [name, value] : headers) {
    if (!IsContentType(name)) continue;
    xml = xml || NamesXml(value);
    json = json || body::StartsWithIgnoreAsciiCase(value, "application/json");
    if (body::StartsWithIgnoreAsciiCase(value, "multipart/form-data")) {
      form = BodyProcessor::kMultipart;
    } else if (body::StartsWithIgnoreAsciiCase(value, "application/x-www-form-urlencoded")) {
      form = BodyProcessor::kUrlEncoded;
    }
  }
  if (json) return BodyProcessor::kJson;
  if (xml) return BodyProcessor::kXml;
  return form;
}

}  // namespace gatehouse::waf_inputs

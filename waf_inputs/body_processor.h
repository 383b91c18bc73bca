#ifndef GATEHOUSE_WAF_INPUTS_BODY_PROCESSOR_H_
#define GATEHOUSE_WAF_INPUTS_BODY_PROCESSOR_H_

#include <string_view>

#include "rules/request_data.h"

namespace gatehouse::waf_inputs {

// How the request body is read into the request collections.
enum class BodyProcessor {
  kNone,        // the body is only REQUEST_BODY
  kUrlEncoded,  // ARGS_POST
  kMultipart,   // ARGS_POST, FILES, MULTIPART_*
  kJson,        // ARGS named json.a.b
  kXml,         // XML:/* and XML://@*
};

// REQBODY_PROCESSOR's value: "", "URLENCODED", "MULTIPART", "JSON" or "XML".
std::string_view BodyProcessorName(BodyProcessor processor);

// The processor libmodsecurity 3 runs for these request headers with CRS's recommended engine
// set-up (modsecurity.conf): rule 200000 chooses XML when a Content-Type, lower-cased, starts with
// "application/xml", "application/soap+xml" or "text/xml"; rule 200001 chooses JSON for one
// starting with "application/json" and, running later, wins. Otherwise the engine's own reading
// of the Content-Type headers decides, the last one that names a form winning:
// "multipart/form-data..." is multipart, "application/x-www-form-urlencoded..." url-encoded, both
// ignoring case. Anything else is kNone.
BodyProcessor SelectBodyProcessor(const rules::HeaderList& headers);

}  // namespace gatehouse::waf_inputs

#endif  // GATEHOUSE_WAF_INPUTS_BODY_PROCESSOR_H_

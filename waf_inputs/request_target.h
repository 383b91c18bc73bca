#ifndef GATEHOUSE_WAF_INPUTS_REQUEST_TARGET_H_
#define GATEHOUSE_WAF_INPUTS_REQUEST_TARGET_H_

#include <string_view>

#include "body/text_arena.h"

namespace gatehouse::waf_inputs {

// The request-target as libmodsecurity 3.0.9 splits it (Transaction::processURI). Its choices,
// each seen in its variables:
//   - REQUEST_URI_RAW is the target as received; every other variable ends before the first raw
//     '#' (a fragment; "%23" is not one).
//   - QUERY_STRING is raw: what follows the first '?'.
//   - REQUEST_URI is the whole target %-decoded ('+' stays '+', an invalid escape stays as it
//     is); for an absolute-form target ("http://host/p?q") it starts at the path.
//   - REQUEST_FILENAME is the decoded target up to the first '?' of the *decoded* text, so
//     "/a%3fb" is "/a"; an absolute-form target keeps its scheme and host here.
//   - REQUEST_BASENAME is what follows the filename's last '/' or '\'; empty when that is the last
//     byte or there is neither.
struct RequestTarget {
  std::string_view uri;
  std::string_view uri_raw;
  std::string_view filename;
  std::string_view basename;
  std::string_view query_string;
};

// Views point into `raw_target` or `arena`.
RequestTarget ReadRequestTarget(std::string_view raw_target, body::TextArena& arena);

}  // namespace gatehouse::waf_inputs

#endif  // GATEHOUSE_WAF_INPUTS_REQUEST_TARGET_H_

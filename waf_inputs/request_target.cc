#include "waf_inputs/request_target.h"

#include "body/percent_decoding.h"

namespace gatehouse::waf_inputs {
namespace {

// "scheme://authority/path" -> "/path"; anything else as it is. libmodsecurity looks for "//"
// right after the first ':' and then for the first '/' after it; a target with no such '/' stays
// whole.
std::string_view PathOfAbsoluteForm(std::string_view decoded) {
  if (decoded.empty() || decoded.front() == '/') return decoded;
  const std::size_t colon = decoded.find(':');
  if (colon == std::string_view::npos) return decoded;
  const std::size_t authority = colon + 1;
  if (decoded.find("//", authority) != authority) return decoded;
  const std::size_t path = decoded.find('/', authority + 2);
  if (path == std::string_view::npos) return decoded;
  return decoded.substr(path);
}

}  // namespace

RequestTarget ReadRequestTarget(std::string_view raw_target, body::TextArena& arena) {
  RequestTarget target;
  target.uri_raw = raw_target;
  // Everything but REQUEST_URI_RAW ends before a fragment.
  const std::string_view without_fragment = raw_target.substr(0, raw_target.find('#'));
  const std::size_t raw_question = without_fragment.find('?');
  if (raw_question != std::string_view::npos) {
    target.query_string = without_fragment.substr(raw_question + 1);
  }
  const std::string_view decoded =
      body::PercentDecode(without_fragment, body::PlusSign::kLiteral, arena).text;
  target.uri = PathOfAbsoluteForm(decoded);
  target.filename = decoded.substr(0, decoded.find('?'));
  const std::size_t slash = target.filename.find_last_of("/\\");
  if (slash != std::string_view::npos) target.basename = target.filename.substr(slash + 1);
  return target;
}

}  // namespace gatehouse::waf_inputs

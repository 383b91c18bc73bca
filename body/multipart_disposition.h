#ifndef GATEHOUSE_BODY_MULTIPART_DISPOSITION_H_
#define GATEHOUSE_BODY_MULTIPART_DISPOSITION_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "body/text_arena.h"

namespace gatehouse::body {

// A part's Content-Disposition as libmodsecurity 3.0.9 reads it (parse_content_disposition).
struct ContentDisposition {
  std::string_view name;      // empty when absent
  std::string_view filename;  // empty when absent
  // A parameter value in single quotes, a ' inside a name or file name, or a quote before junk
  // (MULTIPART_INVALID_QUOTING).
  bool invalid_quoting = false;
  // Every name= and filename= value read, in order, including those of a header refused later:
  // libmodsecurity's MULTIPART_NAME and MULTIPART_FILENAME.
  std::vector<std::string_view> names_seen;
  std::vector<std::string_view> filenames_seen;
};

// Reads `value`: "form-data" (exactly, in lower case), then optionally ';' and parameters
// name=value separated by ';', spaces and tabs around each part allowed. A value is a token or
// is quoted with '"' or '\'' (only the quote and '\' can be escaped; "\x" keeps its backslash).
// Only name, filename and filename* are understood; a repeated one, any other parameter, junk
// after a value, a filename* that is not charset'language'token, or filename* without filename
// is refused. filename* is checked, not used. InvalidArgument carries the message
// libmodsecurity reports ("Multipart: Invalid Content-Disposition header (-11): form-data; x=1");
// `result` keeps what was read before the refusal, as libmodsecurity's part does.
// Unescaped text is a view into `value`, escaped text goes to `arena`.
absl::Status ParseContentDisposition(std::string_view value, TextArena& arena,
                                     ContentDisposition& result);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_MULTIPART_DISPOSITION_H_

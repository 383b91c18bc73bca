#ifndef GATEHOUSE_BODY_MULTIPART_CONTENT_TYPE_H_
#define GATEHOUSE_BODY_MULTIPART_CONTENT_TYPE_H_

#include <string_view>

#include "absl/status/status.h"

namespace gatehouse::body {

// What libmodsecurity 3.0.9 reads from a multipart request's Content-Type (Multipart::init).
struct MultipartBoundary {
  std::string_view boundary;  // a view into the Content-Type value
  bool quoted = false;             // MULTIPART_BOUNDARY_QUOTED: boundary="..."
  bool whitespace = false;         // MULTIPART_BOUNDARY_WHITESPACE: around the '='
  bool missing_semicolon = false;  // MULTIPART_MISSING_SEMICOLON: no ';' before "boundary"
  // The body is not read: the Content-Type was refused with a message (an error, counted in
  // MULTIPART_STRICT_ERROR), or without one for an empty unquoted boundary ("boundary=").
  bool refused = false;
};

// Reads the boundary as libmodsecurity does, a little stricter than RFC 2046: the value must
// start with "multipart/form-data" (any case); only whitespace and one ';' may come between that
// and the parameter "boundary", spelled in lower case and the only word "boundary" followed later
// by a '=' (ignoring case); spaces before the '=' and after it are flagged; a quoted value loses
// its quotes, a value partly quoted is refused; an unquoted value ends at the first ';' (later
// parameters are tolerated); the boundary may hold only RFC 2046's characters, a space not last.
// InvalidArgument carries libmodsecurity's message ("Multipart: Invalid boundary in C-T
// (quote)."); `result` holds the flags read up to the refusal.
absl::Status ReadMultipartBoundary(std::string_view content_type, MultipartBoundary& result);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_MULTIPART_CONTENT_TYPE_H_

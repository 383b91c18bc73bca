#ifndef GATEHOUSE_BODY_MULTIPART_H_
#define GATEHOUSE_BODY_MULTIPART_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "body/body_extent.h"
#include "body/multipart_content_type.h"
#include "body/text_arena.h"

namespace gatehouse::body {

// libmodsecurity reads a multipart body in lines of at most this many bytes (MULTIPART_BUF_SIZE):
// a longer data line is read in pieces, a longer part-header line is an error.
inline constexpr std::size_t kMultipartLineLimit = 4096;

// The strict-validation flags libmodsecurity 3.0.9 computes for a multipart body.
struct MultipartFlags {
  bool boundary_quoted = false;      // MULTIPART_BOUNDARY_QUOTED
  bool boundary_whitespace = false;  // MULTIPART_BOUNDARY_WHITESPACE
  bool missing_semicolon = false;    // MULTIPART_MISSING_SEMICOLON: "multipart/form-data boundary="
  bool data_before = false;          // MULTIPART_DATA_BEFORE: bytes before the first boundary
  bool data_after = false;           // MULTIPART_DATA_AFTER: bytes after the final boundary
  bool header_folding = false;       // MULTIPART_HEADER_FOLDING: a part header continued
  bool invalid_header_folding = false;  // ... with other whitespace than SP or HTAB
  bool lf_line = false;              // MULTIPART_LF_LINE: a line ended by LF alone
  bool crlf_line = false;            // a line ended by CRLF
  bool invalid_quoting = false;      // MULTIPART_INVALID_QUOTING
  bool invalid_part = false;         // MULTIPART_INVALID_PART: a part without a name, or a
                                     // boundary line inside a part's headers
  bool file_limit_exceeded = false;  // MULTIPART_FILE_LIMIT_EXCEEDED: never set by 3.0.9 here
  // MULTIPART_UNMATCHED_BOUNDARY: 0; 1 when a line starts like the boundary but is not it, or a
  // data line holds "--boundary"; 2 when a boundary line matched after the first (the last event
  // wins, so a well-formed body ends at 2).
  int unmatched_boundary = 0;
  bool error = false;  // a fatal error stopped the reading

  bool crlf_lf_lines() const { return crlf_line && lf_line; }  // MULTIPART_CRLF_LF_LINES
  // MULTIPART_STRICT_ERROR: any flag above but unmatched_boundary and crlf_line.
  bool strict_error() const;
};

// A part libmodsecurity completed (a boundary followed it) and kept (it has a name).
struct MultipartPart {
  std::string_view name;
  std::string_view filename;  // with is_file: FILES; "" for a field
  bool is_file = false;       // the Content-Disposition had a non-empty filename
  std::string_view content_type;  // its Content-Type header, "" if none
  std::string_view content_disposition;        // its Content-Disposition header, as sent
  std::string_view content_transfer_encoding;  // its Content-Transfer-Encoding, "" if none
  // The bytes between the blank line ending the headers and the line ending before the next
  // boundary, as sent.
  std::string_view content;
  // For a field, ARGS_POST's value as libmodsecurity 3.0.9 computes it: each line of `content`
  // without its line ending (it drops them), "a\r\nb" read as "ab".
  std::string_view value;
  // FILES_SIZES for a file: `content`'s size.
  uint64_t size = 0;
};

// One line of MULTIPART_PART_HEADERS: keyed by its part's name ("" for a part without one), the
// header line as received (with its line ending) or, once folded, "Name: value" with the
// continuations joined by spaces.
struct MultipartHeaderLine {
  std::string_view part_name;
  std::string_view line;
};

struct MultipartBody {
  MultipartFlags flags;
  // The Content-Type was accepted and the body read (libmodsecurity sets MULTIPART_* either way).
  bool read = false;
  // Named parts, in order.
  std::vector<MultipartPart> parts;
  // libmodsecurity turns `parts` into ARGS and FILES only when it saw the final boundary (or the
  // body was cut at the inspection limit, where Gatehouse does too): false after "Final boundary
  // missing" and "No boundaries found in payload".
  bool parts_reported = false;
  std::vector<MultipartHeaderLine> header_lines;  // added as each part completes
  std::vector<std::string_view> names_seen;       // MULTIPART_NAME
  std::vector<std::string_view> filenames_seen;   // MULTIPART_FILENAME
};

// Reads a multipart/form-data body as libmodsecurity 3.0.9 does (Multipart::init, process,
// multipart_complete), so every MULTIPART_* flag, ARGS_POST value and FILES entry comes out as it
// computes them. `content_type` is the request's first Content-Type header. Returns the error
// libmodsecurity reports as REQBODY_ERROR_MSG after "Multipart parsing error: " (InvalidArgument,
// e.g. "Multipart: Final boundary missing."); like libmodsecurity, most errors do not stop the
// reading, and the last one is reported. `body` is filled either way; views point into `body`,
// `content_type` or `arena`.
//
// With kTruncated, a missing final boundary is not an error: the parts completed so far are
// reported, and so is the part being read at the cut.
absl::Status ParseMultipart(std::string_view content_type, std::string_view input,
                            BodyExtent extent, TextArena& arena, MultipartBody& body);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_MULTIPART_H_

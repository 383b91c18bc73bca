#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ftw/stage.h"

namespace gatehouse::ftw {

// A request as a test runner sends it: bytes, not yet validated by any HTTP parser (the corpus
// holds deliberately malformed requests).
struct Request {
  std::string method;
  std::string uri;
  std::string version;  // e.g. "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The request on the wire: request line, headers, blank line, body.
  std::string Serialize() const;
};

// Completes a stage's input the way go-ftw does, so every runner sends the same bytes (the
// corpus's README; `legacy` selects the CRS 3.x Python-ftw differences):
//  - with data and no Content-Type: application/x-www-form-urlencoded;
//  - a form body is URL-encoded unless it already looks encoded (holds '%' or '+');
//  - a multipart body written as one string gets CRLF line ends;
//  - Connection: close, and Content-Length for a non-empty body (and, outside legacy files, for
//    every POST/PUT/PATCH/DELETE).
// stop_magic / autocomplete_headers: false send the input as written. An encoded_request or
// raw_request is split into its parts and sent unchanged.
Request BuildRequest(const StageInput& input, bool legacy);

// Splits a whole request written as bytes (line ends CRLF or LF) into its parts, as go-ftw
// reads raw requests.
Request ParseRawRequest(std::string_view raw);

// application/x-www-form-urlencoded encoding of `data`'s names and values (go-ftw's rule),
// unless `data` already looks encoded.
std::string EncodeFormData(std::string_view data);

}  // namespace gatehouse::ftw

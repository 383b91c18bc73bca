#ifndef GATEHOUSE_DETECT_CRS_CHECK_FTW_REQUEST_H_
#define GATEHOUSE_DETECT_CRS_CHECK_FTW_REQUEST_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::crs_check {

// An HTTP request as a CRS regression test sends it, before any decoding.
struct HttpRequest {
  std::string method;
  std::string uri;
  std::string version;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// A stage's input as the YAML writes it (crs_stages.py lists them).
struct FtwInput {
  std::string method = "GET";
  std::string uri = "/";
  std::string version = "HTTP/1.1";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string data;
  // go-ftw completes the headers unless a stage says stop_magic or autocomplete_headers: false.
  bool autocomplete = true;
  // A stage's encoded_request, decoded: the whole request, sent as it is.
  std::string raw_request;
};

// The request go-ftw sends for `input` (its README: completion happens the same way in every
// runner): with data and no Content-Type, Content-Type application/x-www-form-urlencoded; a form
// body URL-encoded unless it already is (FormEncodeUnlessEncoded); '\n' as CRLF in a multipart
// body; Connection: close and Content-Length when absent. A raw request is parsed instead.
HttpRequest BuildFtwRequest(const FtwInput& input);

// go-ftw's form encoding: `data` as it is when it already looks URL-encoded (a '%' not followed
// by two hex digits, or decoding would change it); otherwise each '&'-separated name and value
// encoded as a form field (space as '+', bytes other than A-Z a-z 0-9 - _ . ~ as %HH).
std::string FormEncodeUnlessEncoded(std::string_view data);

// A request as bytes on the wire: request line, headers up to an empty line (CRLF or LF), body.
HttpRequest ParseRawRequest(std::string_view raw);

// Header names compare without regard to case.
bool SameHeaderName(std::string_view a, std::string_view b);

// The value of the first header named `name` (any case), or nullptr.
const std::string* FindHeader(const HttpRequest& request, std::string_view name);

}  // namespace gatehouse::crs_check

#endif  // GATEHOUSE_DETECT_CRS_CHECK_FTW_REQUEST_H_

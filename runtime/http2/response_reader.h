#pragma once

// Reads back the response the request path wrote for one HTTP/2 stream (HTTP/1.1 bytes, as the
// edge writes every response: response_encoder.h) as what HTTP/2 sends: the status and fields
// of each head, without the fields that mean something only on an HTTP/1.1 connection, and the
// body's bytes without their framing.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/http/http_types.h"

namespace gatehouse::runtime::http2 {

// A response head as HTTP/2 sends it: lower-case names, ":status" first.
struct ResponseHead {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> fields;  // ":status" first
  bool has_body = false;  // a DATA frame follows (false: the HEADERS frame ends the stream)
};

class ResponseReader {
 public:
  // `head_request`: the request was HEAD (its response has no body whatever its head says).
  explicit ResponseReader(bool head_request);
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  // Parses a head from `input`, consuming what it used. True with `head` set when one is
  // whole (an interim 1xx head is followed by another); false when more bytes are needed or
  // on `error` (the bytes are not a response).
  bool ReadHead(beast::flat_buffer& input, ResponseHead& head, beast::error_code& error);

  // Moves body bytes from `input` into [to, to + capacity), unframed; returns how many.
  size_t ReadBody(beast::flat_buffer& input, char* to, size_t capacity, beast::error_code& error);

  // The final head was read.
  bool head_done() const { return head_done_; }
  // The whole response was read.
  bool done() const { return head_done_ && parser_->is_done(); }

 private:
  void Reset();

  const bool head_request_;
  std::optional<ResponseParser> parser_;
  bool head_done_ = false;
};

}  // namespace gatehouse::runtime::http2

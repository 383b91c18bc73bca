#pragma once

// The HTTP/1.1 head an HTTP/2 request's header block stands for, as the request path reads it
// (RFC 9113 §8.3: the request line from the pseudo-header fields, Host from :authority, cookie
// crumbs joined, §8.2.3). The block is checked as RFC 9113 §8.2 and §8.3 require whatever the
// framing layer already checked: a malformed request is refused per stream, never translated
// into something an HTTP/1.1 parser could read another way.

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gatehouse::runtime::http2 {

class RequestHeadBuilder {
 public:
  // `max_bytes`: the header list's size limit (each field's name, value and 32, RFC 9113
  // §6.5.2's measure); past it the request is refused (431), not malformed.
  explicit RequestHeadBuilder(size_t max_bytes) : max_bytes_(max_bytes) {}
  RequestHeadBuilder(const RequestHeadBuilder&) = delete;
  RequestHeadBuilder& operator=(const RequestHeadBuilder&) = delete;

  // One field of the block, in order. InvalidArgument: the request is malformed (the stream is
  // reset with PROTOCOL_ERROR); ResourceExhausted: the block is over the limit (the fields
  // after it are not kept).
  absl::Status Add(std::string_view name, std::string_view value);

  // The head once the block is whole; `body_follows`: the HEADERS frame did not end the
  // stream. A body is sent chunked (`chunked()` says so) when it has no content-length, or when
  // the request announces trailer fields (a `trailer` field): only a chunked body can carry
  // them to an HTTP/1.1 origin.
  absl::StatusOr<std::string> Finish(bool body_follows);

  // One field of the trailer section (a HEADERS frame that ends the stream after its body),
  // checked as a regular field of the head is (no pseudo-header, no connection-specific field,
  // the same size limit, counted apart from the head's): InvalidArgument or ResourceExhausted.
  absl::Status AddTrailer(std::string_view name, std::string_view value);
  // What ends the request's chunked body: the last chunk with the trailer fields received.
  std::string LastChunk() const;

  // The request's body is framed as chunks in the head Finish returned.
  bool chunked() const { return chunked_; }
  // The request is HEAD: its response has no body whatever its head says.
  bool head_request() const { return method_ == "HEAD"; }
  const std::string& method() const { return method_; }
  // The header list's size so far, by RFC 9113's measure.
  size_t size() const { return size_; }

 private:
  absl::Status AddPseudo(std::string_view name, std::string_view value);
  // RFC 9113 §8.2's checks of a regular field's name, and its value's; `size` counts toward
  // the limit.
  absl::Status CheckField(std::string_view name, std::string_view value, size_t& size) const;

  const size_t max_bytes_;
  size_t size_ = 0;
  bool over_limit_ = false;
  bool regular_seen_ = false;  // pseudo-header fields must all come first
  bool has_method_ = false;
  bool has_scheme_ = false;
  bool has_path_ = false;
  bool has_authority_ = false;
  bool has_content_length_ = false;
  bool has_host_ = false;
  bool announces_trailers_ = false;  // a `trailer` field
  bool chunked_ = false;
  size_t trailer_size_ = 0;
  std::string method_;
  std::string path_;
  std::string authority_;
  std::string host_;
  std::string cookie_;  // crumbs joined with "; "
  std::string fields_;  // "name: value\r\n" for every other field
  std::string content_length_;
  std::string trailers_;  // "name: value\r\n" for each trailer field
};

}  // namespace gatehouse::runtime::http2

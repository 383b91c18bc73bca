#include "runtime/http/response_encoder.h"

namespace gatehouse::runtime {

HttpResponse MakeEdgeResponse(http::status status, unsigned version, std::string_view body,
                              std::string_view content_type) {
  HttpResponse response(status, version);
  response.set(http::field::content_type, content_type);
  response.body() = std::string(body);
  response.prepare_payload();
  return response;
}

bool ResponseHasBody(int status, bool head_request) {
  return !head_request && status >= 200 && status != 204 && status != 304;
}

bool MayCarryContentLength(int status, bool edge_made) {
  if (status < 200 || status == 204) return false;
  return !(edge_made && status == 304);
}

void ResponseEncoder::WriteHead(const http::response_header<>& response,
                                const rules::HeaderList* fields, uint64_t content_length,
                                bool edge_made) {
  ClientResponseEdits edits;
  edits.version = client_.version;
  edits.headers = fields;
  edits.ray_id = edge_.ray_id;
  edits.zone_version = edge_.zone_version;
  edits.snapshot_version = edge_.snapshot_version;
  edits.keep_alive = keep_alive_;
  edits.framing = framing_;
  edits.content_length = content_length;
  edits.omit_content_length =
      !MayCarryContentLength(static_cast<int>(response.result_int()), edge_made);
  if (client_.framed == nullptr) {
    WriteClientResponseHead(response, edits, head_);
    framer_.emplace(head_, framing_);
    return;
  }
  // The protocol delimits the body itself: its bytes go as they are, after a head of fields
  // that keeps only a length the body is known to have.
  const BodyFraming raw =
      framing_ == BodyFraming::kNone ? BodyFraming::kNone : BodyFraming::kUntilClose;
  if (framing_ == BodyFraming::kChunked) edits.framing = raw;
  WriteClientResponseFields(response, edits, fields_);
  fields_.has_body = framing_ != BodyFraming::kNone && !client_.head_request;
  framer_.emplace(std::string_view(), raw);
}

std::span<const asio::const_buffer> ResponseEncoder::Frame(std::string_view piece, bool last) {
  const std::span<const asio::const_buffer> buffers = framer_->Frame(piece, last);
  if (client_.framed != nullptr) {
    if (!head_out_) client_.framed->SubmitHead(fields_);
    if (last) client_.framed->EndBodyAfter(asio::buffer_size(buffers));
  }
  head_out_ = true;
  return buffers;
}

std::span<const asio::const_buffer> ResponseEncoder::EncodeWhole(const HttpResponse& response,
                                                                 const rules::HeaderList* fields) {
  const std::string_view body = response.body();
  // HEAD is not asked here: its head carries the Content-Length a GET would get.
  framing_ = ResponseHasBody(static_cast<int>(response.result_int()), /*head_request=*/false)
                 ? BodyFraming::kContentLength
                 : BodyFraming::kNone;
  keep_alive_ = client_.may_keep_alive;
  WriteHead(response.base(), fields, body.size(), /*edge_made=*/true);
  const bool send_body = !client_.head_request && framing_ != BodyFraming::kNone;
  body_bytes_ = send_body ? body.size() : 0;
  return Frame(send_body ? body : std::string_view(), /*last=*/true);
}

void ResponseEncoder::BeginRelay(const http::response_header<>& response,
                                 std::optional<uint64_t> content_length,
                                 const rules::HeaderList* fields) {
  keep_alive_ = client_.may_keep_alive;
  framing_ = BodyFraming::kNone;
  if (ResponseHasBody(static_cast<int>(response.result_int()), client_.head_request)) {
    if (content_length.has_value()) {
      framing_ = BodyFraming::kContentLength;
    } else if (client_.version >= 11) {
      framing_ = BodyFraming::kChunked;
    } else {
      framing_ = BodyFraming::kUntilClose;
      keep_alive_ = false;  // an HTTP/1.0 client learns the body's end from the close
    }
  }
  WriteHead(response, fields, content_length.value_or(0), /*edge_made=*/false);
}

std::span<const asio::const_buffer> ResponseEncoder::EncodeBodyPiece(std::string_view piece,
                                                                     bool last) {
  return Frame(piece, last);
}

http::response<http::empty_body> SwitchingProtocolsHead(const http::response_header<>& origin,
                                                        std::string_view ray_id) {
  http::response<http::empty_body> switching;
  switching.base() = origin;
  switching.set(kRayHeader, ray_id);
  switching.set(http::field::via, kVia);
  return switching;
}

}  // namespace gatehouse::runtime

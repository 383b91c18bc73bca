#pragma once

// The one owner of response framing. Every response the edge sends or relays to a client is
// encoded here: its head (through WriteClientResponseHead) and its body's framing —
// Content-Length, chunked or delimited by the connection's close — and with it whether the
// connection stays open. Nothing here touches a socket: the caller sends the buffers.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "boost/beast/http/empty_body.hpp"
#include "rules/request_data.h"
#include "runtime/http/http_types.h"
#include "runtime/http/response_sink.h"
#include "runtime/http/wire_format.h"

namespace gatehouse::runtime {

// What a response's framing depends on besides the response itself.
struct ResponseClient {
  unsigned version = 11;       // the client's HTTP version
  bool head_request = false;   // a HEAD gets the head a GET would get, and no body
  // The connection may carry another request: the client asked for it, its request was read
  // whole, and the server is not draining.
  bool may_keep_alive = true;
  // Non-null: the client's protocol frames responses itself (HTTP/2) and takes each head from
  // here as fields; the encoder then writes the body's bytes unframed.
  FramedResponseSink* framed = nullptr;
};

// The edge's own headers on every response of one request.
struct EdgeHeaders {
  std::string_view ray_id;
  std::string_view zone_version;      // empty: no header
  std::string_view snapshot_version;  // empty: no header
};

// A response the edge makes itself (errors, blocks), with a short text body.
HttpResponse MakeEdgeResponse(http::status status, unsigned version, std::string_view body,
                              std::string_view content_type = "text/plain");

// Whether a response with this status carries a body (RFC 9112 §6.3): not 1xx, 204 or 304, and
// not the answer to a HEAD.
bool ResponseHasBody(int status, bool head_request);

// Whether a response's head may carry Content-Length (RFC 9110 §8.6): never a 1xx's or a 204's;
// a 304's only as the length of the 200 it stands for, which an origin knows and the edge
// (`edge_made`: answering itself) does not.
bool MayCarryContentLength(int status, bool edge_made);

// Encodes one response for the client. The head is written into `head` (the connection's reused
// storage), which must outlive the buffers the encoder returns. To a client whose protocol frames
// responses itself (ResponseClient::framed) the head goes as fields, with the first buffers
// returned, and the last buffers' size tells it where the body ends.
class ResponseEncoder {
 public:
  ResponseEncoder(const ResponseClient& client, const EdgeHeaders& edge, std::string& head)
      : client_(client), edge_(edge), head_(head) {}
  ResponseEncoder(const ResponseEncoder&) = delete;
  ResponseEncoder& operator=(const ResponseEncoder&) = delete;

  // A response the edge holds whole (its own answers, custom error pages): head and body in one
  // write. It is framed by Content-Length from the body it carries, whatever fields a response
  // phase put in place of the response's own (`fields`; null: the response's). A HEAD gets the
  // length a GET would get and no body; 1xx, 204 and 304 get neither, and no Content-Length.
  std::span<const asio::const_buffer> EncodeWhole(const HttpResponse& response,
                                                  const rules::HeaderList* fields);

  // An origin's response whose body streams through: Content-Length when the origin declared
  // one (`content_length`), else chunked to an HTTP/1.1 client, else delimited by the close of
  // the connection (an HTTP/1.0 client has no other way to learn the end). `fields`: the
  // response phases' fields, null: the origin's. A 1xx's or 204's head loses any
  // Content-Length; a 304's keeps the origin's. The head goes out with the first piece.
  void BeginRelay(const http::response_header<>& response, std::optional<uint64_t> content_length,
                  const rules::HeaderList* fields);
  // The buffers that put the next piece of a relayed body on the wire; `last` ends the body.
  // Valid until the next call. May be empty (nothing owed yet).
  std::span<const asio::const_buffer> EncodeBodyPiece(std::string_view piece, bool last);

  // Whether the response has a body to relay (false: the head is all).
  bool has_body() const { return framing_ != BodyFraming::kNone; }
  // Whether the head was handed out (in returned buffers, or to the framing protocol): from
  // then on the client sees this response, not another.
  bool head_out() const { return head_out_; }
  // Whether the connection may carry another request after this response.
  bool keep_alive() const { return keep_alive_; }
  // The body bytes EncodeWhole put on the wire.
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  void WriteHead(const http::response_header<>& response, const rules::HeaderList* fields,
                 uint64_t content_length, bool edge_made);
  // The framer's buffers for `piece`, the head handed to a framing protocol with the first.
  std::span<const asio::const_buffer> Frame(std::string_view piece, bool last);

  const ResponseClient client_;
  const EdgeHeaders edge_;
  std::string& head_;
  BodyFraming framing_ = BodyFraming::kNone;
  bool keep_alive_ = false;
  uint64_t body_bytes_ = 0;
  bool head_out_ = false;
  std::optional<BodyFramer> framer_;
  ResponseFields fields_;  // the head, for a framing protocol (ResponseClient::framed)
};

// The origin's 101 as relayed before a tunnel: its own fields (Upgrade, Connection) and version,
// with the edge's Via and ray ID. No framing: raw bytes follow.
http::response<http::empty_body> SwitchingProtocolsHead(const http::response_header<>& origin,
                                                        std::string_view ray_id);

}  // namespace gatehouse::runtime

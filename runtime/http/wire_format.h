#pragma once

// What a forwarded message looks like on the wire. The proxy writes the heads of the messages it
// forwards itself, into a buffer each connection reuses, and sends the head with the first piece
// of the body in one gather write: no copy of the received fields into a second header object,
// and no generic serializer walking a buffer sequence per byte range.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "rules/request_data.h"
#include "runtime/http/header_rules.h"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

// How a message's body is delimited on the wire.
enum class BodyFraming {
  kNone,           // no body (HEAD, 1xx, 204, 304)
  kContentLength,  // exactly Content-Length bytes
  kChunked,        // Transfer-Encoding: chunked
  kUntilClose,     // the connection's end ends the body (HTTP/1.0 answers)
};

// The fields a message's header had, told apart from those a parser adds later from a chunked
// body's trailer section (it inserts each next to the fields of the same name, so their
// position does not tell). Refers to the fields' nodes: valid while the message keeps them.
class HeaderFieldSet {
 public:
  explicit HeaderFieldSet(const http::fields& fields);
  bool Contains(const http::fields::value_type& field) const;

 private:
  absl::InlinedVector<const void*, 32> nodes_;  // sorted
};

// What the proxy changes in a request it forwards to an origin.
struct UpstreamRequestEdits {
  std::string_view target;                    // the request-target to send
  const rules::HeaderList* headers = nullptr;  // rewritten fields; null: the request's own
  std::string_view host;                      // replaces Host when not empty
  // Appended to X-Forwarded-For: the address the request was received from (ClientInfo), never
  // the client read from X-Forwarded-For, so each hop appears once and the origin can walk
  // the list as the edge does.
  std::string_view received_from;
  std::string_view forwarded_proto = "http";  // X-Forwarded-Proto: how the client came
  std::string_view upgrade;                   // an Upgrade request's protocol; empty: none
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;                // with kContentLength
  // Non-null: only these of the request's own fields go in the head; the others are its
  // chunked body's trailer section's (a parser adds them once it read the body), which go with
  // the last chunk.
  const HeaderFieldSet* header_fields = nullptr;
};

// The head of `request` as forwarded: HTTP/1.1, hop-by-hop fields and Expect removed,
// X-Forwarded-For / X-Forwarded-Proto / Via set, and the body framing the proxy sends.
void WriteUpstreamRequestHead(const http::request_header<>& request,
                              const UpstreamRequestEdits& edits, std::string& out);

// What the proxy changes in an origin's response it relays to the client.
struct ClientResponseEdits {
  unsigned version = 11;                      // the client's HTTP version
  const rules::HeaderList* headers = nullptr;  // response phases' fields; null: the origin's
  std::string_view ray_id;
  std::string_view zone_version;              // the serving zone's version; empty: no header
  std::string_view snapshot_version;          // the deployment's; empty: no header (opt-in)
  bool keep_alive = true;
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;                // with kContentLength
  // No Content-Length field at all, whatever the fields carry (a 204's head, say).
  bool omit_content_length = false;
};

// The head of `response` as relayed: in the client's version, hop-by-hop fields removed, Via and
// the edge's headers set, Connection as `keep_alive` requires, and the body framing.
void WriteClientResponseHead(const http::response_header<>& response,
                             const ClientResponseEdits& edits, std::string& out);

// A relayed response's head as fields, for a client protocol that frames heads itself (HTTP/2):
// the same fields WriteClientResponseHead writes, without the status line, the Connection field
// (no protocol but HTTP/1.x has one) or a body framing but Content-Length. Names keep the case
// they came in (HTTP/2's encoder lower-cases them). The views point into the response, the
// edits and `content_length_digits`: valid while those are.
struct ResponseFields {
  int status = 0;
  absl::InlinedVector<std::pair<std::string_view, std::string_view>, 16> fields;
  bool has_body = false;  // body bytes follow the head (false: the head is the whole response)
  char content_length_digits[24];
};

// `response`'s head with `edits` (its version, keep_alive and a framing other than
// kContentLength do not apply) as fields, into `out`.
void WriteClientResponseFields(const http::response_header<>& response,
                               const ClientResponseEdits& edits, ResponseFields& out);

// The trailer fields of a chunked request as forwarded ("name: value\r\n" each, appended to
// `out`): the fields of `message` not in `header` (a parser adds the trailer section's to the
// header's), without those that may not be trailers (RFC 9110 §6.5.1: the hop-by-hop ones,
// framing, Host).
void WriteTrailerFields(const http::fields& message, const HeaderFieldSet& header,
                        std::string& out);

// Names of the edge's own response headers.
inline constexpr std::string_view kRayHeader = "gatehouse-ray";
inline constexpr std::string_view kZoneVersionHeader = "gatehouse-zone-version";
inline constexpr std::string_view kSnapshotHeader = "gatehouse-snapshot";
inline constexpr std::string_view kVia = "1.1 gatehouse";

// Frames a body piece by piece for the wire, the head going out with the first piece.
class BodyFramer {
 public:
  // `head` must stay valid until the first Frame's buffers are written.
  BodyFramer(std::string_view head, BodyFraming framing) : head_(head), framing_(framing) {}
  BodyFramer(const BodyFramer&) = delete;
  BodyFramer& operator=(const BodyFramer&) = delete;

  // The buffers that put `piece` on the wire; `last` ends the body (chunked: with the last
  // chunk, carrying `trailers`, WriteTrailerFields' lines; other framings cannot). Valid until
  // the next call (and `trailers` must be). An empty piece that is not the last yields only
  // what is still owed of the head, possibly nothing.
  std::span<const asio::const_buffer> Frame(std::string_view piece, bool last,
                                            std::string_view trailers = {});

 private:
  std::string_view head_;  // empty once sent
  const BodyFraming framing_;
  std::array<asio::const_buffer, 6> buffers_;
  char size_line_[24];
};

}  // namespace gatehouse::runtime

#include "runtime/http/wire_format.h"

#include <algorithm>
#include <charconv>

#include "boost/beast/core/string.hpp"

namespace gatehouse::runtime {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";
constexpr std::string_view kCrlfLastChunk = "\r\n0\r\n\r\n";
constexpr std::string_view kLastChunkLine = "0\r\n";
constexpr std::string_view kCrlfLastChunkLine = "\r\n0\r\n";

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append(kCrlf);
}

void AppendNumber(std::string& out, uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
  out.append(digits, static_cast<size_t>(end - digits));
}

void AppendFraming(std::string& out, BodyFraming framing, uint64_t content_length) {
  if (framing == BodyFraming::kContentLength) {
    out.append("Content-Length: ");
    AppendNumber(out, content_length);
    out.append(kCrlf);
  } else if (framing == BodyFraming::kChunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  }
}

// Calls `visit(name, value)` for each field: the rewritten list when there is one, else the
// message's own fields (those of `header` only, when given).
template <bool kIsRequest, typename Visit>
void ForEachField(const http::header<kIsRequest>& message, const rules::HeaderList* rewritten,
                  Visit visit, const HeaderFieldSet* header = nullptr) {
  if (rewritten != nullptr) {
    for (const auto& [name, value] : *rewritten) visit(name, value);
  } else {
    for (const auto& field : message) {
      if (header == nullptr || header->Contains(field)) visit(field.name_string(), field.value());
    }
  }
}

// A relayed body's framing replaces the Content-Length the fields carried; a message without a
// body (HEAD's answer, 304) keeps it: it tells the size a GET would get.
bool IsFramingField(std::string_view name, BodyFraming framing) {
  return framing != BodyFraming::kNone && beast::iequals(name, "content-length");
}

// The request fields the edge writes itself in what it forwards (the framing, Via,
// X-Forwarded-For and -Proto) or answers itself (Expect): a client's never pass as they are,
// neither in the head (X-Forwarded-For is merged there) nor as trailers, where an origin that
// merges trailers into headers would take them for the edge's.
bool IsEdgeWrittenRequestField(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "expect") ||
         beast::iequals(name, "via") || beast::iequals(name, "x-forwarded-for") ||
         beast::iequals(name, "x-forwarded-proto");
}

}  // namespace

void WriteUpstreamRequestHead(const http::request_header<>& request,
                              const UpstreamRequestEdits& edits, std::string& out) {
  out.clear();
  out.append(request.method_string()).append(" ").append(edits.target).append(" HTTP/1.1\r\n");
  const HopByHopNames hop_by_hop(request);
  // X-Forwarded-For keeps what earlier proxies said (all its fields, in order) and adds ours.
  std::string_view forwarded_for;
  size_t forwarded_for_fields = 0;
  std::string joined_forwarded_for;
  ForEachField(
      request, edits.headers,
      [&](std::string_view name, std::string_view value) {
        if (beast::iequals(name, "x-forwarded-for")) {
          if (forwarded_for_fields++ == 0) {
            forwarded_for = value;
          } else {
            if (forwarded_for_fields == 2) joined_forwarded_for = forwarded_for;
            joined_forwarded_for.append(", ").append(value);
            forwarded_for = joined_forwarded_for;
          }
          return;
        }
        if (hop_by_hop.Contains(name) || IsEdgeWrittenRequestField(name) ||
            (!edits.host.empty() && beast::iequals(name, "host"))) {
          return;
        }
        AppendField(out, name, value);
      },
      edits.header_fields);
  if (!edits.host.empty()) AppendField(out, "Host", edits.host);
  out.append("X-Forwarded-For: ");
  if (!forwarded_for.empty()) out.append(forwarded_for).append(", ");
  out.append(edits.received_from).append(kCrlf);
  AppendField(out, "X-Forwarded-Proto", edits.forwarded_proto);
  AppendField(out, "Via", kVia);
  if (!edits.upgrade.empty()) {
    AppendField(out, "Upgrade", edits.upgrade);
    AppendField(out, "Connection", "upgrade");
  }
  AppendFraming(out, edits.framing, edits.content_length);
  out.append(kCrlf);
}

namespace {

// Calls `visit(name, value)` for each field a relayed response's head carries but its framing
// and Connection: the one place that decides which of the response's fields are hop-by-hop,
// for HTTP/1.1 and HTTP/2 alike.
template <typename Visit>
void ForEachRelayedField(const http::response_header<>& response, const ClientResponseEdits& edits,
                         Visit visit) {
  const HopByHopNames hop_by_hop(response);
  ForEachField(response, edits.headers, [&](std::string_view name, std::string_view value) {
    if (hop_by_hop.Contains(name) || IsFramingField(name, edits.framing) ||
        (edits.omit_content_length && beast::iequals(name, "content-length")) ||
        beast::iequals(name, "via") || beast::iequals(name, kRayHeader) ||
        beast::iequals(name, kSnapshotHeader) || beast::iequals(name, kZoneVersionHeader)) {
      return;
    }
    visit(name, value);
  });
  visit("Via", kVia);
  visit(kRayHeader, edits.ray_id);
  if (!edits.zone_version.empty()) visit(kZoneVersionHeader, edits.zone_version);
  if (!edits.snapshot_version.empty()) visit(kSnapshotHeader, edits.snapshot_version);
}

}  // namespace

void WriteClientResponseHead(const http::response_header<>& response,
                             const ClientResponseEdits& edits, std::string& out) {
  out.clear();
  out.append(edits.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(out, response.result_int());
  out.append(" ");
  std::string_view reason = response.reason();
  if (reason.empty()) reason = http::obsolete_reason(response.result());
  out.append(reason).append(kCrlf);
  ForEachRelayedField(response, edits, [&out](std::string_view name, std::string_view value) {
    AppendField(out, name, value);
  });
  if (!edits.keep_alive) {
    AppendField(out, "Connection", "close");
  } else if (edits.version == 10) {
    AppendField(out, "Connection", "keep-alive");
  }
  AppendFraming(out, edits.framing, edits.content_length);
  out.append(kCrlf);
}

void WriteClientResponseFields(const http::response_header<>& response,
                               const ClientResponseEdits& edits, ResponseFields& out) {
  out.status = static_cast<int>(response.result_int());
  out.fields.clear();
  ForEachRelayedField(response, edits, [&out](std::string_view name, std::string_view value) {
    out.fields.emplace_back(name, value);
  });
  if (edits.framing == BodyFraming::kContentLength) {
    char* end = std::to_chars(out.content_length_digits,
                              out.content_length_digits + sizeof(out.content_length_digits),
                              edits.content_length)
                    .ptr;
    out.fields.emplace_back("content-length",
                            std::string_view(out.content_length_digits,
                                             static_cast<size_t>(end - out.content_length_digits)));
  }
}

HeaderFieldSet::HeaderFieldSet(const http::fields& fields) {
  // The fields' value_type, not the list's element (another address): what Contains gets.
  for (const http::fields::value_type& field : fields) nodes_.push_back(&field);
  std::sort(nodes_.begin(), nodes_.end());
}

bool HeaderFieldSet::Contains(const http::fields::value_type& field) const {
  return std::binary_search(nodes_.begin(), nodes_.end(), static_cast<const void*>(&field));
}

void WriteTrailerFields(const http::fields& message, const HeaderFieldSet& header,
                        std::string& out) {
  for (const auto& field : message) {
    if (header.Contains(field)) continue;
    const std::string_view name = field.name_string();
    if (HopByHopNames::IsFixed(name) || IsEdgeWrittenRequestField(name) ||
        beast::iequals(name, "host")) {
      continue;
    }
    AppendField(out, name, field.value());
  }
}

std::span<const asio::const_buffer> BodyFramer::Frame(std::string_view piece, bool last,
                                                      std::string_view trailers) {
  size_t count = 0;
  if (!head_.empty()) {
    buffers_[count++] = asio::buffer(head_.data(), head_.size());
    head_ = {};
  }
  switch (framing_) {
    case BodyFraming::kNone:
      break;
    case BodyFraming::kContentLength:
    case BodyFraming::kUntilClose:
      if (!piece.empty()) buffers_[count++] = asio::buffer(piece.data(), piece.size());
      break;
    case BodyFraming::kChunked:
      if (!piece.empty()) {
        char* end = std::to_chars(size_line_, size_line_ + sizeof(size_line_) - 2,
                                  piece.size(), 16).ptr;
        *end++ = '\r';
        *end++ = '\n';
        buffers_[count++] = asio::buffer(size_line_, static_cast<size_t>(end - size_line_));
        buffers_[count++] = asio::buffer(piece.data(), piece.size());
        const std::string_view tail =
            !last ? kCrlf : (trailers.empty() ? kCrlfLastChunk : kCrlfLastChunkLine);
        buffers_[count++] = asio::buffer(tail.data(), tail.size());
      } else if (last) {
        const std::string_view tail = trailers.empty() ? kLastChunk : kLastChunkLine;
        buffers_[count++] = asio::buffer(tail.data(), tail.size());
      }
      if (last && !trailers.empty()) {
        buffers_[count++] = asio::buffer(trailers.data(), trailers.size());
        buffers_[count++] = asio::buffer(kCrlf.data(), kCrlf.size());
      }
      break;
  }
  return {buffers_.data(), count};
}

}  // namespace gatehouse::runtime

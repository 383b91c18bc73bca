#include "runtime/http2/response_reader.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "runtime/http/buffered_parse.h"

namespace gatehouse::runtime::http2 {
namespace {

// RFC 9113 §8.2.2: never sent in HTTP/2.
constexpr std::array<std::string_view, 5> kConnectionSpecific = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"};

std::string Lower(std::string_view name) {
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
  return out;
}

}  // namespace

ResponseReader::ResponseReader(bool head_request) : head_request_(head_request) { Reset(); }

void ResponseReader::Reset() {
  parser_.emplace();
  parser_->body_limit(boost::none);  // streamed through
  parser_->skip(head_request_);
}

bool ResponseReader::ReadHead(beast::flat_buffer& input, ResponseHead& head,
                              beast::error_code& error) {
  if (!ParseBufferedHeader(*parser_, input, error) || error) return false;
  const auto& response = parser_->get();
  head.status = static_cast<int>(response.result_int());
  head.fields.clear();
  head.fields.emplace_back(":status", std::to_string(head.status));
  for (const auto& field : response) {
    std::string name = Lower(field.name_string());
    if (std::find(kConnectionSpecific.begin(), kConnectionSpecific.end(), name) !=
        kConnectionSpecific.end()) {
      continue;
    }
    head.fields.emplace_back(std::move(name), std::string(field.value()));
  }
  if (head.status / 100 == 1) {
    // Interim (100 Continue): the final head follows.
    Reset();
    head.has_body = false;
    return true;
  }
  head_done_ = true;
  head.has_body = !parser_->is_done();
  return true;
}

size_t ResponseReader::ReadBody(beast::flat_buffer& input, char* to, size_t capacity,
                                beast::error_code& error) {
  auto& body = parser_->get().body();
  size_t produced = 0;
  // A put may consume only chunk framing: go on while bytes are at hand.
  while (produced < capacity && !parser_->is_done() && input.size() > 0) {
    body.data = to + produced;
    body.size = capacity - produced;
    const size_t before = input.size();
    ParseBufferedBody(*parser_, input, error);
    if (error == http::error::need_buffer) error = {};
    if (error) return produced;
    produced += (capacity - produced) - body.size;
    if (input.size() == before) break;  // needs more bytes
  }
  return produced;
}

}  // namespace gatehouse::runtime::http2

#include "tests/fuzz/http2_request_fuzz.h"

#include <iterator>
#include <string>
#include <string_view>

#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/parser.hpp"
#include "runtime/http2/request_head.h"

namespace gatehouse::testing {
namespace {

namespace http = boost::beast::http;

constexpr size_t kMaxBytes = 2048;

void Check(std::string_view input) {
  if (input.empty()) return;
  const bool body_follows = (input.back() & 1) != 0;
  runtime::http2::RequestHeadBuilder builder(kMaxBytes);
  std::string_view rest = input.substr(0, input.size() - 1);
  bool refused = false;
  bool too_large = false;
  size_t listed = 0;
  while (!rest.empty() && !refused) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const size_t colon = line.find(':', 1);
    const std::string_view name = line.substr(0, colon);
    const std::string_view value =
        colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    listed += name.size() + value.size() + 32;
    const absl::Status added = builder.Add(name, value);
    refused = !added.ok();
    too_large = absl::IsResourceExhausted(added);
  }
  RequireInvariant(!(listed > kMaxBytes && !refused), "a list over the limit was accepted", input);
  if (refused) {
    RequireInvariant(too_large == (listed > kMaxBytes), "too large without being over", input);
    return;
  }
  const absl::StatusOr<std::string> head = builder.Finish(body_follows);
  if (!head.ok()) return;
  http::request_parser<http::empty_body> parser;
  parser.header_limit(64 * 1024);
  boost::beast::error_code error;
  const size_t used = parser.put(boost::asio::buffer(*head), error);
  RequireInvariant(!error && parser.is_header_done(), "the head does not parse", input);
  RequireInvariant(used == head->size(), "bytes left over after the head", input);
  const auto& request = parser.get();
  RequireInvariant(request.method_string() == builder.method(), "another method", input);
  for (http::field field : {http::field::connection, http::field::upgrade, http::field::keep_alive,
                            http::field::proxy_connection}) {
    RequireInvariant(request.count(field) == 0, "a connection-specific field", input);
  }
  RequireInvariant((request.count(http::field::transfer_encoding) != 0) == builder.chunked(),
                   "Transfer-Encoding without chunking", input);
  RequireInvariant(request.count(http::field::host) <= 1, "more than one Host", input);
}

}  // namespace

FuzzTarget Http2RequestFuzzTarget() {
  static constexpr std::string_view kTokens[] = {
      ":method:GET\n",
      ":method:POST\n",
      ":method:CONNECT\n",
      ":scheme:https\n",
      ":path:/\n",
      ":path:*\n",
      ":authority:a.test\n",
      "host:a.test\n",
      "host:b.test\n",
      "cookie:a=1\n",
      "content-length:5\n",
      "transfer-encoding:chunked\n",
      "te:trailers\n",
      "connection:close\n",
      "upgrade:h2c\n",
      "\r\n",
      " ",
      "\t",
      std::string_view("\0", 1),
      "X-Up:1\n",
      ":protocol:ws\n",
      "\n",
      ":",
      "\x01",
  };
  return {[](std::string_view input) { Check(input); },
          std::vector<std::string_view>(std::begin(kTokens), std::end(kTokens))};
}

}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gatehouse::testing::Http2RequestFuzzTarget().run(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

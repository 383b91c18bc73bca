#include "runtime/http/upstream_exchange.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

TEST(UpstreamExchangeTest, AnOriginFailureSaysWhatHappened) {
  const OriginFailure timeout = DescribeOriginFailure(beast::error::timeout);
  EXPECT_EQ(timeout.status, http::status::gateway_timeout);
  EXPECT_EQ(timeout.action, "origin_timeout");
  const OriginFailure malformed = DescribeOriginFailure(http::error::bad_status);
  EXPECT_EQ(malformed.status, http::status::bad_gateway);
  EXPECT_EQ(malformed.text, "The origin sent a malformed response.\n");
  // A close is not a malformed response, though Beast reports it as its own error.
  for (const beast::error_code closed :
       {beast::error_code(http::error::end_of_stream),
        beast::error_code(http::error::partial_message),
        beast::error_code(asio::error::connection_reset)}) {
    EXPECT_EQ(DescribeOriginFailure(closed).text,
              "The origin closed the connection without an answer.\n")
        << closed.message();
  }
  EXPECT_EQ(kOriginUnreachable.status, http::status::bad_gateway);
}

TEST(UpstreamExchangeTest, OnlyIdempotentMethodsAreSentTwice) {
  for (const http::verb method : {http::verb::get, http::verb::head, http::verb::options,
                                  http::verb::trace, http::verb::put, http::verb::delete_}) {
    EXPECT_TRUE(IsIdempotent(method)) << http::to_string(method);
  }
  for (const http::verb method : {http::verb::post, http::verb::patch, http::verb::connect}) {
    EXPECT_FALSE(IsIdempotent(method)) << http::to_string(method);
  }
}

}  // namespace
}  // namespace gatehouse::runtime

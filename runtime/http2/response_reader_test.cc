#include "runtime/http2/response_reader.h"

#include <string>

#include "gtest/gtest.h"

namespace gatehouse::runtime::http2 {
namespace {

void Put(beast::flat_buffer& buffer, std::string_view bytes) {
  asio::buffer_copy(buffer.prepare(bytes.size()), asio::buffer(bytes));
  buffer.commit(bytes.size());
}

std::string Field(const ResponseHead& head, const std::string& name) {
  for (const auto& [key, value] : head.fields) {
    if (key == name) return value;
  }
  return "<none>";
}

TEST(ResponseReaderTest, ReadsAChunkedResponseUnframed) {
  ResponseReader reader(false);
  beast::flat_buffer input;
  Put(input,
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
      "Connection: keep-alive\r\nGatehouse-Ray: r1\r\n\r\n5\r\nhello\r\n");
  ResponseHead head;
  beast::error_code error;
  ASSERT_TRUE(reader.ReadHead(input, head, error));
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.has_body);
  EXPECT_EQ(head.fields.front().first, ":status");
  EXPECT_EQ(Field(head, "content-type"), "text/plain");
  EXPECT_EQ(Field(head, "gatehouse-ray"), "r1");
  EXPECT_EQ(Field(head, "transfer-encoding"), "<none>");
  EXPECT_EQ(Field(head, "connection"), "<none>");
  char body[64];
  size_t n = reader.ReadBody(input, body, sizeof(body), error);
  EXPECT_FALSE(error);
  EXPECT_EQ(std::string(body, n), "hello");
  EXPECT_FALSE(reader.done());
  Put(input, "0\r\n\r\n");
  n = reader.ReadBody(input, body, sizeof(body), error);
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(reader.done());
}

TEST(ResponseReaderTest, PassesAnInterimHeadThenTheFinalOne) {
  ResponseReader reader(false);
  beast::flat_buffer input;
  Put(input, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
  ResponseHead head;
  beast::error_code error;
  ASSERT_TRUE(reader.ReadHead(input, head, error));
  EXPECT_EQ(head.status, 100);
  EXPECT_FALSE(reader.head_done());
  ASSERT_TRUE(reader.ReadHead(input, head, error));
  EXPECT_EQ(head.status, 204);
  EXPECT_FALSE(head.has_body);
  EXPECT_TRUE(reader.done());
}

TEST(ResponseReaderTest, AHeadResponseHasNoBody) {
  ResponseReader reader(true);
  beast::flat_buffer input;
  Put(input, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
  ResponseHead head;
  beast::error_code error;
  ASSERT_TRUE(reader.ReadHead(input, head, error));
  EXPECT_FALSE(head.has_body);
  EXPECT_EQ(Field(head, "content-length"), "10");
}

TEST(ResponseReaderTest, WaitsForAWholeHead) {
  ResponseReader reader(false);
  beast::flat_buffer input;
  Put(input, "HTTP/1.1 200 OK\r\nContent-Le");
  ResponseHead head;
  beast::error_code error;
  EXPECT_FALSE(reader.ReadHead(input, head, error));
  EXPECT_FALSE(error);
  Put(input, "ngth: 2\r\n\r\nok");
  ASSERT_TRUE(reader.ReadHead(input, head, error));
  char body[8];
  EXPECT_EQ(reader.ReadBody(input, body, sizeof(body), error), 2u);
  EXPECT_TRUE(reader.done());
}

}  // namespace
}  // namespace gatehouse::runtime::http2

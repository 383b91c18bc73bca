#include "runtime/http/request_admission.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

http::request_header<> Request(http::verb method, std::string_view target,
                               std::vector<std::pair<std::string, std::string>> fields,
                               unsigned version = 11) {
  http::request_header<> request;
  request.method(method);
  request.target(target);
  request.version(version);
  for (const auto& [name, value] : fields) request.insert(name, value);
  return request;
}

TEST(RequestAdmissionTest, OriginFormWithHost) {
  // The admission's views point into the request, which must outlive it.
  const auto request = Request(http::verb::get, "/a?b", {{"Host", "C.test:8080"}});
  const Admission admitted = AdmitRequest(request, false);
  ASSERT_EQ(admitted.verdict, Admission::Verdict::kServe);
  EXPECT_EQ(admitted.host, "c.test");
  EXPECT_EQ(admitted.target.origin_form(), "/a?b");
  EXPECT_EQ(admitted.target.authority, "");
}

TEST(RequestAdmissionTest, AbsoluteFormAuthorityWinsOverHost) {
  const auto request = Request(http::verb::get, "http://c.test/admin", {{"Host", "d.test"}});
  const Admission admitted = AdmitRequest(request, false);
  ASSERT_EQ(admitted.verdict, Admission::Verdict::kServe);
  EXPECT_EQ(admitted.host, "c.test");
  EXPECT_EQ(admitted.target.authority, "c.test");
  EXPECT_EQ(admitted.target.origin_form(), "/admin");
}

TEST(RequestAdmissionTest, RefusalsAndTheirStatus) {
  const auto status = [](const http::request_header<>& request) {
    const Admission admission = AdmitRequest(request, false);
    return admission.verdict == Admission::Verdict::kRefuse ? static_cast<int>(admission.status)
                                                            : 0;
  };
  EXPECT_EQ(status(Request(http::verb::connect, "c.test:443", {{"Host", "c.test"}})), 405);
  EXPECT_EQ(status(Request(http::verb::get, "c.test:443", {{"Host", "c.test"}})), 400);
  EXPECT_EQ(status(Request(http::verb::get, "*", {{"Host", "c.test"}})), 400);
  EXPECT_EQ(status(Request(http::verb::get, "/", {})), 400);
  EXPECT_EQ(status(Request(http::verb::get, "/", {{"Host", "a"}, {"Host", "b"}})), 400);
  EXPECT_EQ(status(Request(http::verb::post, "/", {{"Host", "a"}, {"Transfer-Encoding", "gzip"}})),
            400);
  EXPECT_EQ(status(Request(http::verb::post, "/",
                           {{"Host", "a"}, {"Transfer-Encoding", "chunked, identity"}})),
            400);
  EXPECT_EQ(status(Request(http::verb::post, "/",
                           {{"Host", "a"},
                            {"Transfer-Encoding", "chunked"},
                            {"Transfer-Encoding", "chunked"}})),
            400);
  EXPECT_EQ(status(Request(http::verb::post, "/",
                           {{"Host", "a"}, {"Transfer-Encoding", "gzip, chunked"}})),
            501);
  EXPECT_EQ(status(Request(http::verb::post, "/", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}},
                           10)),
            400);
  EXPECT_EQ(status(Request(http::verb::post, "/", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}})),
            0);
  // HTTP/1.0 may omit Host when the target names it.
  EXPECT_EQ(status(Request(http::verb::get, "http://c.test/", {}, 10)), 0);
}

TEST(RequestAdmissionTest, OptionsAsteriskIsTheEdgesToAnswer) {
  EXPECT_EQ(AdmitRequest(Request(http::verb::options, "*", {{"Host", "c.test"}}), false).verdict,
            Admission::Verdict::kAnswerOptions);
}

TEST(RequestAdmissionTest, H2cUpgradesAreNotTunnelled) {
  EXPECT_TRUE(AdmitRequest(Request(http::verb::get, "/",
                                   {{"Host", "a"}, {"Upgrade", "websocket"}}),
                           true)
                  .tunnel);
  EXPECT_FALSE(AdmitRequest(Request(http::verb::get, "/", {{"Host", "a"}, {"Upgrade", "h2c"}}),
                            true)
                   .tunnel);
  EXPECT_FALSE(AdmitRequest(Request(http::verb::get, "/", {{"Host", "a"}}), false).tunnel);
}

}  // namespace
}  // namespace gatehouse::runtime

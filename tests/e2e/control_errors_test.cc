// What the real control plane and gatectl say when something is wrong (issue 12, items 6 and 7):
// errors that always arrive, name the fix, and fit on a line or a few.
#include "absl/strings/str_replace.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "gtest/gtest.h"
#include "tests/support/control_plane.h"

namespace gatehouse::testing {
namespace {

std::string ZoneWithExpression(const std::string& expression) {
  return absl::StrReplaceAll(R"json({"zone": "a.com", "hostnames": ["a.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "long", "expression": "EXPR", "action": "block"}]}]})json",
                             {{"EXPR", expression}});
}

class ControlErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(control_.Start({"errors-admin", {}}).ok()); }
  ControlPlane control_;
};

TEST_F(ControlErrorsTest, InvalidUtf8IsInvalidArgumentWithAMessage) {
  // PutZoneConfigRequest{config_json: "\xff{"}, written by hand: no client library would.
  const std::string wire = std::string("\x0a\x02\xff{", 4);
  grpc::Slice slice(wire);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  auto channel = grpc::CreateChannel(control_.address(), grpc::InsecureChannelCredentials());
  auto context = ControlPlane::Context("errors-admin");
  const grpc::Status status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      channel.get(),
      grpc::internal::RpcMethod("/gatehouse.api.v1.ConfigService/PutZoneConfig",
                                grpc::internal::RpcMethod::NORMAL_RPC),
      context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("UTF-8"), std::string::npos) << status.error_message();
}

TEST_F(ControlErrorsTest, DiagnosticsOfAHugeExpressionArrive) {
  // A 16 KB expression failing at its very end.
  const std::string expression =
      "http.request.uri.path eq \\\"" + std::string(16 << 10, 'a') + "\\\" and no.such.field";
  const auto pushed =
      control_.Gatectl({"push", WriteTempFile("long.json", ZoneWithExpression(expression))},
                       "errors-admin");
  EXPECT_EQ(pushed.exit_code, 1) << pushed.err;
  EXPECT_EQ(pushed.err.find("metadata"), std::string::npos) << pushed.err.substr(0, 500);
  EXPECT_NE(pushed.err.find("the limit is 4096 bytes"), std::string::npos)
      << pushed.err.substr(0, 2000);
  // The caret under a window of the source, not 16 KB of it.
  EXPECT_NE(pushed.err.find("aaaa…\n…       "), std::string::npos)
      << pushed.err.substr(0, 2000);
  EXPECT_NE(pushed.err.find('^'), std::string::npos);
  EXPECT_LT(pushed.err.size(), 4096u);

  // Hundreds of problems: as many as fit, and a line saying where the rest are.
  std::string rules;
  for (int i = 0; i < 400; ++i) {
    if (i > 0) rules += ",";
    rules += R"({"id": "r)" + std::to_string(i) + R"(", "expression": "bad)" + std::to_string(i) +
             R"( eq 1", "action": "block"})";
  }
  const std::string many = absl::StrReplaceAll(
      ZoneWithExpression("x"),
      {{R"({"id": "long", "expression": "x", "action": "block"})", rules}});
  const auto noisy =
      control_.Gatectl({"push", WriteTempFile("many.json", many)}, "errors-admin");
  EXPECT_EQ(noisy.exit_code, 1);
  EXPECT_EQ(noisy.err.find("metadata"), std::string::npos) << noisy.err.substr(0, 500);
  EXPECT_NE(noisy.err.find("bad0"), std::string::npos) << noisy.err.substr(0, 500);
  EXPECT_NE(noisy.err.find("more problem(s) not shown: `gatectl validate FILE`"),
            std::string::npos)
      << noisy.err;
}

TEST_F(ControlErrorsTest, AMissingTokenNamesTheFlagAndTheVariable) {
  const auto listed = control_.Gatectl({"zones"});
  EXPECT_EQ(listed.exit_code, 1);
  EXPECT_NE(listed.err.find("--token"), std::string::npos) << listed.err;
  EXPECT_NE(listed.err.find("GATEHOUSE_TOKEN"), std::string::npos) << listed.err;
}

}  // namespace
}  // namespace gatehouse::testing

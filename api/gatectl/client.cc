#include "api/gatectl/client.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/control_addresses.h"
#include "google/protobuf/util/json_util.h"

namespace gatehouse::gatectl {

namespace v1 = gatehouse::api::v1;

Client::Client(const GlobalOptions& options) : token_(options.token), timeout_ms_(options.timeout_ms) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  // Several replicas: one channel that moves to the next when the one in use goes (checked
  // when the flags are read).
  channel_ = grpc::CreateCustomChannel(ControlChannelTarget(options.addr).value_or(options.addr),
                                       options.tls.Credentials(), args);
  config_ = v1::ConfigService::NewStub(channel_);
  tokens_ = v1::TokenService::NewStub(channel_);
  certificates_ = v1::CertificateService::NewStub(channel_);
  lists_ = v1::ListService::NewStub(channel_);
}

std::unique_ptr<grpc::ClientContext> Client::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms_));
  if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  return context;
}

int Fail(const grpc::Status& status) {
  v1::RpcStatus details;
  v1::ValidateZoneConfigResponse validation;
  bool printed = false;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      if (!any.UnpackTo(&validation)) continue;
      for (const auto& d : validation.diagnostics()) {
        std::fputs(d.rendered().c_str(), stderr);
        if (!d.rendered().empty() && d.rendered().back() != '\n') std::fputc('\n', stderr);
      }
      if (validation.omitted_diagnostics() > 0) {
        std::fprintf(stderr, "gatectl: %u more problem(s) not shown: `gatectl validate FILE` "
                     "shows every one\n", validation.omitted_diagnostics());
      }
      printed = validation.diagnostics_size() > 0;
    }
  }
  if (!printed) std::fprintf(stderr, "gatectl: %s\n", status.error_message().c_str());
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return kExitInvalid;
    default:
      return kExitServer;
  }
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string UtcTime(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace gatehouse::gatectl

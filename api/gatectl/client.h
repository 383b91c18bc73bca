#pragma once

#include <memory>
#include <string>

#include "api/gatectl/command.h"
#include "grpcpp/grpcpp.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::gatectl {

// The control plane's services over one channel, with the token and deadline of every call.
class Client {
 public:
  explicit Client(const GlobalOptions& options);

  // A context carrying the bearer token and the deadline.
  std::unique_ptr<grpc::ClientContext> Context() const;

  api::v1::ConfigService::Stub& config() { return *config_; }
  api::v1::TokenService::Stub& tokens() { return *tokens_; }
  api::v1::CertificateService::Stub& certificates() { return *certificates_; }
  api::v1::ListService::Stub& lists() { return *lists_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<api::v1::ConfigService::Stub> config_;
  std::unique_ptr<api::v1::TokenService::Stub> tokens_;
  std::unique_ptr<api::v1::CertificateService::Stub> certificates_;
  std::unique_ptr<api::v1::ListService::Stub> lists_;
  std::string token_;
  int64_t timeout_ms_;
};

// Prints a failed call's message (and, for a bad config, every diagnostic with its caret, as a
// local `validate` does) on stderr; returns the exit code for it.
int Fail(const grpc::Status& status);
// A time as history listings show it: 2026-01-02T03:04:05Z.
std::string UtcTime(int64_t unix_ms);

// A message as JSON (proto field names), for --json output.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace gatehouse::gatectl

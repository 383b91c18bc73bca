#pragma once

#include "grpcpp/support/server_interceptor.h"

namespace gatehouse::api {

// A request that does not parse as its method's message (a string field holding invalid UTF-8,
// a truncated message) fails inside gRPC with INTERNAL and an empty message. This turns exactly
// that answer into INVALID_ARGUMENT with a message that says what is wrong; the services never
// answer INTERNAL without a message themselves.
class MalformedRequestInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace gatehouse::api

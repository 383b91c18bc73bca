#include "api/gatectl/config_commands.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "compiler/zone_compiler.h"
#include "grpcpp/grpcpp.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::gatectl {
namespace {

namespace v1 = gatehouse::api::v1;

int ExitFor(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return kExitInvalid;
    default:
      return kExitServer;
  }
}

int Fail(const grpc::Status& status) {
  std::fprintf(stderr, "gatectl: %s\n", status.error_message().c_str());
  return ExitFor(status);
}

class Client {
 public:
  Client(const std::string& address, std::string token, int64_t timeout_ms)
      : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        config_(v1::ConfigService::NewStub(channel_)),
        token_(std::move(token)),
        timeout_ms_(timeout_ms) {}

  void Prepare(grpc::ClientContext* context) const {
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::milliseconds(timeout_ms_));
    if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  }

  v1::ConfigService::Stub& config() { return *config_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ConfigService::Stub> config_;
  std::string token_;
  int64_t timeout_ms_;
};

int Push(Client& client, const std::string& path, int64_t expected_version) {
  v1::PutZoneConfigRequest request;
  if (!ReadFile(path, request.mutable_config_json())) {
    std::fprintf(stderr, "gatectl: cannot read %s\n", path.c_str());
    return kExitUsage;
  }
  request.set_expected_version(static_cast<uint64_t>(expected_version));
  v1::PutZoneConfigResponse response;
  grpc::ClientContext context;
  client.Prepare(&context);
  const grpc::Status status = client.config().PutZoneConfig(&context, request, &response);
  if (!status.ok()) return Fail(status);
  std::printf("zone %s: version %llu%s (%s)\n", response.zone().c_str(),
              static_cast<unsigned long long>(response.version()),
              response.unchanged() ? ", unchanged" : "", response.config_hash().c_str());
  return kExitOk;
}

int Validate(const std::string& path) {
  std::string json;
  if (!ReadFile(path, &json)) {
    std::fprintf(stderr, "gatectl: cannot read %s\n", path.c_str());
    return kExitUsage;
  }
  const auto result = gatehouse::compiler::CompileZoneJson(json);
  if (!result.ok()) {
    std::fputs(result.RenderedDiagnostics().c_str(), stderr);
    return kExitInvalid;
  }
  std::printf("%s: zone %s is valid (%s)\n", path.c_str(), result.plan->zone.c_str(),
              result.plan->config_hash.c_str());
  return kExitOk;
}

int Get(Client& client, const std::string& zone, uint64_t version) {
  v1::GetZoneConfigRequest request;
  request.set_zone(zone);
  request.set_version(version);
  v1::GetZoneConfigResponse response;
  grpc::ClientContext context;
  client.Prepare(&context);
  const grpc::Status status = client.config().GetZoneConfig(&context, request, &response);
  if (!status.ok()) return Fail(status);
  std::printf("%s\n", response.config_json().c_str());
  return kExitOk;
}

int Zones(Client& client) {
  v1::ListZonesResponse response;
  grpc::ClientContext context;
  client.Prepare(&context);
  const grpc::Status status = client.config().ListZones(&context, {}, &response);
  if (!status.ok()) return Fail(status);
  for (const auto& zone : response.zones()) {
    std::printf("%s\tversion %llu\t%s\n", zone.zone().c_str(),
                static_cast<unsigned long long>(zone.version()), zone.config_hash().c_str());
  }
  return kExitOk;
}

}  // namespace

std::optional<int> RunConfigCommand(const std::vector<std::string>& args,
                                    const GlobalOptions& options, int64_t expected_version) {
  const std::string& command = args[0];
  if (command == "validate" && args.size() == 2) return Validate(args[1]);
  Client client(options.addr, options.token, options.timeout_ms);
  if (command == "push" && args.size() == 2) return Push(client, args[1], expected_version);
  if (command == "get" && (args.size() == 2 || args.size() == 3)) {
    return Get(client, args[1], args.size() == 3 ? std::strtoull(args[2].c_str(), nullptr, 10) : 0);
  }
  if (command == "zones" && args.size() == 1) return Zones(client);
  return std::nullopt;
}

}  // namespace gatehouse::gatectl

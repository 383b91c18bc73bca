#include "api/gatectl/config_commands.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <thread>

#include "api/gatectl/client.h"
#include "api/gatectl/config_file.h"
#include "api/gatectl/line_diff.h"
#include "api/gatectl/managed_rulesets.h"
#include "compiler/zone_compiler.h"
#include "compiler/zone_config_json.h"
#include "google/protobuf/util/json_util.h"

namespace gatehouse::gatectl {
namespace {

namespace v1 = gatehouse::api::v1;

void PrintJson(const google::protobuf::Message& message) {
  std::printf("%s\n", ToJson(message).c_str());
}

bool ParseVersion(const std::string& text, uint64_t* out) {
  char* end = nullptr;
  *out = std::strtoull(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0';
}

// A zone config as indented canonical JSON, for a readable diff. Configs that do not parse are
// shown as they are.
std::string PrettyConfig(const std::string& json) {
  auto config = compiler::ParseZoneConfigJson(json);
  if (!config.ok()) return json;
  return compiler::ZoneConfigToJson(*config, /*indented=*/true);
}

void PrintPutResult(const v1::PutZoneConfigResponse& response, bool json) {
  if (json) return PrintJson(response);
  const std::string snapshot =
      response.snapshot_version() == 0
          ? ""
          : ", snapshot " + std::to_string(response.snapshot_version());
  std::printf("zone %s: version %llu%s%s (%s)\n", response.zone().c_str(),
              static_cast<unsigned long long>(response.version()),
              response.unchanged() ? ", unchanged" : "", snapshot.c_str(),
              response.config_hash().c_str());
}

int Push(Client& client, const std::string& path, const GlobalOptions& options,
         const CommandOptions& command) {
  v1::PutZoneConfigRequest request;
  if (!ReadZoneConfigFile(path, request.mutable_config_json())) return kExitUsage;
  request.set_expected_version(static_cast<uint64_t>(command.expected_version));
  request.set_transfer_hostnames(command.transfer_hostnames);
  v1::PutZoneConfigResponse response;
  const grpc::Status status = client.config().PutZoneConfig(client.Context().get(), request,
                                                            &response);
  if (!status.ok()) return Fail(status);
  PrintPutResult(response, options.json);
  return kExitOk;
}

int Validate(const std::string& path, const GlobalOptions& options) {
  std::string json;
  if (!ReadZoneConfigFile(path, &json)) return kExitUsage;
  const auto result = gatehouse::compiler::CompileZoneJson(json, LocalCompileOptions());
  if (options.json) {
    v1::ValidateZoneConfigResponse response;
    response.set_valid(result.ok());
    if (result.ok()) response.set_config_hash(result.plan->config_hash);
    for (const auto& d : result.diagnostics) {
      v1::Diagnostic* out = response.add_diagnostics();
      out->set_rule_id(d.rule_id);
      out->set_json_path(d.json_path);
      out->set_line(d.line);
      out->set_column(d.column);
      out->set_length(d.length);
      out->set_message(d.message);
      out->set_rendered(d.rendered);
    }
    PrintJson(response);
    return result.ok() ? kExitOk : kExitInvalid;
  }
  if (!result.ok()) {
    std::fputs(result.RenderedDiagnostics().c_str(), stderr);
    return kExitInvalid;
  }
  std::printf("%s: zone %s is valid (%s)\n", path.c_str(), result.plan->zone.c_str(),
              result.plan->config_hash.c_str());
  return kExitOk;
}

int Get(Client& client, const std::string& zone, uint64_t version, const GlobalOptions& options) {
  v1::GetZoneConfigRequest request;
  request.set_zone(zone);
  request.set_version(version);
  v1::GetZoneConfigResponse response;
  const grpc::Status status = client.config().GetZoneConfig(client.Context().get(), request,
                                                            &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    PrintJson(response);
  } else {
    std::printf("%s\n", PrettyConfig(response.config_json()).c_str());
  }
  return kExitOk;
}

int Diff(Client& client, const std::string& path, const GlobalOptions& options) {
  std::string local;
  if (!ReadZoneConfigFile(path, &local)) return kExitUsage;
  auto config = compiler::ParseZoneConfigJson(local);
  if (!config.ok()) {
    std::fprintf(stderr, "gatectl: %s: %s\n", path.c_str(),
                 std::string(config.status().message()).c_str());
    return kExitInvalid;
  }
  v1::GetZoneConfigRequest request;
  request.set_zone(config->zone());
  v1::GetZoneConfigResponse response;
  const grpc::Status status = client.config().GetZoneConfig(client.Context().get(), request,
                                                            &response);
  std::string deployed;
  std::string deployed_name = "deployed (none)";
  if (status.ok()) {
    deployed = PrettyConfig(response.config_json());
    deployed_name = "deployed " + config->zone() + " version " + std::to_string(response.version());
  } else if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return Fail(status);
  }
  const std::string diff = LineDiff(deployed, PrettyConfig(local), deployed_name, path);
  if (options.json) {
    std::printf("{\"zone\": \"%s\", \"deployed_version\": %llu, \"differs\": %s}\n",
                config->zone().c_str(),
                static_cast<unsigned long long>(status.ok() ? response.version() : 0),
                diff.empty() ? "false" : "true");
  } else {
    std::fputs(diff.c_str(), stdout);
  }
  return diff.empty() ? kExitOk : kExitInvalid;
}

int Versions(Client& client, const std::string& zone, const GlobalOptions& options) {
  v1::ListZoneVersionsRequest request;
  request.set_zone(zone);
  v1::ListZoneVersionsResponse response;
  const grpc::Status status = client.config().ListZoneVersions(client.Context().get(), request,
                                                               &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    PrintJson(response);
    return kExitOk;
  }
  std::printf("VERSION\tCREATED\tAUTHOR\tHASH\n");
  for (const auto& v : response.versions()) {
    std::printf("%llu\t%s\t%s\t%s\n", static_cast<unsigned long long>(v.version()),
                UtcTime(v.created_unix_ms()).c_str(), v.author().c_str(),
                v.deleted() ? "(deleted)" : v.config_hash().c_str());
  }
  return kExitOk;
}

int Rollback(Client& client, const std::string& zone, uint64_t version,
             const GlobalOptions& options, const CommandOptions& command) {
  v1::RollbackZoneRequest request;
  request.set_zone(zone);
  request.set_to_version(version);
  request.set_expected_version(static_cast<uint64_t>(command.expected_version));
  v1::PutZoneConfigResponse response;
  const grpc::Status status = client.config().RollbackZone(client.Context().get(), request,
                                                           &response);
  if (!status.ok()) return Fail(status);
  PrintPutResult(response, options.json);
  return kExitOk;
}

int Delete(Client& client, const std::string& zone, const GlobalOptions& options,
           const CommandOptions& command) {
  v1::DeleteZoneRequest request;
  request.set_zone(zone);
  request.set_expected_version(static_cast<uint64_t>(command.expected_version));
  v1::DeleteZoneResponse response;
  const grpc::Status status = client.config().DeleteZone(client.Context().get(), request,
                                                         &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    PrintJson(response);
  } else {
    std::printf("zone %s: deleted at version %llu\n", response.zone().c_str(),
                static_cast<unsigned long long>(response.version()));
  }
  return kExitOk;
}

int Zones(Client& client, const GlobalOptions& options) {
  v1::ListZonesResponse response;
  const grpc::Status status = client.config().ListZones(client.Context().get(), {}, &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    PrintJson(response);
    return kExitOk;
  }
  for (const auto& zone : response.zones()) {
    std::printf("%s\tversion %llu\t%s\n", zone.zone().c_str(),
                static_cast<unsigned long long>(zone.version()), zone.config_hash().c_str());
  }
  return kExitOk;
}

int Watch(Client& client, const GlobalOptions& options, const CommandOptions& command) {
  while (true) {
    v1::ListProxiesResponse response;
    const grpc::Status status = client.config().ListProxies(client.Context().get(), {}, &response);
    if (!status.ok()) return Fail(status);
    if (options.json) {
      PrintJson(response);
    } else {
      std::printf("PROXY\tSTATE\tZONE\tLIVE\tREJECTED\n");
      for (const auto& proxy : response.proxies()) {
        std::string state = proxy.connected() ? "connected" : "disconnected";
        if (proxy.refused_updates() > 0) {
          // The proxy keeps serving what it had but takes nothing new: say it loudly.
          state += ", REFUSING UPDATES (" + std::to_string(proxy.refused_updates()) +
                   " in a row: " + proxy.last_refusal() + ")";
        }
        if (proxy.zones().empty()) {
          std::printf("%s\t%s\t-\t-\t-\n", proxy.node_id().c_str(), state.c_str());
        }
        for (const auto& zone : proxy.zones()) {
          std::string rejected = "-";
          if (zone.rejected_version() != 0) {
            rejected = std::to_string(zone.rejected_version()) + " (" + zone.error() + ")";
          }
          std::printf("%s\t%s\t%s\t%llu\t%s\n", proxy.node_id().c_str(), state.c_str(),
                      zone.zone().c_str(), static_cast<unsigned long long>(zone.live_version()),
                      rejected.c_str());
        }
      }
    }
    std::fflush(stdout);
    if (!command.follow) return kExitOk;
    std::this_thread::sleep_for(std::chrono::milliseconds(command.interval_ms));
  }
}

}  // namespace

std::optional<int> RunConfigCommand(const std::vector<std::string>& args,
                                    const GlobalOptions& options, const CommandOptions& command) {
  const std::string& name = args[0];
  if (name == "validate" && args.size() == 2) return Validate(args[1], options);
  Client client(options);
  uint64_t version = 0;
  if (name == "push" && args.size() == 2) return Push(client, args[1], options, command);
  if (name == "get" && args.size() == 2) return Get(client, args[1], 0, options);
  if (name == "get" && args.size() == 3 && ParseVersion(args[2], &version)) {
    return Get(client, args[1], version, options);
  }
  if (name == "diff" && args.size() == 2) return Diff(client, args[1], options);
  if (name == "versions" && args.size() == 2) return Versions(client, args[1], options);
  if (name == "rollback" && args.size() == 3 && ParseVersion(args[2], &version)) {
    return Rollback(client, args[1], version, options, command);
  }
  if (name == "delete" && args.size() == 2) return Delete(client, args[1], options, command);
  if (name == "zones" && args.size() == 1) return Zones(client, options);
  if (name == "watch" && args.size() == 1) return Watch(client, options, command);
  return std::nullopt;
}

}  // namespace gatehouse::gatectl

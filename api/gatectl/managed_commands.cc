#include "api/gatectl/managed_commands.h"

#include <cstdio>
#include <string>

#include "api/gatectl/client.h"
#include "api/gatectl/managed_rulesets.h"
#include "api/managed_ruleset_info.h"

namespace gatehouse::gatectl {
namespace {

namespace v1 = gatehouse::api::v1;

constexpr char kUsage[] = "gatectl managed list | gatectl managed show ID [--paranoia-level N]";

// A local failure, with the exit code a server's answer with the same status would get.
int FailLocally(const absl::Status& status) {
  std::fprintf(stderr, "gatectl: %s\n", std::string(status.message()).c_str());
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitInvalid;
}

std::string Level(uint32_t paranoia_level) {
  return paranoia_level == 0 ? "any" : std::to_string(paranoia_level);
}

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

void PrintInfo(const v1::ManagedRulesetInfo& info) {
  std::printf("%s  %s  digest %s  %u rules, %u left out, %u adjusted\n", info.id().c_str(),
              info.version().c_str(), info.digest().c_str(), info.rule_count(),
              info.omitted_count(), info.adjusted_count());
}

void PrintNotes(const char* title,
                const google::protobuf::RepeatedPtrField<v1::ManagedRuleNote>& notes) {
  std::printf("\n%s (%d):\n", title, notes.size());
  for (const v1::ManagedRuleNote& note : notes) {
    const std::string where = note.file() + ":" + std::to_string(note.line());
    std::printf("  %-7s %-48s %s\n", note.id().empty() ? "-" : note.id().c_str(), where.c_str(),
                note.reason().c_str());
  }
}

void PrintRuleset(const v1::GetManagedRulesetResponse& response) {
  const v1::ManagedRulesetInfo& info = response.ruleset();
  std::printf("%s %s\ndigest %s\n", info.id().c_str(), info.version().c_str(),
              info.digest().c_str());
  std::printf("\nrules%s (%d):\n",
              response.paranoia_level() == 0
                  ? ""
                  : (" at paranoia level " + std::to_string(response.paranoia_level())).c_str(),
              response.rules_size());
  std::printf("  %-7s %-5s %-3s %-24s %-9s %-48s %s\n", "ID", "PHASE", "PL", "CATEGORY",
              "SEVERITY", "FILE:LINE", "TAGS");
  for (const v1::ManagedRule& rule : response.rules()) {
    const std::string where = rule.file() + ":" + std::to_string(rule.line());
    std::printf("  %-7s %-5u %-3s %-24s %-9s %-48s %s\n", rule.id().c_str(), rule.phase(),
                Level(rule.paranoia_level()).c_str(),
                rule.category().empty() ? "-" : rule.category().c_str(),
                rule.severity().empty() ? "-" : rule.severity().c_str(), where.c_str(),
                Joined(rule.tags()).c_str());
  }
  PrintNotes("left out", response.omitted());
  PrintNotes("adjusted", response.adjusted());
}

int List(const GlobalOptions& options, const ManagedCommandOptions& managed) {
  v1::ListManagedRulesetsResponse response;
  if (managed.local) {
    api::ListManagedRulesets(*ManagedRulesets().set, &response);
  } else {
    Client client(options);
    const grpc::Status status = client.config().ListManagedRulesets(
        client.Context().get(), v1::ListManagedRulesetsRequest(), &response);
    if (!status.ok()) return Fail(status);
  }
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
  } else {
    if (response.rulesets().empty()) std::printf("no managed rulesets\n");
    for (const v1::ManagedRulesetInfo& info : response.rulesets()) PrintInfo(info);
  }
  return kExitOk;
}

int Show(const std::string& id, const GlobalOptions& options,
         const ManagedCommandOptions& managed) {
  v1::GetManagedRulesetResponse response;
  const uint32_t level = static_cast<uint32_t>(managed.paranoia_level);
  if (managed.local) {
    if (absl::Status status = api::DescribeManagedRuleset(*ManagedRulesets().set, id, level,
                                                          &response);
        !status.ok()) {
      return FailLocally(status);
    }
  } else {
    Client client(options);
    v1::GetManagedRulesetRequest request;
    request.set_id(id);
    request.set_paranoia_level(level);
    const grpc::Status status =
        client.config().GetManagedRuleset(client.Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
  }
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
  } else {
    PrintRuleset(response);
  }
  return kExitOk;
}

}  // namespace

std::optional<int> RunManagedCommand(const std::vector<std::string>& args,
                                     const GlobalOptions& options,
                                     const ManagedCommandOptions& managed) {
  if (args.empty() || args[0] != "managed") return std::nullopt;
  if (managed.paranoia_level < 0 || managed.paranoia_level > 4) {
    std::fprintf(stderr, "gatectl managed: --paranoia-level must be 1 to 4\n");
    return kExitUsage;
  }
  if (args.size() == 2 && args[1] == "list") return List(options, managed);
  if (args.size() == 3 && args[1] == "show") return Show(args[2], options, managed);
  std::fprintf(stderr, "gatectl managed: wrong arguments; usage: %s\n", kUsage);
  return kExitUsage;
}

}  // namespace gatehouse::gatectl

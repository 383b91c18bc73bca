#include "api/gatectl/list_commands.h"

#include <cstdio>

#include "api/gatectl/client.h"

namespace gatehouse::gatectl {
namespace {

namespace v1 = gatehouse::api::v1;

std::string Trim(const std::string& line) {
  const size_t start = line.find_first_not_of(" \t\r");
  if (start == std::string::npos) return "";
  return line.substr(start, line.find_last_not_of(" \t\r") - start + 1);
}

// The items of --file (if given) followed by `inline_items`; false when the file is unreadable.
bool CollectItems(const CommandOptions& command, const std::vector<std::string>& inline_items,
                  std::vector<std::string>* items) {
  if (!command.file.empty()) {
    std::string text;
    if (!ReadFile(command.file, &text)) {
      std::fprintf(stderr, "gatectl: cannot read --file %s\n", command.file.c_str());
      return false;
    }
    *items = ParseListItems(text);
  }
  items->insert(items->end(), inline_items.begin(), inline_items.end());
  return true;
}

template <typename Repeated>
void AddAll(const std::vector<std::string>& from, Repeated* to) {
  for (const std::string& item : from) *to->Add() = item;
}

int PrintChange(const grpc::Status& status, const v1::ListChangeResponse& response,
                const GlobalOptions& options, const char* what) {
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
    return kExitOk;
  }
  std::printf("list %s version %llu: %s, %u items%s\n", response.list().name().c_str(),
              static_cast<unsigned long long>(response.list().version()), what,
              response.list().item_count(), response.unchanged() ? " (unchanged)" : "");
  return kExitOk;
}

std::string Join(const std::vector<std::string>& zones) {
  std::string out;
  for (const auto& zone : zones) out += (out.empty() ? "" : ",") + zone;
  return out;
}

// What a version changed from the one before, as `lists history` shows it.
std::string Change(const v1::ListVersionInfo& version, const v1::ListVersionInfo* before) {
  if (version.deleted()) return "deleted";
  std::vector<std::string> parts;
  if (before == nullptr || before->deleted()) parts.push_back("created");
  if (version.items_added() != 0 || version.items_removed() != 0) {
    parts.push_back("+" + std::to_string(version.items_added()) + " -" +
                    std::to_string(version.items_removed()) + " items");
  }
  const std::vector<std::string> zones(version.zones().begin(), version.zones().end());
  if (before != nullptr && !before->deleted()) {
    const std::vector<std::string> was(before->zones().begin(), before->zones().end());
    if (was != zones || before->other_zones() != version.other_zones()) {
      parts.push_back("scope " + Join(was) + " -> " + Join(zones));
    }
  }
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out.empty() ? "-" : out;
}

int History(Client& client, const std::string& name, const GlobalOptions& options) {
  v1::ListListVersionsRequest request;
  request.set_name(name);
  v1::ListListVersionsResponse response;
  const grpc::Status status =
      client.lists().ListListVersions(client.Context().get(), request, &response);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    std::printf("%s\n", ToJson(response).c_str());
    return kExitOk;
  }
  std::printf("VERSION\tCREATED\tAUTHOR\tITEMS\tZONES\tCHANGE\n");
  const v1::ListVersionInfo* before = nullptr;
  for (const auto& version : response.versions()) {
    std::string zones = Join({version.zones().begin(), version.zones().end()});
    if (version.other_zones() != 0) {
      zones += (zones.empty() ? "" : ",") + std::string("+") +
               std::to_string(version.other_zones()) + " other";
    }
    std::printf("%llu\t%s\t%s\t%u\t%s\t%s\n", static_cast<unsigned long long>(version.version()),
                UtcTime(version.created_unix_ms()).c_str(), version.author().c_str(),
                version.item_count(), zones.c_str(), Change(version, before).c_str());
    before = &version;
  }
  return kExitOk;
}

}  // namespace

std::vector<std::string> ParseListItems(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = Trim(text.substr(start, end - start));
    if (!item.empty() && item[0] != '#') items.push_back(item);
    start = end + 1;
  }
  return items;
}

std::optional<int> RunListCommand(const std::vector<std::string>& args,
                                  const GlobalOptions& options, const CommandOptions& command) {
  if (args[0] != "lists" || args.size() < 2) return std::nullopt;
  const std::string& verb = args[1];
  Client client(options);
  if (verb == "list" && args.size() == 2) {
    v1::ListListsResponse response;
    const grpc::Status status = client.lists().ListLists(client.Context().get(), {}, &response);
    if (!status.ok()) return Fail(status);
    if (options.json) {
      std::printf("%s\n", ToJson(response).c_str());
    } else {
      std::printf("NAME\tKIND\tVERSION\tITEMS\tZONES\n");
      for (const auto& list : response.lists()) {
        std::printf("%s\t%s\t%llu\t%u\t%s\n", list.name().c_str(), list.kind().c_str(),
                    static_cast<unsigned long long>(list.version()), list.item_count(),
                    Join({list.zones().begin(), list.zones().end()}).c_str());
      }
    }
    return kExitOk;
  }
  if (args.size() < 3) return std::nullopt;
  const std::string& name = args[2];
  const std::vector<std::string> rest(args.begin() + 3, args.end());
  v1::ListChangeResponse response;
  if (verb == "create" && rest.empty()) {
    if (command.kind.empty()) {
      std::fprintf(stderr, "gatectl lists create: give --kind ip, int or bytes\n");
      return kExitUsage;
    }
    v1::CreateListRequest request;
    request.set_name(name);
    request.set_kind(command.kind);
    std::vector<std::string> items;
    if (!CollectItems(command, {}, &items)) return kExitUsage;
    AddAll(items, request.mutable_items());
    AddAll(command.zones, request.mutable_zones());
    return PrintChange(client.lists().CreateList(client.Context().get(), request, &response),
                       response, options, "created");
  }
  if (verb == "replace" && rest.empty() && !command.file.empty()) {
    v1::ReplaceListItemsRequest request;
    request.set_name(name);
    request.set_expected_version(static_cast<uint64_t>(command.expected_version));
    std::vector<std::string> items;
    if (!CollectItems(command, {}, &items)) return kExitUsage;
    AddAll(items, request.mutable_items());
    return PrintChange(client.lists().ReplaceListItems(client.Context().get(), request, &response),
                       response, options, "replaced");
  }
  if ((verb == "add" || verb == "remove") && (!rest.empty() || !command.file.empty())) {
    v1::EditListItemsRequest request;
    request.set_name(name);
    request.set_expected_version(static_cast<uint64_t>(command.expected_version));
    std::vector<std::string> items;
    if (!CollectItems(command, rest, &items)) return kExitUsage;
    AddAll(items, verb == "add" ? request.mutable_add() : request.mutable_remove());
    return PrintChange(client.lists().EditListItems(client.Context().get(), request, &response),
                       response, options, verb == "add" ? "added" : "removed");
  }
  if (verb == "delete" && rest.empty()) {
    v1::DeleteListRequest request;
    request.set_name(name);
    request.set_expected_version(static_cast<uint64_t>(command.expected_version));
    return PrintChange(client.lists().DeleteList(client.Context().get(), request, &response),
                       response, options, "deleted");
  }
  if (verb == "scope" && rest.empty() && !command.zones.empty()) {
    v1::SetListScopeRequest request;
    request.set_name(name);
    request.set_expected_version(static_cast<uint64_t>(command.expected_version));
    AddAll(command.zones, request.mutable_zones());
    return PrintChange(client.lists().SetListScope(client.Context().get(), request, &response),
                       response, options, "scoped");
  }
  if (verb == "history" && rest.empty()) return History(client, name, options);
  if (verb == "get" && rest.empty()) {
    v1::GetListRequest request;
    request.set_name(name);
    v1::GetListResponse got;
    const grpc::Status status = client.lists().GetList(client.Context().get(), request, &got);
    if (!status.ok()) return Fail(status);
    if (options.json) {
      std::printf("%s\n", ToJson(got).c_str());
    } else {
      std::printf("# list %s kind %s version %llu zones %s\n", got.list().name().c_str(),
                  got.list().kind().c_str(), static_cast<unsigned long long>(got.list().version()),
                  Join({got.list().zones().begin(), got.list().zones().end()}).c_str());
      for (const auto& item : got.items()) std::printf("%s\n", item.c_str());
    }
    return kExitOk;
  }
  return std::nullopt;
}

}  // namespace gatehouse::gatectl

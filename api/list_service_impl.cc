#include "api/list_service_impl.h"

#include <string>
#include <vector>

#include "api/grpc_util.h"

namespace gatehouse::api {
namespace {

void ToProto(const ListRecord& record, v1::ListInfo* out) {
  out->set_name(record.name);
  out->set_kind(record.kind);
  out->set_version(record.version);
  for (const std::string& zone : record.zones) out->add_zones(zone);
  out->set_item_count(static_cast<uint32_t>(record.items.size()));
  out->set_content_hash(record.content_hash);
  out->set_author(record.author);
  out->set_updated_unix_ms(record.created_unix_ms);
}

grpc::Status Respond(const absl::StatusOr<ListController::Change>& change,
                     v1::ListChangeResponse* response) {
  if (!change.ok()) return ToGrpcStatus(change.status());
  ToProto(change->record, response->mutable_list());
  response->set_unchanged(change->unchanged);
  response->set_snapshot_version(change->record.sequence);
  return grpc::Status::OK;
}

template <typename Repeated>
std::vector<std::string> Strings(const Repeated& repeated) {
  return {repeated.begin(), repeated.end()};
}

}  // namespace

ListServiceImpl::ListServiceImpl(ListController& controller, const Authenticator& authenticator)
    : controller_(controller), authenticator_(authenticator) {}

grpc::Status ListServiceImpl::CreateList(grpc::ServerContext* context,
                                         const v1::CreateListRequest* request,
                                         v1::ListChangeResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Respond(controller_.Create(*caller, request->name(), request->kind(),
                                    Strings(request->items()), Strings(request->zones())),
                 response);
}

grpc::Status ListServiceImpl::ReplaceListItems(grpc::ServerContext* context,
                                               const v1::ReplaceListItemsRequest* request,
                                               v1::ListChangeResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Respond(controller_.Replace(*caller, request->name(), Strings(request->items()),
                                     request->expected_version()),
                 response);
}

grpc::Status ListServiceImpl::EditListItems(grpc::ServerContext* context,
                                            const v1::EditListItemsRequest* request,
                                            v1::ListChangeResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Respond(controller_.Edit(*caller, request->name(), Strings(request->add()),
                                  Strings(request->remove()), request->expected_version()),
                 response);
}

grpc::Status ListServiceImpl::DeleteList(grpc::ServerContext* context,
                                         const v1::DeleteListRequest* request,
                                         v1::ListChangeResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Respond(controller_.Delete(*caller, request->name(), request->expected_version()),
                 response);
}

grpc::Status ListServiceImpl::SetListScope(grpc::ServerContext* context,
                                           const v1::SetListScopeRequest* request,
                                           v1::ListChangeResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Respond(controller_.SetScope(*caller, request->name(), Strings(request->zones()),
                                      request->expected_version()),
                 response);
}

grpc::Status ListServiceImpl::ListListVersions(grpc::ServerContext* context,
                                               const v1::ListListVersionsRequest* request,
                                               v1::ListListVersionsResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto history = controller_.History(*caller, request->name());
  if (!history.ok()) return ToGrpcStatus(history.status());
  response->set_name(request->name());
  for (const ListVersionSummary& summary : *history) {
    const ListRecord& record = summary.record;
    v1::ListVersionInfo* out = response->add_versions();
    out->set_version(record.version);
    out->set_sequence(record.sequence);
    out->set_author(record.author);
    out->set_created_unix_ms(record.created_unix_ms);
    out->set_deleted(record.deleted);
    out->set_item_count(static_cast<uint32_t>(summary.item_count));
    out->set_items_added(static_cast<uint32_t>(summary.items_added));
    out->set_items_removed(static_cast<uint32_t>(summary.items_removed));
    // A past scope may have held zones this caller may not read: counted, not named.
    for (const std::string& zone : record.zones) {
      if (caller->CanRead(zone)) {
        out->add_zones(zone);
      } else {
        out->set_other_zones(out->other_zones() + 1);
      }
    }
    out->set_content_hash(record.content_hash);
  }
  return grpc::Status::OK;
}

grpc::Status ListServiceImpl::GetList(grpc::ServerContext* context,
                                      const v1::GetListRequest* request,
                                      v1::GetListResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto list = controller_.Get(*caller, request->name());
  if (!list.ok()) return ToGrpcStatus(list.status());
  ToProto(*list, response->mutable_list());
  for (const std::string& item : list->items) response->add_items(item);
  return grpc::Status::OK;
}

grpc::Status ListServiceImpl::ListLists(grpc::ServerContext* context,
                                        const v1::ListListsRequest* /*request*/,
                                        v1::ListListsResponse* response) {
  auto caller = AuthenticateCustomerCall(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  for (const ListRecord& record : controller_.List(*caller)) {
    ToProto(record, response->add_lists());
  }
  return grpc::Status::OK;
}

}  // namespace gatehouse::api

#pragma once

#include "api/authenticator.h"
#include "api/list_controller.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.ListService over ListController: authenticates the caller (customer tokens
// and the admin), then maps requests and results.
class ListServiceImpl final : public v1::ListService::Service {
 public:
  ListServiceImpl(ListController& controller, const Authenticator& authenticator);

  grpc::Status CreateList(grpc::ServerContext* context, const v1::CreateListRequest* request,
                          v1::ListChangeResponse* response) override;
  grpc::Status ReplaceListItems(grpc::ServerContext* context,
                                const v1::ReplaceListItemsRequest* request,
                                v1::ListChangeResponse* response) override;
  grpc::Status EditListItems(grpc::ServerContext* context, const v1::EditListItemsRequest* request,
                             v1::ListChangeResponse* response) override;
  grpc::Status DeleteList(grpc::ServerContext* context, const v1::DeleteListRequest* request,
                          v1::ListChangeResponse* response) override;
  grpc::Status GetList(grpc::ServerContext* context, const v1::GetListRequest* request,
                       v1::GetListResponse* response) override;
  grpc::Status SetListScope(grpc::ServerContext* context, const v1::SetListScopeRequest* request,
                            v1::ListChangeResponse* response) override;
  grpc::Status ListListVersions(grpc::ServerContext* context,
                                const v1::ListListVersionsRequest* request,
                                v1::ListListVersionsResponse* response) override;
  grpc::Status ListLists(grpc::ServerContext* context, const v1::ListListsRequest* request,
                         v1::ListListsResponse* response) override;

 private:
  ListController& controller_;
  const Authenticator& authenticator_;
};

}  // namespace gatehouse::api

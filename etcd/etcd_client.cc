#include "etcd/etcd_client.h"

#include <utility>

#include "grpcpp/grpcpp.h"

namespace gatehouse::etcd {
namespace {

// etcd's own metadata: its auth token, and "fail a stream when this member has no leader"
// (a member cut off from the quorum would otherwise keep a watch open that never fires).
constexpr char kTokenHeader[] = "token";
constexpr char kRequireLeaderHeader[] = "hasleader";

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::UnavailableError("etcd did not answer in time (has the cluster lost quorum?): " +
                                  status.error_message());
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      "etcd: " + status.error_message());
}

bool TokenExpired(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         status.error_message().find("invalid auth token") != std::string::npos;
}

}  // namespace

std::string PrefixEnd(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    if (static_cast<unsigned char>(end.back()) < 0xff) {
      end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // every key
}

Client::Client(ClientOptions options) : options_(std::move(options)) {
  grpc::ChannelArguments args;
  // Zone versions carry compiled programs: larger than gRPC's default 4 MB limit in bulk reads.
  args.SetMaxReceiveMessageSize(-1);
  // A restarted member is tried again within a second, not after gRPC's backoff of minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  for (const std::string& endpoint : options_.endpoints) {
    channels_.push_back(grpc::CreateCustomChannel(
        endpoint,
        options_.credentials != nullptr ? options_.credentials : grpc::InsecureChannelCredentials(),
        args));
    kv_.push_back(etcdserverpb::KV::NewStub(channels_.back()));
    lease_.push_back(etcdserverpb::Lease::NewStub(channels_.back()));
  }
}

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(ClientOptions options) {
  if (options.endpoints.empty()) return absl::InvalidArgumentError("no etcd members given");
  std::unique_ptr<Client> client(new Client(std::move(options)));
  if (!client->options_.user.empty()) {
    if (auto status = client->Authenticate(); !status.ok()) return status;
  }
  return client;
}

absl::Status Client::Authenticate() const {
  etcdserverpb::AuthenticateRequest request;
  request.set_name(options_.user);
  request.set_password(options_.password);
  const auto deadline = std::chrono::system_clock::now() + options_.request_timeout;
  grpc::Status last;
  for (size_t attempt = 0; attempt < channels_.size(); ++attempt) {
    const size_t member = current_.load();
    grpc::ClientContext context;
    context.set_deadline(deadline);
    etcdserverpb::AuthenticateResponse response;
    last =
        etcdserverpb::Auth::NewStub(channels_[member])->Authenticate(&context, request, &response);
    if (last.ok()) {
      std::lock_guard lock(token_mutex_);
      token_ = response.token();
      return absl::OkStatus();
    }
    if (last.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    MemberFailed(member);
  }
  return FromGrpc(last);
}

void Client::PrepareStream(grpc::ClientContext* context) const {
  context->AddMetadata(kRequireLeaderHeader, "true");
  std::lock_guard lock(token_mutex_);
  if (!token_.empty()) context->AddMetadata(kTokenHeader, token_);
}

std::shared_ptr<grpc::Channel> Client::Channel(size_t* member) const {
  *member = current_.load();
  return channels_[*member];
}

void Client::MemberFailed(size_t member) const {
  size_t expected = member;
  current_.compare_exchange_strong(expected, (member + 1) % channels_.size());
}

absl::Status Client::Invoke(
    const std::function<grpc::Status(size_t member, grpc::ClientContext*)>& call) const {
  const auto deadline = std::chrono::system_clock::now() + options_.request_timeout;
  grpc::Status last;
  bool authenticated_again = false;
  // Each member once, and once more after a new token.
  for (size_t attempt = 0; attempt < channels_.size() + 1; ++attempt) {
    if (std::chrono::system_clock::now() >= deadline) break;
    const size_t member = current_.load();
    grpc::ClientContext context;
    context.set_deadline(deadline);
    PrepareStream(&context);
    last = call(member, &context);
    if (last.ok()) return absl::OkStatus();
    if (TokenExpired(last) && !options_.user.empty() && !authenticated_again) {
      authenticated_again = true;
      if (auto status = Authenticate(); !status.ok()) return status;
      continue;
    }
    // Only an unreachable member (or one without a leader) is worth another member's try.
    if (last.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    MemberFailed(member);
  }
  return FromGrpc(last);
}

absl::StatusOr<etcdserverpb::RangeResponse> Client::Range(
    const etcdserverpb::RangeRequest& request) const {
  etcdserverpb::RangeResponse response;
  auto status = Invoke([&](size_t member, grpc::ClientContext* context) {
    response.Clear();
    return kv_[member]->Range(context, request, &response);
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<etcdserverpb::TxnResponse> Client::Txn(
    const etcdserverpb::TxnRequest& request) const {
  etcdserverpb::TxnResponse response;
  auto status = Invoke([&](size_t member, grpc::ClientContext* context) {
    response.Clear();
    return kv_[member]->Txn(context, request, &response);
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<etcdserverpb::PutResponse> Client::Put(
    const etcdserverpb::PutRequest& request) const {
  etcdserverpb::PutResponse response;
  auto status = Invoke([&](size_t member, grpc::ClientContext* context) {
    response.Clear();
    return kv_[member]->Put(context, request, &response);
  });
  if (!status.ok()) return status;
  return response;
}

absl::Status Client::Compact(int64_t revision) const {
  etcdserverpb::CompactionRequest request;
  request.set_revision(revision);
  etcdserverpb::CompactionResponse response;
  return Invoke([&](size_t member, grpc::ClientContext* context) {
    return kv_[member]->Compact(context, request, &response);
  });
}

absl::StatusOr<int64_t> Client::GrantLease(int64_t ttl_seconds) const {
  etcdserverpb::LeaseGrantRequest request;
  request.set_ttl(ttl_seconds);
  etcdserverpb::LeaseGrantResponse response;
  auto status = Invoke([&](size_t member, grpc::ClientContext* context) {
    response.Clear();
    return lease_[member]->LeaseGrant(context, request, &response);
  });
  if (!status.ok()) return status;
  if (!response.error().empty()) return absl::UnavailableError("etcd: " + response.error());
  return response.id();
}

absl::Status Client::KeepAlive(int64_t lease) const {
  etcdserverpb::LeaseKeepAliveResponse response;
  auto status = Invoke([&](size_t member, grpc::ClientContext* context) {
    auto stream = lease_[member]->LeaseKeepAlive(context);
    etcdserverpb::LeaseKeepAliveRequest request;
    request.set_id(lease);
    if (!stream->Write(request) || !stream->Read(&response)) {
      stream->WritesDone();
      const grpc::Status finished = stream->Finish();
      return finished.ok() ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "keep-alive stream ended")
                           : finished;
    }
    stream->WritesDone();
    context->TryCancel();
    (void)stream->Finish();
    return grpc::Status::OK;
  });
  if (!status.ok()) return status;
  // etcd answers a keep-alive of an expired lease with a TTL of 0.
  if (response.ttl() <= 0) return absl::NotFoundError("etcd lease expired");
  return absl::OkStatus();
}

absl::Status Client::RevokeLease(int64_t lease) const {
  etcdserverpb::LeaseRevokeRequest request;
  request.set_id(lease);
  etcdserverpb::LeaseRevokeResponse response;
  return Invoke([&](size_t member, grpc::ClientContext* context) {
    return lease_[member]->LeaseRevoke(context, request, &response);
  });
}

}  // namespace gatehouse::etcd

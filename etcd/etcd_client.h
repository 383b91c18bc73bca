#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "etcd/proto/rpc.grpc.pb.h"
#include "grpcpp/security/credentials.h"

namespace gatehouse::etcd {

struct ClientOptions {
  std::vector<std::string> endpoints;  // HOST:PORT of each member (ParseEtcdUrl)
  // How channels are secured (etcd's --cert-file / --trusted-ca-file; ClientTls::Credentials);
  // null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // etcd's own authentication (`etcdctl auth enable`); empty user: none.
  std::string user;
  std::string password;
  // A call not answered within this is UNAVAILABLE: a cluster without quorum never answers a
  // write, and a caller must hear so rather than wait.
  std::chrono::milliseconds request_timeout{5000};
};

// The end of the keys that start with `prefix` (etcd's range_end for a prefix).
std::string PrefixEnd(const std::string& prefix);

// A client of an etcd cluster's v3 API. Calls go to one member; when it is unreachable they
// move to the next, so a cluster that keeps quorum keeps answering while a member is down.
// Errors are UNAVAILABLE when no member answered in time, else etcd's code. Thread-safe.
class Client {
 public:
  // Connects lazily; authenticates at once when a user is given (so a bad password is a
  // start-up error).
  static absl::StatusOr<std::unique_ptr<Client>> Connect(ClientOptions options);

  absl::StatusOr<etcdserverpb::RangeResponse> Range(
      const etcdserverpb::RangeRequest& request) const;
  absl::StatusOr<etcdserverpb::TxnResponse> Txn(const etcdserverpb::TxnRequest& request) const;
  absl::StatusOr<etcdserverpb::PutResponse> Put(const etcdserverpb::PutRequest& request) const;
  // Drops the history before `revision` (as `etcdctl compact`): watches from earlier fail.
  absl::Status Compact(int64_t revision) const;

  // A lease of `ttl_seconds`; its id.
  absl::StatusOr<int64_t> GrantLease(int64_t ttl_seconds) const;
  // Renews the lease once. NOT_FOUND when it has expired already.
  absl::Status KeepAlive(int64_t lease) const;
  absl::Status RevokeLease(int64_t lease) const;

  // For streams (Watch): a context with the deadline-free metadata every call carries, and the
  // channel of the member in use. `member` names it for MemberFailed.
  std::shared_ptr<grpc::Channel> Channel(size_t* member) const;
  void PrepareStream(grpc::ClientContext* context) const;
  // The member `member` did not answer: later calls try the next.
  void MemberFailed(size_t member) const;

  const ClientOptions& options() const { return options_; }

 private:
  explicit Client(ClientOptions options);

  // Runs `call` on the member in use, moving on to the next ones while members are
  // unreachable, within one request_timeout; authenticates again once when the token expired.
  absl::Status Invoke(
      const std::function<grpc::Status(size_t member, grpc::ClientContext*)>& call) const;
  absl::Status Authenticate() const;

  const ClientOptions options_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<etcdserverpb::KV::Stub>> kv_;
  std::vector<std::unique_ptr<etcdserverpb::Lease::Stub>> lease_;
  mutable std::atomic<size_t> current_{0};
  mutable std::mutex token_mutex_;
  mutable std::string token_;  // etcd's auth token, under token_mutex_
};

}  // namespace gatehouse::etcd

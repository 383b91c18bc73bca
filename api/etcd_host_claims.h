#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "api/etcd_keyspace.h"
#include "etcd/etcd_client.h"

namespace gatehouse::api {

// Keeps each host name with one zone across every replica that shares an etcd store, as one
// control plane does (common/host_ownership.h): a claim is a key naming its zone, written in
// the transaction of the version that makes it. The claims a version adds are checked against
// the overlapping claim keys read at one revision, and the transaction compares those keys, so
// it fails when another replica claimed an overlapping name in between: of two tenants pushing
// one name through two replicas at once, exactly one gets it.
class EtcdHostClaims {
 public:
  // `client` and `keys` outlive this.
  EtcdHostClaims(const etcd::Client& client, const EtcdKeyspace& keys);

  // Adds to `txn`, which appends a version of `zone`, the compares and operations that make
  // the zone's claims `claims` (empty for a deletion: the zone releases them all).
  // FAILED_PRECONDITION (StoredHostConflictError) when another zone holds an overlapping claim;
  // UNAVAILABLE when etcd cannot be read.
  absl::Status AddToVersionTxn(const std::string& zone, const std::vector<std::string>& claims,
                               etcdserverpb::TxnRequest* txn) const;

 private:
  // The claims `zone` holds now.
  absl::StatusOr<std::vector<std::string>> Held(const std::string& zone) const;

  const etcd::Client& client_;
  const EtcdKeyspace& keys_;
};

}  // namespace gatehouse::api

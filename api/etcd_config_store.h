#pragma once

#include <memory>
#include <string>

#include "api/config_store.h"
#include "api/etcd_host_claims.h"
#include "api/etcd_keyspace.h"
#include "etcd/etcd_client.h"

namespace gatehouse::api {

// The ConfigStore of control-plane replicas: zone versions, certificates (keys only sealed) and
// compiled managed rulesets in an etcd cluster (api/etcd_keyspace.h for the layout), so that
// any replica serves any push and survives the loss of a machine.
//
// A version is appended by one etcd transaction that compares the zone's head revision with the
// one read: two replicas appending to one zone cannot both succeed from the same version, so
// expected_version holds across replicas and no append is lost. Sequences are etcd revisions:
// global, increasing, and the same on every replica. Calls are UNAVAILABLE while etcd has no
// quorum; nothing is then stored. A version's host claims (ZoneRecord::host_claims) are kept in
// the same transaction (api/etcd_host_claims.h): a claim another zone holds is
// FAILED_PRECONDITION (StoredHostConflictError). Thread-safe.
class EtcdConfigStore : public ConfigStore {
 public:
  // Reads (or, on first use of the prefix, creates) the lineage. `client` outlives the store.
  static absl::StatusOr<std::unique_ptr<EtcdConfigStore>> Open(const etcd::Client& client,
                                                               const std::string& prefix);

  absl::StatusOr<ZoneRecord> Append(ZoneRecord record,
                                    std::optional<uint64_t> expected_version) override;
  absl::StatusOr<ZoneRecord> AppendWithCertificates(
      ZoneRecord record, std::optional<uint64_t> expected_version,
      std::vector<StoredCertificate> certificates) override;
  std::vector<StoredCertificate> Certificates(const std::string& zone) const override;
  absl::StatusOr<ZoneRecord> Latest(const std::string& zone) const override;
  absl::StatusOr<ZoneRecord> Version(const std::string& zone, uint64_t version) const override;
  std::vector<ZoneRecord> History(const std::string& zone) const override;
  std::vector<ZoneRecord> LatestOfAllZones() const override;
  uint64_t LastSequence() const override;
  absl::StatusOr<StoreState> LatestState() const override;
  std::string Lineage() const override { return lineage_; }
  std::optional<std::string> CompiledManagedRuleset(const std::string& source_key) const override;
  absl::Status StoreCompiledManagedRuleset(const std::string& id, const std::string& source_key,
                                           const std::string& compiled) override;
  absl::StatusOr<ListRecord> AppendList(ListRecord record,
                                        std::optional<uint64_t> expected_version) override;
  absl::StatusOr<ListRecord> LatestList(const std::string& name) const override;
  std::vector<ListRecord> LatestOfAllLists() const override;
  std::vector<ListVersionSummary> ListHistory(const std::string& name) const override;

  // LatestState, and the etcd revision it was read at: a follower that lost the changes in
  // between (compacted) reloads this and watches on from after `*revision`.
  absl::StatusOr<StoreState> LatestStateAt(int64_t* revision) const;
  // The zone's certificates as they were at `revision` (a version's sequence), for a replica
  // that publishes a version another replica stored.
  absl::StatusOr<std::vector<StoredCertificate>> CertificatesAt(const std::string& zone,
                                                                int64_t revision) const;
  // A zone version as etcd holds it (a watch event's key and value) as a record; nullopt when
  // the key is not a zone version's.
  absl::StatusOr<std::optional<ZoneRecord>> ParseZoneVersion(const mvccpb::KeyValue& kv) const;

  // A list's newest version as etcd holds it (a watch event's key and value) as a record.
  absl::StatusOr<ListRecord> ParseListVersion(const mvccpb::KeyValue& kv) const;

  const EtcdKeyspace& keyspace() const { return keys_; }
  const etcd::Client& client() const { return client_; }

 private:
  EtcdConfigStore(const etcd::Client& client, const std::string& prefix);

  absl::StatusOr<ZoneRecord> AppendVersion(ZoneRecord record,
                                           std::optional<uint64_t> expected_version,
                                           const std::vector<StoredCertificate>* certificates);
  absl::Status LoadLineage();
  // Adds to `txn`, which appends a version of `zone`, the compares and operations that make the
  // lists the zone names `lists` (empty for a deletion); FAILED_PRECONDITION when one of them
  // is not live or not scoped to the zone (api/list_uses.h).
  absl::Status AddListUsesToTxn(const std::string& zone, const std::vector<std::string>& lists,
                                etcdserverpb::TxnRequest* txn) const;
  // Adds to `txn`, which appends `record`, the compare on the list's users; ListInUseError when
  // a zone `record` takes the list from names it.
  absl::Status AddListUsersCheckToTxn(const ListRecord& record,
                                      etcdserverpb::TxnRequest* txn) const;
  static std::string SerializeListVersion(const ListRecord& record);
  // Every live list's newest record as of `revision` (0: now).
  absl::StatusOr<std::vector<ListRecord>> ReadLists(int64_t revision) const;
  // The records under a zone's versions, in key (version) order, or newest only.
  absl::StatusOr<std::vector<ZoneRecord>> ReadVersions(const std::string& zone,
                                                       bool newest_only) const;

  const etcd::Client& client_;
  const EtcdKeyspace keys_;
  const EtcdHostClaims host_claims_;
  std::string lineage_;
};

}  // namespace gatehouse::api

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/list_store.h"

namespace gatehouse::api {

// One accepted version of one zone.
struct ZoneRecord {
  std::string zone;
  uint64_t version = 0;   // the zone's own version: 1, 2, 3, …
  uint64_t sequence = 0;  // position in the deployment-wide change log; the snapshot version
  std::string config_hash;
  std::string config_json;  // canonical JSON
  std::string author;       // who pushed it
  int64_t created_unix_ms = 0;
  bool deleted = false;     // a tombstone: the zone was deleted at this version
  // The zone's serialised Hyperscan prefilter databases (a CompiledZone holding only those),
  // kept so that a restarted control plane publishes them without compiling every zone.
  std::string prefilters;
  // The host names this version claims, for a store shared by replicas, which keeps each name
  // with one zone (api/etcd_host_claims.h). nullopt: the zone's claims do not change (a
  // certificate change). Written only: records read back have none.
  std::optional<std::vector<std::string>> host_claims;
  // The account-level lists this version names (its program's account_lists). The store checks
  // in the append itself that each is live and scoped to the zone, and keeps them, so that a list
  // is never deleted (nor its scope narrowed) under a zone naming it (api/list_uses.h). nullopt:
  // they do not change (a certificate change). Written only, like host_claims.
  std::optional<std::vector<std::string>> account_lists;
};

// A certificate a zone serves, as stored: its private key only sealed (api/secrets_key.h, with
// CertificateKeyBinding as associated data), never in the clear.
struct StoredCertificate {
  std::string zone;
  std::string fingerprint;  // lower-case hex SHA-256 of the leaf's DER
  std::string chain_pem;
  std::string sealed_key;
  std::vector<std::string> names;  // the leaf's DNS names
  int64_t not_before_unix = 0;
  int64_t not_after_unix = 0;
  int64_t created_unix_ms = 0;
  std::string author;
};

// Every live zone's newest record and the last sequence, as of one moment: what a control plane
// publishes at start.
struct StoreState {
  std::vector<ZoneRecord> zones;  // by zone name
  uint64_t last_sequence = 0;
  // The certificates of those zones that have any (each sorted by fingerprint).
  std::map<std::string, std::vector<StoredCertificate>> certificates;
  // Every live account-level list's newest record, by name.
  std::vector<ListRecord> lists;
};

// Durable history of every zone's versions, and of the account-level lists zones name (one
// change log orders both). Implementations are thread-safe.
class ConfigStore : public ListStore {
 public:
  ~ConfigStore() override = default;

  // Appends the next version of `record.zone` (version and sequence are assigned and returned).
  // When expected_version is set and differs from the zone's current version, fails with
  // FAILED_PRECONDITION and stores nothing. Returns once the record is durable.
  virtual absl::StatusOr<ZoneRecord> Append(ZoneRecord record,
                                            std::optional<uint64_t> expected_version) = 0;

  // Append, and in the same durable step the zone's certificates become `certificates` (sorted
  // by fingerprint; empty removes them all): a certificate change is a new version of its zone,
  // so that proxies see it as one. Certificates are the zone's, not a version's: other
  // appends keep them.
  virtual absl::StatusOr<ZoneRecord> AppendWithCertificates(
      ZoneRecord record, std::optional<uint64_t> expected_version,
      std::vector<StoredCertificate> certificates) = 0;
  // The zone's certificates, sorted by fingerprint.
  virtual std::vector<StoredCertificate> Certificates(const std::string& zone) const = 0;

  // The newest record of a zone (which may be a tombstone), or NOT_FOUND.
  virtual absl::StatusOr<ZoneRecord> Latest(const std::string& zone) const = 0;
  virtual absl::StatusOr<ZoneRecord> Version(const std::string& zone, uint64_t version) const = 0;
  virtual std::vector<ZoneRecord> History(const std::string& zone) const = 0;
  // The newest record of every zone that is not deleted, by zone name.
  virtual std::vector<ZoneRecord> LatestOfAllZones() const = 0;
  // The highest sequence ever assigned (0 when empty).
  virtual uint64_t LastSequence() const = 0;
  // LatestOfAllZones and LastSequence read together. This default suits a store with one
  // writer, its caller (which then appends nothing in between); a store that other processes
  // write reads both at one revision. UNAVAILABLE when the store cannot be read.
  virtual absl::StatusOr<StoreState> LatestState() const;
  // An id made when the store was created and kept with it: snapshot versions (sequences) are
  // comparable only between snapshots of the same lineage.
  virtual std::string Lineage() const = 0;

  // Compiled managed rulesets (a serialised snapshot::v1::ManagedRuleset) by a digest of their
  // source files (compiler/managed_rulesets.h), so a restart does not compile the CRS again.
  // One per ruleset id: storing another key replaces it.
  virtual std::optional<std::string> CompiledManagedRuleset(
      const std::string& source_key) const = 0;
  virtual absl::Status StoreCompiledManagedRuleset(const std::string& id,
                                                   const std::string& source_key,
                                                   const std::string& compiled) = 0;
};

// A fresh lineage id: 128 random bits in hex.
std::string NewLineageId();

// What a certificate's sealed key is bound to: sealed for one zone and fingerprint, it does not
// open as another's.
std::string CertificateKeyBinding(const std::string& zone, const std::string& fingerprint);

}  // namespace gatehouse::api

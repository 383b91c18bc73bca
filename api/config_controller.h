#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "api/account_list_catalog.h"
#include "api/compile_scheduler.h"
#include "api/config_store.h"
#include "api/secrets_key.h"
#include "api/snapshot_publisher.h"
#include "common/host_ownership.h"
#include "compiler/zone_compiler.h"

namespace gatehouse::api {

// Limits on what customers may store; exceeding one is RESOURCE_EXHAUSTED.
struct ControllerLimits {
  size_t max_config_bytes = 1 << 20;
  size_t max_zones = 100000;
  size_t max_certificates_per_zone = 16;
};

// How the controller treats certificates' private keys.
struct CertificateSecrets {
  // Seals keys at rest and opens them to publish; null: uploads are FAILED_PRECONDITION.
  const SecretsKey* secrets_key = nullptr;
  // Whether published zones carry the keys: only when proxies are served over TLS.
  bool publish_private_keys = false;
};

// The control plane's logic, apart from gRPC: accept a zone config only once it compiles, store
// it durably, then publish a new snapshot. Thread-safe.
class ConfigController {
 public:
  // Checks the caller may change the named zone; called once the zone name is known.
  using Authorize = std::function<absl::Status(const std::string& zone)>;

  // `scheduler`: where compiles run (off the request thread, fairly between tenants); null runs
  // them on the calling thread (tests).
  ConfigController(ConfigStore& store, SnapshotPublisher& publisher,
                   compiler::ZoneCompileOptions options = {}, ControllerLimits limits = {},
                   CompileScheduler* scheduler = nullptr, CertificateSecrets secrets = {},
                   PublishMode mode = PublishMode::kDirect, AccountListCatalog* lists = nullptr);

  // Publishes the newest version of every zone and account-level list the store holds (used at
  // start; the list catalog is loaded with them), as one snapshot
  // whose version is the store's last sequence. DATA_LOSS when a certificate's key is to be
  // published and does not open (another --secrets-key-file, or none).
  absl::Status LoadFromStore();

  // After a secrets-key rotation: every certificate whose key a previous secrets key sealed is
  // sealed again with the current one, as a new version of its zone by `author`, so the
  // previous key can be destroyed. Returns how many keys were sealed again; a zone that
  // another replica changes meanwhile is left for the next start (FAILED_PRECONDITION logged).
  absl::StatusOr<size_t> ResealCertificates(const std::string& author);

  // kFromStore: publishes a version read from the shared store (written by any replica) with
  // the certificates its zone had at that version, as snapshot `record.sequence`. Versions at
  // or below the current snapshot are skipped (already published). DATA_LOSS when it cannot be
  // published (its config does not parse, a key does not open).
  absl::Status ApplyStored(const ZoneRecord& record,
                           const std::vector<StoredCertificate>& certificates);

  // kFromStore: publishes `state` (read from the shared store) as one snapshot, for a replica
  // that lost the versions in between (etcd compacted them): zones changed since are published
  // again, zones gone are removed. Nothing when it is not newer than the current snapshot. A
  // zone that cannot be published is logged and left as it is.
  absl::Status ApplyState(const StoreState& state);

  struct PutResult {
    ZoneRecord record;
    bool unchanged = false;
  };

  // Whose compile this is, for the scheduler's fairness, and whether its caller is gone.
  struct CompileTicket {
    std::string tenant;                // the token id
    std::function<bool()> abandoned;  // true once the caller's deadline passed; may be null
  };

  // How a put treats host names other zones hold. A claim that overlaps another zone's is
  // FAILED_PRECONDITION, naming the other zone only when `reveal_owners` (the admin).
  struct PutOptions {
    bool reveal_owners = false;
    // Instead, remove the overlapping claims from the other zones (a new version of each).
    bool transfer_hostnames = false;
    CompileTicket compile;
  };

  // Host names two live zones both claim, from a store written before claims were checked.
  std::vector<HostClaims::Overlap> HostOverlaps() const;

  // INVALID_ARGUMENT (with `diagnostics` filled) when the config does not compile;
  // FAILED_PRECONDITION when expected_version is non-zero and not the current version, or when
  // it claims a host name another zone holds; RESOURCE_EXHAUSTED past a limit; whatever
  // `authorize` returns when it refuses.
  absl::StatusOr<PutResult> Put(std::string_view config_json, uint64_t expected_version,
                                const std::string& author, const Authorize& authorize,
                                const PutOptions& options,
                                std::vector<compiler::ZoneDiagnostic>* diagnostics);

  // Stores the content of `to_version` as a new version (unchanged when it is the current one).
  // NOT_FOUND when there is no such version or it is a tombstone.
  absl::StatusOr<PutResult> Rollback(const std::string& zone, uint64_t to_version,
                                     uint64_t expected_version, const std::string& author,
                                     const PutOptions& options,
                                     std::vector<compiler::ZoneDiagnostic>* diagnostics);

  // Stores a tombstone and stops serving the zone. NOT_FOUND when the zone is not live.
  absl::StatusOr<ZoneRecord> Delete(const std::string& zone, uint64_t expected_version,
                                    const std::string& author);

  struct CertificateResult {
    ZoneRecord record;              // the zone's version that serves it
    StoredCertificate certificate;  // as stored (the key sealed)
    bool unchanged = false;         // the zone had it already
  };

  // Checks the certificate against the live zone (CheckZoneCertificate), seals its key and
  // stores it as a new version of the zone, then publishes that. FAILED_PRECONDITION without a
  // secrets key; NOT_FOUND when the zone is not live; INVALID_ARGUMENT when a check fails;
  // RESOURCE_EXHAUSTED past max_certificates_per_zone.
  absl::StatusOr<CertificateResult> UploadCertificate(const std::string& zone,
                                                      std::string_view chain_pem,
                                                      std::string_view key_pem,
                                                      const std::string& author);
  // A new version of the zone without the certificate. NOT_FOUND when the zone is not live or
  // has no certificate `fingerprint`.
  absl::StatusOr<ZoneRecord> DeleteCertificate(const std::string& zone,
                                               const std::string& fingerprint,
                                               const std::string& author);

  // A full compile that stores nothing. Fails only when the scheduler refuses the compile.
  absl::StatusOr<compiler::ZoneCompileResult> Validate(std::string_view config_json,
                                                       const CompileTicket& ticket) const;

  const ControllerLimits& limits() const { return limits_; }

 private:
  // A stored version as published: its stored program (compiled again when it has none or was
  // compiled against other managed rulesets), config and certificates.
  absl::StatusOr<std::shared_ptr<const snapshot::v1::CompiledZone>> ZoneFromRecord(
      const ZoneRecord& record, const std::vector<StoredCertificate>& certificates) const;
  // Under put_mutex_: publishes `state` as snapshot state.last_sequence, reusing the zones
  // published at the same version. A zone that cannot be published is an error, or with
  // `skip_unpublishable` logged and left as it is.
  absl::Status PublishStateLocked(const StoreState& state, bool skip_unpublishable);
  // kFromStore: waits (outside put_mutex_) until snapshot `sequence` is published.
  void AwaitPublished(uint64_t sequence) const;
  // Whether `program` was compiled against managed rulesets other than the ones loaded now.
  bool UsesOtherManagedRulesets(const plan::v1::ZoneProgram& program) const;
  // The compile options for `zone`: with the account-level lists it may name.
  compiler::ZoneCompileOptions OptionsFor(const std::string& zone) const;
  // Runs `compile` on the scheduler for `ticket` (inline without one).
  absl::Status Compile(const CompileTicket& ticket, const std::function<void()>& compile) const;

  // StoreLocked under put_mutex_, then AwaitPublished. A host claim the shared store refuses
  // (another replica's, not published here yet) is checked again once this replica has it.
  absl::StatusOr<PutResult> Store(const config::v1::ZoneConfig& config,
                                  const std::string& config_hash,
                                  const plan::v1::ZoneProgram& program, uint64_t expected_version,
                                  const std::string& author, const PutOptions& options);
  // Under put_mutex_: the no-op check, the append and the publish.
  absl::StatusOr<PutResult> StoreLocked(const config::v1::ZoneConfig& config,
                                        const std::string& config_hash,
                                        const plan::v1::ZoneProgram& program,
                                        uint64_t expected_version,
                                        const std::string& author, const PutOptions& options);
  // Under put_mutex_: OK when `config` claims no host name another live zone holds that it
  // did not hold already; else FAILED_PRECONDITION, or with transfer_hostnames the other zones
  // give the names up.
  absl::Status ClaimHostsLocked(const config::v1::ZoneConfig& config, const std::string& author,
                                const PutOptions& options);
  // Under put_mutex_: stores a version of `zone` without `claims`.
  absl::Status GiveUpHostsLocked(const std::string& zone, const std::set<std::string>& claims,
                                 const std::string& author);
  // Under put_mutex_: stores `latest`'s content as a new version with `certificates`, and
  // publishes it.
  absl::StatusOr<ZoneRecord> ChangeCertificatesLocked(const ZoneRecord& latest,
                                                      std::vector<StoredCertificate> certificates,
                                                      const std::string& author);
  // The zone's stored certificates, checked against the `live` (published) zone's.
  absl::StatusOr<std::vector<StoredCertificate>> HeldCertificates(
      const std::string& zone, const snapshot::v1::CompiledZone& live) const;
  // Sets `zone`'s certificates to `stored`, keys opened when they are published.
  absl::Status AttachCertificates(const std::vector<StoredCertificate>& stored,
                                  snapshot::v1::CompiledZone* zone) const;
  // Publishes the stored version with its compiled program (a CompiledZone holding only that)
  // and the certificates the zone serves now.
  void PublishRecord(const ZoneRecord& record, const config::v1::ZoneConfig& config,
                     snapshot::v1::CompiledZone compiled);

  ConfigStore& store_;
  SnapshotPublisher& publisher_;
  const compiler::ZoneCompileOptions options_;
  const ControllerLimits limits_;
  CompileScheduler* const scheduler_;
  const CertificateSecrets secrets_;
  const PublishMode mode_;
  // The account-level lists zones may name (null: none); loaded by LoadFromStore.
  AccountListCatalog* const lists_;
  // Puts are serialised so that the hash comparison, the append and the publish of one put are
  // not interleaved with another's: no lost update, no out-of-order publish.
  mutable std::mutex put_mutex_;
  // Every live zone's host names (under put_mutex_).
  HostClaims claims_;
};

}  // namespace gatehouse::api

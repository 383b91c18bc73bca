#include "api/config_controller.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "api/host_claim_conflict.h"
#include "api/stored_certificate.h"
#include "api/stored_zone.h"
#include "api/zone_certificate_check.h"
#include "common/tls_certificate.h"
#include "common/logging.h"
#include "compiler/snapshot_assembly.h"
#include "compiler/zone_config_json.h"

namespace gatehouse::api {
namespace {

absl::Status InvalidFromDiagnostics(const std::vector<compiler::ZoneDiagnostic>& diagnostics) {
  std::string message;
  for (const auto& d : diagnostics) message += d.rendered;
  return absl::InvalidArgumentError(message);
}

// FAILED_PRECONDITION naming the host names of `config` that no certificate of the zone covers,
// when it has certificates: a TLS client asking for such a name would get another zone's
// certificate or none. A zone without certificates serves plain HTTP only and passes.
absl::Status CheckHostnamesCovered(const config::v1::ZoneConfig& config,
                                   const std::vector<StoredCertificate>& certificates) {
  if (certificates.empty()) return absl::OkStatus();
  std::vector<std::string> uncovered;
  for (const std::string& hostname : config.hostnames()) {
    const bool covered = std::any_of(
        certificates.begin(), certificates.end(), [&](const StoredCertificate& certificate) {
          return std::any_of(certificate.names.begin(), certificate.names.end(),
                             [&](const std::string& name) {
                               return CertificateNameCovers(name, hostname);
                             });
        });
    if (!covered) uncovered.push_back(hostname);
  }
  if (uncovered.empty()) return absl::OkStatus();
  std::vector<std::string> seen;
  std::string names;
  for (const StoredCertificate& certificate : certificates) {
    for (const std::string& name : certificate.names) {
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      seen.push_back(name);
      names += (names.empty() ? "" : ", ") + name;
    }
  }
  std::string message = "zone " + config.zone() + ": no certificate of the zone covers ";
  for (size_t i = 0; i < uncovered.size(); ++i) message += (i == 0 ? "" : ", ") + uncovered[i];
  return absl::FailedPreconditionError(
      message + " (its certificates name " + names +
      "); upload a certificate that covers them first (gatectl certs upload)");
}

// The refusal of a claim `zone` makes that overlaps another zone's: the same whether this
// replica found it or the shared store did.
absl::Status HostConflictError(const HostConflict& conflict, const std::string& zone,
                               bool reveal_owners) {
  if (reveal_owners) {
    return absl::FailedPreconditionError(
        "host name \"" + conflict.claim + "\" overlaps \"" + conflict.other_claim + "\" of zone " +
        conflict.other_zone + " (a host name belongs to one zone); push with " +
        "--transfer-hostnames to move it to zone " + zone);
  }
  // A scoped caller learns that the name is taken, never by which zone.
  return absl::FailedPreconditionError(
      "host name \"" + conflict.claim +
      "\" is already served by another zone (a host name belongs to one zone); remove it from "
      "hostnames, or ask the admin to transfer it");
}

}  // namespace

ConfigController::ConfigController(ConfigStore& store, SnapshotPublisher& publisher,
                                   compiler::ZoneCompileOptions options, ControllerLimits limits,
                                   CompileScheduler* scheduler, CertificateSecrets secrets,
                                   PublishMode mode, AccountListCatalog* lists)
    : store_(store),
      publisher_(publisher),
      options_(std::move(options)),
      limits_(limits),
      scheduler_(scheduler),
      secrets_(secrets),
      mode_(mode),
      lists_(lists) {}

compiler::ZoneCompileOptions ConfigController::OptionsFor(const std::string& zone) const {
  compiler::ZoneCompileOptions options = options_;
  if (lists_ != nullptr) options.account_lists = lists_->VisibleTo(zone);
  return options;
}

absl::Status ConfigController::Compile(const CompileTicket& ticket,
                                       const std::function<void()>& compile) const {
  if (scheduler_ == nullptr) {
    compile();
    return absl::OkStatus();
  }
  return scheduler_->Run(ticket.tenant, compile, ticket.abandoned);
}

bool ConfigController::UsesOtherManagedRulesets(const plan::v1::ZoneProgram& program) const {
  for (const auto& use : program.managed_rulesets()) {
    const sdk::ManagedRulesetSet::Entry* entry =
        options_.managed_rulesets == nullptr ? nullptr : options_.managed_rulesets->Find(use.id());
    if (entry == nullptr || entry->digest != use.digest()) return true;
  }
  return false;
}

absl::StatusOr<std::shared_ptr<const snapshot::v1::CompiledZone>> ConfigController::ZoneFromRecord(
    const ZoneRecord& record, const std::vector<StoredCertificate>& certificates) const {
  auto config = compiler::ParseZoneConfigJson(record.config_json);
  if (!config.ok()) {
    return absl::DataLossError("stored zone " + record.zone + " version " +
                               std::to_string(record.version) +
                               " does not parse: " + std::string(config.status().message()));
  }
  auto zone = std::make_shared<snapshot::v1::CompiledZone>();
  // The program compiled when the version was stored. A store from an older release holds
  // none (or one of another program version): the zone is compiled again, here, once.
  if (!ReadStoredProgram(record, zone.get())) {
    compiler::ZoneCompileResult compiled =
        compiler::CompileZone(*config, OptionsFor(config->zone()));
    if (!compiled.ok()) {
      return absl::DataLossError("stored zone " + record.zone + " version " +
                                 std::to_string(record.version) +
                                 " no longer compiles: " + compiled.RenderedDiagnostics());
    }
    zone->Clear();
    *zone->mutable_program() = std::move(compiled.program);
  } else if (UsesOtherManagedRulesets(zone->program())) {
    // Compiled against a managed ruleset that has changed since (another CRS release): its
    // overrides are checked again. One that no longer fits keeps its program, which proxies
    // link against the new ruleset (overrides of rules it lost have nothing to change).
    compiler::ZoneCompileResult compiled =
        compiler::CompileZone(*config, OptionsFor(config->zone()));
    if (compiled.ok()) {
      zone->clear_program();
      *zone->mutable_program() = std::move(compiled.program);
    } else {
      GH_LOG(WARNING) << "stored zone " << record.zone << " version " << record.version
                      << " does not compile against the managed rulesets now loaded; it "
                         "keeps the program it was stored with: "
                      << compiled.RenderedDiagnostics();
    }
  }
  zone->set_zone(record.zone);
  zone->set_version(record.version);
  zone->set_config_hash(record.config_hash);
  zone->mutable_program()->set_config_hash(record.config_hash);
  *zone->mutable_config() = *std::move(config);
  if (auto status = AttachCertificates(certificates, zone.get()); !status.ok()) return status;
  return std::shared_ptr<const snapshot::v1::CompiledZone>(std::move(zone));
}

absl::Status ConfigController::LoadFromStore() {
  std::lock_guard lock(put_mutex_);
  auto state = store_.LatestState();
  if (!state.ok()) return state.status();
  return PublishStateLocked(*state, /*skip_unpublishable=*/false);
}

absl::Status ConfigController::ApplyState(const StoreState& state) {
  std::lock_guard lock(put_mutex_);
  if (state.last_sequence <= publisher_.Current()->version) return absl::OkStatus();
  return PublishStateLocked(state, /*skip_unpublishable=*/true);
}

absl::Status ConfigController::PublishStateLocked(const StoreState& state,
                                                  bool skip_unpublishable) {
  // Lists first: a zone compiled again here type-checks against them.
  compiler::AccountLists lists;
  if (lists_ != nullptr) {
    auto loaded = lists_->Load(state.lists, options_.limits);
    if (!loaded.ok()) return loaded.status();
    lists = *std::move(loaded);
  }
  const auto current = publisher_.Current();
  compiler::ZoneSet::Editor zones(current->zones);
  std::set<std::string> live;
  for (const ZoneRecord& record : state.zones) {
    live.insert(record.zone);
    // Versions never change and a certificate change is a version: one published is current.
    if (const auto* held = current->zones.Find(record.zone);
        held != nullptr && (*held)->version() == record.version) {
      continue;
    }
    const auto certificates = state.certificates.find(record.zone);
    auto zone = ZoneFromRecord(record, certificates == state.certificates.end()
                                           ? std::vector<StoredCertificate>()
                                           : certificates->second);
    if (!zone.ok() && skip_unpublishable) {
      GH_LOG(ERROR) << "zone " << record.zone << " version " << record.version
                    << " not published: " << zone.status().message();
      continue;
    }
    if (!zone.ok()) return zone.status();
    claims_.Set(record.zone,
                {(*zone)->config().hostnames().begin(), (*zone)->config().hostnames().end()});
    zones.Set(record.zone, *std::move(zone));
  }
  std::vector<std::string> gone;
  for (const auto& [name, zone] : current->zones) {
    if (live.count(name) == 0) gone.push_back(name);
  }
  for (const std::string& name : gone) {
    zones.Erase(name);
    claims_.Remove(name);
  }
  // The store's sequence, so snapshot versions never go backwards across restarts.
  publisher_.PublishAll(state.last_sequence, std::move(zones).Finish(), std::move(lists));
  return absl::OkStatus();
}

absl::Status ConfigController::ApplyStored(const ZoneRecord& record,
                                           const std::vector<StoredCertificate>& certificates) {
  std::lock_guard lock(put_mutex_);
  if (record.sequence <= publisher_.Current()->version) return absl::OkStatus();
  if (record.deleted) {
    publisher_.Publish(record.sequence, record.zone, nullptr);
    claims_.Remove(record.zone);
    return absl::OkStatus();
  }
  auto zone = ZoneFromRecord(record, certificates);
  if (!zone.ok()) return zone.status();
  claims_.Set(record.zone,
              {(*zone)->config().hostnames().begin(), (*zone)->config().hostnames().end()});
  publisher_.Publish(record.sequence, record.zone, *std::move(zone));
  return absl::OkStatus();
}

void ConfigController::AwaitPublished(uint64_t sequence) const {
  if (mode_ != PublishMode::kFromStore) return;
  if (!publisher_.AwaitPublished(sequence, kFromStorePublishWait)) {
    GH_LOG(WARNING) << "stored sequence " << sequence
                    << " is not published yet (the store's watch is behind)";
  }
}

std::vector<HostClaims::Overlap> ConfigController::HostOverlaps() const {
  std::lock_guard lock(put_mutex_);
  return claims_.AllOverlaps();
}

absl::StatusOr<ConfigController::PutResult> ConfigController::Put(
    std::string_view config_json, uint64_t expected_version, const std::string& author,
    const Authorize& authorize, const PutOptions& put_options,
    std::vector<compiler::ZoneDiagnostic>* diagnostics) {
  if (config_json.size() > limits_.max_config_bytes) {
    return absl::ResourceExhaustedError("zone config is " + std::to_string(config_json.size()) +
                                        " bytes, over the limit of " +
                                        std::to_string(limits_.max_config_bytes));
  }
  auto config = compiler::ParseZoneConfigJson(config_json);
  if (!config.ok()) {
    compiler::ZoneDiagnostic d;
    d.message = std::string(config.status().message());
    d.rendered = "error: " + d.message + "\n";
    diagnostics->push_back(d);
    return absl::InvalidArgumentError(d.rendered);
  }
  if (authorize) {
    if (auto status = authorize(config->zone()); !status.ok()) return status;
  }
  const std::string hash = compiler::ZoneConfigHash(*config);
  {
    // The cheap no-op: a config equal to the current version is not compiled again.
    auto latest = store_.Latest(config->zone());
    if (latest.ok() && !latest->deleted && latest->config_hash == hash &&
        (expected_version == 0 || expected_version == latest->version)) {
      return PutResult{*std::move(latest), /*unchanged=*/true};
    }
  }
  compiler::ZoneCompileResult compiled;
  if (auto status =
          Compile(put_options.compile,
                  [&] { compiled = compiler::CompileZone(*config, OptionsFor(config->zone())); });
      !status.ok()) {
    return status;
  }
  if (!compiled.ok()) {
    *diagnostics = compiled.diagnostics;
    return InvalidFromDiagnostics(compiled.diagnostics);
  }
  return Store(*config, hash, compiled.program, expected_version, author, put_options);
}

absl::StatusOr<ConfigController::PutResult> ConfigController::Rollback(
    const std::string& zone, uint64_t to_version, uint64_t expected_version,
    const std::string& author, const PutOptions& put_options,
    std::vector<compiler::ZoneDiagnostic>* diagnostics) {
  auto target = store_.Version(zone, to_version);
  if (!target.ok()) return target.status();
  if (target->deleted) {
    return absl::NotFoundError("version " + std::to_string(to_version) + " of zone " + zone +
                               " is a deletion; roll back to a version with content");
  }
  auto config = compiler::ParseZoneConfigJson(target->config_json);
  if (!config.ok()) return absl::DataLossError(std::string(config.status().message()));
  // The old version compiled when it was stored; the compiler may have become stricter since.
  compiler::ZoneCompileResult compiled;
  if (auto status =
          Compile(put_options.compile,
                  [&] { compiled = compiler::CompileZone(*config, OptionsFor(config->zone())); });
      !status.ok()) {
    return status;
  }
  if (!compiled.ok()) {
    *diagnostics = compiled.diagnostics;
    return InvalidFromDiagnostics(compiled.diagnostics);
  }
  return Store(*config, target->config_hash, compiled.program, expected_version, author,
               put_options);
}

absl::StatusOr<ZoneRecord> ConfigController::Delete(const std::string& zone,
                                                    uint64_t expected_version,
                                                    const std::string& author) {
  std::unique_lock lock(put_mutex_);
  auto latest = store_.Latest(zone);
  if (!latest.ok() || latest->deleted) return absl::NotFoundError("no zone " + zone);
  ZoneRecord tombstone;
  tombstone.zone = zone;
  tombstone.author = author;
  tombstone.deleted = true;
  // A deleted zone's certificates (and their keys) go with it: a zone made again later does not
  // inherit them.
  auto stored = store_.AppendWithCertificates(
      std::move(tombstone),
      expected_version == 0 ? std::nullopt : std::optional<uint64_t>(expected_version), {});
  if (!stored.ok()) return stored.status();
  if (mode_ == PublishMode::kDirect) publisher_.Publish(stored->sequence, zone, nullptr);
  claims_.Remove(zone);
  lock.unlock();
  AwaitPublished(stored->sequence);
  return stored;
}

absl::StatusOr<ConfigController::PutResult> ConfigController::Store(
    const config::v1::ZoneConfig& config, const std::string& config_hash,
    const plan::v1::ZoneProgram& program, uint64_t expected_version, const std::string& author,
    const PutOptions& options) {
  // Once to catch up with another replica's claim, and once more should it move meanwhile.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    std::unique_lock lock(put_mutex_);
    auto result = StoreLocked(config, config_hash, program, expected_version, author, options);
    lock.unlock();
    if (result.ok()) {
      if (!result->unchanged) AwaitPublished(result->record.sequence);
      return result;
    }
    const std::optional<StoredHostConflict> conflict = StoredHostConflictOf(result.status());
    if (!conflict.has_value()) return result;
    if (attempt == kAttempts) {
      return HostConflictError(conflict->conflict, config.zone(), options.reveal_owners);
    }
    // The shared store holds a claim this replica has not published yet (another replica's
    // version): once published here, the claim is refused, or transferred, as in one process.
    AwaitPublished(conflict->sequence);
  }
}

absl::StatusOr<ConfigController::PutResult> ConfigController::StoreLocked(
    const config::v1::ZoneConfig& config, const std::string& config_hash,
    const plan::v1::ZoneProgram& program, uint64_t expected_version, const std::string& author,
    const PutOptions& options) {
  auto latest = store_.Latest(config.zone());
  if (latest.ok() && !latest->deleted && latest->config_hash == config_hash &&
      (expected_version == 0 || expected_version == latest->version)) {
    return PutResult{*std::move(latest), /*unchanged=*/true};
  }
  if (expected_version != 0 && expected_version != (latest.ok() ? latest->version : 0)) {
    // Append checks this too; checked first so that a stale put transfers nothing.
    return absl::FailedPreconditionError(
        "zone " + config.zone() + " is at version " +
        std::to_string(latest.ok() ? latest->version : 0) + ", not " +
        std::to_string(expected_version));
  }
  if (auto status = CheckHostnamesCovered(config, store_.Certificates(config.zone()));
      !status.ok()) {
    return status;
  }
  if (auto status = ClaimHostsLocked(config, author, options); !status.ok()) return status;
  const bool new_zone = !latest.ok() || latest->deleted;
  if (new_zone && publisher_.Current()->zones.size() >= limits_.max_zones) {
    return absl::ResourceExhaustedError("the deployment already has " +
                                        std::to_string(limits_.max_zones) +
                                        " zones, the limit");
  }
  // The compiled program (with its prefilter databases) travels with the zone, so proxies only
  // link it; stored too, so that a restarted control plane need not compile again.
  snapshot::v1::CompiledZone compiled = StoredProgram(program, config_hash);
  auto stored = store_.Append(
      NewZoneRecord(config, config_hash, compiled, author),
      expected_version == 0 ? std::nullopt : std::optional<uint64_t>(expected_version));
  if (!stored.ok()) return stored.status();
  if (mode_ == PublishMode::kDirect) PublishRecord(*stored, config, std::move(compiled));
  claims_.Set(config.zone(), {config.hostnames().begin(), config.hostnames().end()});
  return PutResult{*std::move(stored), /*unchanged=*/false};
}

absl::Status ConfigController::ClaimHostsLocked(const config::v1::ZoneConfig& config,
                                                const std::string& author,
                                                const PutOptions& options) {
  // Only names the zone does not serve already: a zone caught in an overlap from an older store
  // can still change (the overlap is reported at start) but never widen it.
  std::set<std::string> held;
  const auto current = publisher_.Current();
  if (const auto* live = current->zones.Find(config.zone()); live != nullptr) {
    held.insert((*live)->config().hostnames().begin(), (*live)->config().hostnames().end());
  }
  std::vector<std::string> wanted;
  for (const std::string& host : config.hostnames()) {
    if (held.count(host) == 0) wanted.push_back(host);
  }
  const std::vector<HostConflict> conflicts = claims_.Conflicts(config.zone(), wanted);
  if (conflicts.empty()) return absl::OkStatus();
  if (options.transfer_hostnames) {
    std::map<std::string, std::set<std::string>> give_up;
    for (const auto& conflict : conflicts) {
      give_up[conflict.other_zone].insert(conflict.other_claim);
    }
    for (const auto& [zone, claims] : give_up) {
      if (auto status = GiveUpHostsLocked(zone, claims, author); !status.ok()) return status;
    }
    return absl::OkStatus();
  }
  return HostConflictError(conflicts.front(), config.zone(), options.reveal_owners);
}

absl::Status ConfigController::GiveUpHostsLocked(const std::string& zone,
                                                 const std::set<std::string>& claims,
                                                 const std::string& author) {
  const auto current = publisher_.Current();
  const auto* live = current->zones.Find(zone);
  if (live == nullptr) return absl::InternalError("zone " + zone + " is not live");
  config::v1::ZoneConfig config = (*live)->config();
  config.clear_hostnames();
  for (const std::string& host : (*live)->config().hostnames()) {
    if (claims.count(host) == 0) config.add_hostnames(host);
  }
  if (config.hostnames().empty()) {
    return absl::FailedPreconditionError("transferring would leave zone " + zone +
                                         " without host names: delete that zone first");
  }
  // Inline, under the lock: a transfer is the admin's and rare, and must not interleave.
  const compiler::ZoneCompileResult compiled =
      compiler::CompileZone(config, OptionsFor(config.zone()));
  if (!compiled.ok()) {
    return absl::FailedPreconditionError("zone " + zone +
                                         " does not compile without the transferred host names: " +
                                         compiled.RenderedDiagnostics());
  }
  return StoreLocked(config, compiled.program.config_hash(), compiled.program, 0, author, {})
      .status();
}

absl::StatusOr<compiler::ZoneCompileResult> ConfigController::Validate(
    std::string_view config_json, const CompileTicket& ticket) const {
  compiler::ZoneCompileResult result;
  // The zone's name decides which account-level lists it may name.
  auto parsed = compiler::ParseZoneConfigJson(config_json);
  const compiler::ZoneCompileOptions options = parsed.ok() ? OptionsFor(parsed->zone()) : options_;
  if (auto status =
          Compile(ticket, [&] { result = compiler::CompileZoneJson(config_json, options); });
      !status.ok()) {
    return status;
  }
  return result;
}

void ConfigController::PublishRecord(const ZoneRecord& record,
                                     const config::v1::ZoneConfig& config,
                                     snapshot::v1::CompiledZone compiled) {
  auto zone = std::make_shared<snapshot::v1::CompiledZone>();
  zone->set_zone(record.zone);
  zone->set_version(record.version);
  zone->set_config_hash(record.config_hash);
  *zone->mutable_config() = config;
  zone->mutable_program()->Swap(compiled.mutable_program());
  // A config change leaves the certificates as they are: those published already (keys opened
  // or left out) go on.
  const auto current = publisher_.Current();
  if (const auto* live = current->zones.Find(record.zone); live != nullptr) {
    *zone->mutable_certificates() = (*live)->certificates();
  }
  publisher_.Publish(record.sequence, record.zone, std::move(zone));
}

absl::Status ConfigController::AttachCertificates(const std::vector<StoredCertificate>& stored,
                                                  snapshot::v1::CompiledZone* zone) const {
  zone->clear_certificates();
  if (stored.empty()) return absl::OkStatus();
  if (secrets_.publish_private_keys && secrets_.secrets_key == nullptr) {
    return absl::FailedPreconditionError(
        "zone " + zone->zone() +
        " has certificates whose private keys are sealed in the store: "
        "give the --secrets-key-file they were sealed with");
  }
  for (const StoredCertificate& certificate : stored) {
    auto published = PublishedCertificate(
        certificate, secrets_.publish_private_keys ? secrets_.secrets_key : nullptr);
    if (!published.ok()) return published.status();
    *zone->add_certificates() = *std::move(published);
  }
  return absl::OkStatus();
}

absl::StatusOr<ConfigController::CertificateResult> ConfigController::UploadCertificate(
    const std::string& zone_name, std::string_view chain_pem, std::string_view key_pem,
    const std::string& author) {
  if (secrets_.secrets_key == nullptr) {
    return absl::FailedPreconditionError(
        "this control plane has no --secrets-key-file, so it cannot store private keys "
        "encrypted: restart it with one to upload certificates (docs/operations.md)");
  }
  std::unique_lock lock(put_mutex_);
  auto latest = store_.Latest(zone_name);
  const auto current = publisher_.Current();
  const auto* live = current->zones.Find(zone_name);
  if (!latest.ok() || latest->deleted || live == nullptr) {
    return absl::NotFoundError("zone \"" + zone_name + "\" not found");
  }
  const auto& hostnames = (*live)->config().hostnames();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto checked = CheckZoneCertificate(zone_name, {hostnames.begin(), hostnames.end()}, chain_pem,
                                      key_pem, now);
  if (!checked.ok()) return checked.status();
  auto held_certificates = HeldCertificates(zone_name, **live);
  if (!held_certificates.ok()) return held_certificates.status();
  std::vector<StoredCertificate> certificates = *std::move(held_certificates);
  for (const StoredCertificate& held : certificates) {
    if (held.fingerprint == checked->fingerprint()) {
      return CertificateResult{*std::move(latest), held, /*unchanged=*/true};
    }
  }
  if (certificates.size() >= limits_.max_certificates_per_zone) {
    return absl::ResourceExhaustedError("zone " + zone_name + " already has " +
                                        std::to_string(certificates.size()) +
                                        " certificates, the limit: delete one first");
  }
  certificates.push_back(
      SealCertificate(zone_name, *checked, *secrets_.secrets_key, author, now * 1000));
  const StoredCertificate added = certificates.back();
  auto stored = ChangeCertificatesLocked(*latest, std::move(certificates), author);
  if (!stored.ok()) return stored.status();
  lock.unlock();
  AwaitPublished(stored->sequence);
  return CertificateResult{*std::move(stored), added, /*unchanged=*/false};
}

absl::StatusOr<std::vector<StoredCertificate>> ConfigController::HeldCertificates(
    const std::string& zone, const snapshot::v1::CompiledZone& live) const {
  std::vector<StoredCertificate> stored = store_.Certificates(zone);
  // ConfigStore::Certificates has no error: a shared store it could not read answers none, and
  // a change made from that would drop the zone's certificates. The published zone carries
  // every stored certificate, so a count that differs is refused.
  if (stored.size() != static_cast<size_t>(live.certificates_size())) {
    return absl::UnavailableError("the certificates of zone " + zone +
                                  " cannot be read now, or are changing: try again");
  }
  return stored;
}

absl::StatusOr<ZoneRecord> ConfigController::DeleteCertificate(const std::string& zone_name,
                                                               const std::string& fingerprint,
                                                               const std::string& author) {
  std::unique_lock lock(put_mutex_);
  auto latest = store_.Latest(zone_name);
  if (!latest.ok() || latest->deleted) {
    return absl::NotFoundError("zone \"" + zone_name + "\" not found");
  }
  const auto current = publisher_.Current();
  const auto* live = current->zones.Find(zone_name);
  if (live == nullptr) return absl::NotFoundError("zone \"" + zone_name + "\" not found");
  auto held = HeldCertificates(zone_name, **live);
  if (!held.ok()) return held.status();
  std::vector<StoredCertificate> certificates = *std::move(held);
  const size_t before = certificates.size();
  std::erase_if(certificates, [&](const auto& held) { return held.fingerprint == fingerprint; });
  if (certificates.size() == before) {
    return absl::NotFoundError("zone " + zone_name + " has no certificate " + fingerprint +
                               " (`gatectl certs list " + zone_name + "` lists them)");
  }
  auto stored = ChangeCertificatesLocked(*latest, std::move(certificates), author);
  lock.unlock();
  if (stored.ok()) AwaitPublished(stored->sequence);
  return stored;
}

absl::StatusOr<size_t> ConfigController::ResealCertificates(const std::string& author) {
  if (secrets_.secrets_key == nullptr) return 0;
  const SecretsKey& secrets_key = *secrets_.secrets_key;
  size_t resealed = 0;
  std::unique_lock lock(put_mutex_);
  const auto current = publisher_.Current();
  for (const auto& [name, live] : current->zones) {
    if (live->certificates_size() == 0) continue;
    auto held = HeldCertificates(name, *live);
    if (!held.ok()) return held.status();
    std::vector<StoredCertificate> certificates = *std::move(held);
    size_t zone_resealed = 0;
    for (StoredCertificate& certificate : certificates) {
      if (secrets_key.SealedWithCurrentKey(certificate.sealed_key,
                                           CertificateKeyBinding(name, certificate.fingerprint))) {
        continue;
      }
      auto again = ResealedCertificate(certificate, secrets_key);
      if (!again.ok()) return again.status();
      certificate = *std::move(again);
      ++zone_resealed;
    }
    if (zone_resealed == 0) continue;
    auto latest = store_.Latest(name);
    if (!latest.ok()) return latest.status();
    auto stored = ChangeCertificatesLocked(*latest, std::move(certificates), author);
    if (!stored.ok()) {
      GH_LOG(WARNING) << "zone " << name << ": its certificates' keys were not sealed again with "
                      << "the current secrets key (" << stored.status()
                      << "); the next start tries again";
      continue;
    }
    resealed += zone_resealed;
  }
  return resealed;
}

absl::StatusOr<ZoneRecord> ConfigController::ChangeCertificatesLocked(
    const ZoneRecord& latest, std::vector<StoredCertificate> certificates,
    const std::string& author) {
  const auto current = publisher_.Current();
  const auto* live = current->zones.Find(latest.zone);
  if (live == nullptr) return absl::NotFoundError("zone \"" + latest.zone + "\" not found");
  // Published as the store lists them: by fingerprint.
  std::sort(certificates.begin(), certificates.end(),
            [](const auto& a, const auto& b) { return a.fingerprint < b.fingerprint; });
  auto zone = std::make_shared<snapshot::v1::CompiledZone>(**live);
  // Opened before anything is stored: a key that cannot be published is not stored either.
  if (auto status = AttachCertificates(certificates, zone.get()); !status.ok()) return status;
  ZoneRecord next = latest;
  next.author = author;
  next.created_unix_ms = 0;
  auto stored =
      store_.AppendWithCertificates(std::move(next), latest.version, std::move(certificates));
  if (!stored.ok()) return stored.status();
  zone->set_version(stored->version);
  if (mode_ == PublishMode::kDirect) {
    publisher_.Publish(stored->sequence, stored->zone, std::move(zone));
  }
  return stored;
}

}  // namespace gatehouse::api

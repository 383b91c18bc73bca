#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/account_list_catalog.h"
#include "api/list_store.h"
#include "api/principal.h"
#include "api/snapshot_publisher.h"
#include "rules/limits.h"

namespace gatehouse::api {

// Account-level lists, apart from gRPC: check the caller's scope, validate the items, store a
// new version, then publish the list alone (zones that name it are neither compiled nor stored
// again; proxies relink them). Thread-safe: changes are serialised.
//
// Every refusal for a list the caller may not see is Principal::ListDenied, whether it exists
// or not. The admin is told NOT_FOUND.
class ListController {
 public:
  // `mode`: kFromStore when the store is shared by replicas: every list version, this
  // replica's and the others', reaches the catalog and the publisher through ApplyStored (the
  // store follower), and a change returns once its version is published here.
  ListController(ListStore& store, SnapshotPublisher& publisher, AccountListCatalog& catalog,
                 rules::Limits limits, PublishMode mode = PublishMode::kDirect);

  struct Change {
    ListRecord record;
    bool unchanged = false;
  };

  // `zones`: the scope; empty takes the caller's zones (the admin must name some). A scope
  // holding a zone the caller may not change is refused; so is a name a zone of the scope
  // defines as its own list, and a name taken (ALREADY_EXISTS when the caller may see it).
  absl::StatusOr<Change> Create(const Principal& caller, const std::string& name,
                                const std::string& kind, std::vector<std::string> items,
                                std::vector<std::string> zones);
  // The items become `items`. expected_version 0: any.
  absl::StatusOr<Change> Replace(const Principal& caller, const std::string& name,
                                 std::vector<std::string> items, uint64_t expected_version);
  // Appends `add` (those not present yet, in order) and drops every item equal to one of
  // `remove`.
  absl::StatusOr<Change> Edit(const Principal& caller, const std::string& name,
                              const std::vector<std::string>& add,
                              const std::vector<std::string>& remove, uint64_t expected_version);
  // FAILED_PRECONDITION while live zones name the list, naming those the caller may read: the
  // store checks it in the deletion's own transaction, so no push naming the list gets in
  // between.
  absl::StatusOr<Change> Delete(const Principal& caller, const std::string& name,
                                uint64_t expected_version);

  // kFromStore: publishes a list version read from the shared store (written by any replica)
  // as snapshot `record.sequence`, and the catalog takes it. Versions at or below the current
  // snapshot are skipped (already published). DATA_LOSS when the stored list does not compile.
  absl::Status ApplyStored(const ListRecord& record);

  // The scope becomes `zones` (at least one). Needs edit on every zone of the old scope (else
  // refused as a list the caller may not see) and of the new one; FAILED_PRECONDITION while a
  // zone leaving the scope names the list (checked by the store in the write's transaction).
  absl::StatusOr<Change> SetScope(const Principal& caller, const std::string& name,
                                  std::vector<std::string> zones, uint64_t expected_version);

  // Every version of the list, oldest first: read on the list's last scope (a deleted list's
  // too), else refused as a list the caller may not see.
  absl::StatusOr<std::vector<ListVersionSummary>> History(const Principal& caller,
                                                          const std::string& name) const;

  absl::StatusOr<ListRecord> Get(const Principal& caller, const std::string& name) const;
  // The live lists the caller may read, by name.
  std::vector<ListRecord> List(const Principal& caller) const;

 private:
  // The live list `name` if the caller may read it (`edit`: change it).
  absl::StatusOr<ListRecord> Find(const Principal& caller, const std::string& name,
                                  bool edit) const;
  // Find for a change, FAILED_PRECONDITION when `expected_version` is set and not the current.
  absl::StatusOr<ListRecord> FindForChange(const Principal& caller, const std::string& name,
                                           uint64_t expected_version) const;
  // Under mutex_: validates and stores `record` as the version after `current_version`
  // (`current`: that version, null when there is no live one); kDirect also publishes it. Unchanged
  // when the items and the scope are `current`'s.
  absl::StatusOr<Change> StoreLocked(ListRecord record, uint64_t current_version,
                                     const ListRecord* current, const Principal& caller);
  // Sorts and dedups a new scope; PERMISSION_DENIED naming a zone the caller may not change.
  static absl::Status CheckNewScope(const Principal& caller, std::vector<std::string>* zones);
  // FAILED_PRECONDITION when a zone of `zones` defines its own list `name`.
  absl::Status CheckNoOwnList(const std::string& name, const std::vector<std::string>& zones) const;
  // FAILED_PRECONDITION: `zones` still name list `name`; those the caller may not read are
  // only counted.
  static absl::Status InUseError(const Principal& caller, const std::string& name,
                                 const std::vector<std::string>& zones);
  // Outside mutex_: kFromStore waits until the stored change is published here.
  absl::StatusOr<Change> Published(absl::StatusOr<Change> change) const;
  // The catalog takes `record` (compiled as `compiled`) and the publisher publishes it.
  void Publish(const ListRecord& record, rules::CompiledList compiled,
               snapshot::v1::AccountList published);

  ListStore& store_;
  SnapshotPublisher& publisher_;
  AccountListCatalog& catalog_;
  const rules::Limits limits_;
  const PublishMode mode_;
  std::mutex mutex_;
};

}  // namespace gatehouse::api

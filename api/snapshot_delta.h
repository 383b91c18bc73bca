#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "api/snapshot_publisher.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// Which zones a stream may carry (a node token scoped to zones sees only those). Null: all.
using ZoneFilter = std::function<bool(const std::string& zone)>;

// What a Watch stream sends, as pure functions of published states, so the stream logic is
// testable without a network.

// The first update of a stream. A proxy that holds nothing (held_version 0) gets the full
// snapshot; one that names the zone versions it holds gets only the zones that differ and the
// zones it holds that are gone. Zone versions in `rejected` (zone → version) are not sent.
// Managed rulesets travel only in full snapshots: a proxy whose `held_managed` (id → digest)
// differ from the state's gets the full snapshot. Returns false when there is nothing to send.
//
// `visible` (may be null): a filtered stream's content-hash buckets over the zones it may see,
// made here from the whole state, so that DeltaUpdate can keep them up to date by the shards
// that change (without them, each filtered update hashes every zone again).
bool InitialUpdate(const PublishedState& state, uint64_t held_version,
                   const std::map<std::string, uint64_t>& held_zones,
                   const std::map<std::string, uint64_t>& rejected, const ZoneFilter& filter,
                   v1::SnapshotUpdate* out,
                   const std::map<std::string, std::string>& held_managed = {},
                   ContentHashBuckets* visible = nullptr,
                   const std::map<std::string, uint64_t>& held_lists = {});

// The update from `from` to `to`: the zones whose entry changed and the zones removed, found in
// the shards the two states do not share (by pointer: states share unchanged shards and zones),
// so the work is proportional to the change; the full snapshot of `to` when the managed rulesets
// differ. Zones are listed by name. Returns false when nothing the filter allows changed.
// `visible`: the stream's buckets as of `from` (see InitialUpdate), brought up to `to` whether
// or not anything is sent.
bool DeltaUpdate(const PublishedState& from, const PublishedState& to, const ZoneFilter& filter,
                 v1::SnapshotUpdate* out, ContentHashBuckets* visible = nullptr);

}  // namespace gatehouse::api

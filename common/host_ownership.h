#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/sharded_map.h"

namespace gatehouse {

// Which zone serves a Host: the one definition the control plane (refusing overlapping claims),
// `gatectl compile` and the proxy's host index share (docs/config.md, "Host names").
//
// A zone claims host names: exact ("a.test") or wildcards ("*.a.test": every name below a.test,
// not a.test itself). Two claims overlap when some Host matches both. Claims of different zones
// must never overlap, so every Host has at most one zone. Stores made before that rule may hold
// overlaps: the proxy then prefers the exact claim, then the longest wildcard, and serves a name
// claimed identically by two zones by neither (never by whichever sorts first).

// A lower-case host name ("a.example.com"), or with `allow_wildcard` a "*.suffix" claim.
bool IsValidHostname(std::string_view host, bool allow_wildcard);

bool IsWildcardClaim(std::string_view claim);
// True when some Host matches both claims.
bool HostClaimsOverlap(std::string_view a, std::string_view b);

// The proxy's index: Host → the zone whose claim serves it. `Zone` is a small copyable value
// compared with == (a pointer, a name). Immutable and structurally shared: an Editor makes the
// next index from the last one, copying only the shards of the claims it adds or removes, so a
// snapshot that changes one zone changes the index by that zone's claims.
template <typename Zone>
class HostIndex {
 public:
  class Editor;

  // The zone serving `host` (lower-case, without port): the exact claim, else the longest
  // wildcard; null when none does or the deciding claim is held by two zones.
  const Zone* Find(std::string_view host) const {
    if (const Entry* entry = exact_.Find(host); entry != nullptr) return Get(*entry);
    // Longest suffix first: drop one label at a time.
    for (size_t dot = host.find('.'); dot != std::string_view::npos;
         dot = host.find('.', dot + 1)) {
      if (const Entry* entry = wildcard_suffixes_.Find(host.substr(dot + 1)); entry != nullptr) {
        return Get(*entry);
      }
    }
    return nullptr;
  }

  // Claims held identically by more than one zone (served by none).
  size_t ambiguous() const { return ambiguous_; }

 private:
  // The zones claiming one name, in the order they claimed it; only a sole claimant serves it.
  // The one claimant of nearly every name is kept inline (no allocation per name).
  struct Entry {
    Zone first;
    std::vector<Zone> more;  // claimants after the first (a store from before claims were checked)
  };
  using Claims = ShardedMap<Entry>;
  static const Zone* Get(const Entry& entry) { return entry.more.empty() ? &entry.first : nullptr; }

  Claims exact_;
  // "a.test" for a zone that claims "*.a.test".
  Claims wildcard_suffixes_;
  size_t ambiguous_ = 0;
};

template <typename Zone>
class HostIndex<Zone>::Editor {
 public:
  Editor() = default;
  explicit Editor(const HostIndex& base)
      : exact_(base.exact_), wildcard_suffixes_(base.wildcard_suffixes_),
        ambiguous_(base.ambiguous_) {}

  // `zone` claims `claim` (again: no change).
  void Add(std::string_view claim, Zone zone) {
    const bool wild = IsWildcardClaim(claim);
    typename Claims::Editor& claims = wild ? wildcard_suffixes_ : exact_;
    const std::string_view key = wild ? claim.substr(2) : claim;
    const auto [entry, added] = claims.TryEmplace(key, Entry{zone, {}});
    if (added || entry->first == zone) return;
    for (const Zone& held : entry->more) {
      if (held == zone) return;
    }
    entry->more.push_back(zone);
    if (entry->more.size() == 1) ++ambiguous_;
  }

  // `zone` no longer claims `claim`; a name it shared goes to the zone left, if one.
  void Remove(std::string_view claim, Zone zone) {
    const bool wild = IsWildcardClaim(claim);
    typename Claims::Editor& claims = wild ? wildcard_suffixes_ : exact_;
    const std::string_view key = wild ? claim.substr(2) : claim;
    Entry* entry = claims.FindMutable(key);
    if (entry == nullptr) return;
    if (entry->first == zone) {
      if (entry->more.empty()) {
        claims.Erase(key);
        return;
      }
      entry->first = entry->more.front();
      entry->more.erase(entry->more.begin());
    } else {
      const auto it = std::find(entry->more.begin(), entry->more.end(), zone);
      if (it == entry->more.end()) return;
      entry->more.erase(it);
    }
    if (entry->more.empty()) --ambiguous_;
  }

  HostIndex Finish() && {
    HostIndex out;
    out.exact_ = std::move(exact_).Finish();
    out.wildcard_suffixes_ = std::move(wildcard_suffixes_).Finish();
    out.ambiguous_ = ambiguous_;
    return out;
  }

 private:
  typename Claims::Editor exact_;
  typename Claims::Editor wildcard_suffixes_;
  size_t ambiguous_ = 0;
};

// One claim that overlaps another zone's.
struct HostConflict {
  std::string claim;        // the claim being checked
  std::string other_zone;   // the zone holding the overlapping claim
  std::string other_claim;  // its claim
};

// Every zone's claims, for finding overlaps quickly (the control plane holds one for the live
// zones; `gatectl compile` one for its inputs). Not thread-safe.
class HostClaims {
 public:
  // Replaces `zone`'s claims.
  void Set(const std::string& zone, const std::vector<std::string>& claims);
  void Remove(const std::string& zone);

  // The claims of zones other than `zone` that overlap one of `claims`.
  std::vector<HostConflict> Conflicts(const std::string& zone,
                                      const std::vector<std::string>& claims) const;
  // Every overlap between two zones, each pair once (zone < other_zone), with the zone first.
  struct Overlap {
    std::string zone;
    HostConflict conflict;
  };
  std::vector<Overlap> AllOverlaps() const;

 private:
  // Keys are names with their labels reversed ("test.a" for a.test), so the names below a
  // wildcard's suffix are one range of the ordered map.
  std::multimap<std::string, std::string> exact_;     // reversed name → zone
  std::multimap<std::string, std::string> wildcard_;  // reversed suffix → zone
  std::map<std::string, std::vector<std::string>> by_zone_;
};

}  // namespace gatehouse

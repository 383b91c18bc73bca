#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
// compared with == (a pointer, a name).
template <typename Zone>
class HostIndex {
 public:
  void Add(const std::string& claim, Zone zone) {
    auto& map = IsWildcardClaim(claim) ? wildcard_suffixes_ : exact_;
    const std::string key = IsWildcardClaim(claim) ? claim.substr(2) : claim;
    const auto [it, inserted] = map.emplace(key, Entry{zone, false});
    if (!inserted && !(it->second.zone == zone) && !it->second.ambiguous) {
      it->second.ambiguous = true;
      ++ambiguous_;
    }
  }

  // The zone serving `host` (lower-case, without port): the exact claim, else the longest
  // wildcard; null when none does or the deciding claim is held by two zones.
  const Zone* Find(std::string_view host) const {
    if (const auto it = exact_.find(std::string(host)); it != exact_.end()) return Get(it->second);
    // Longest suffix first: drop one label at a time.
    for (size_t dot = host.find('.'); dot != std::string_view::npos;
         dot = host.find('.', dot + 1)) {
      const auto it = wildcard_suffixes_.find(std::string(host.substr(dot + 1)));
      if (it != wildcard_suffixes_.end()) return Get(it->second);
    }
    return nullptr;
  }

  void Reserve(size_t claims) { exact_.reserve(claims); }
  // Claims held identically by more than one zone (served by none).
  size_t ambiguous() const { return ambiguous_; }

 private:
  struct Entry {
    Zone zone;
    bool ambiguous;
  };
  const Zone* Get(const Entry& entry) const { return entry.ambiguous ? nullptr : &entry.zone; }

  std::unordered_map<std::string, Entry> exact_;
  // "a.test" for a zone that claims "*.a.test".
  std::unordered_map<std::string, Entry> wildcard_suffixes_;
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

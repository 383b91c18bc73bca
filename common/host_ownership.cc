#include "common/host_ownership.h"

#include <algorithm>

namespace gatehouse {
namespace {

std::string_view Suffix(std::string_view wildcard) { return wildcard.substr(2); }

// "www.a.test" → "test.a.www".
std::string ReverseLabels(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  size_t end = name.size();
  for (size_t dot = name.rfind('.'); dot != std::string_view::npos && dot > 0;
       dot = name.rfind('.', dot - 1)) {
    out.append(name.substr(dot + 1, end - dot - 1));
    out.push_back('.');
    end = dot;
  }
  out.append(name.substr(0, end));
  return out;
}

// True when `name` lies strictly below `domain` ("x.a.test" below "a.test").
bool IsBelow(std::string_view name, std::string_view domain) {
  return name.size() > domain.size() + 1 && name.substr(name.size() - domain.size()) == domain &&
         name[name.size() - domain.size() - 1] == '.';
}

}  // namespace

bool IsValidHostname(std::string_view host, bool allow_wildcard) {
  if (allow_wildcard && host.size() > 2 && host.substr(0, 2) == "*.") host.remove_prefix(2);
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

bool IsWildcardClaim(std::string_view claim) {
  return claim.size() > 2 && claim.substr(0, 2) == "*.";
}

bool HostClaimsOverlap(std::string_view a, std::string_view b) {
  const bool wild_a = IsWildcardClaim(a);
  const bool wild_b = IsWildcardClaim(b);
  if (!wild_a && !wild_b) return a == b;
  if (wild_a && wild_b) {
    const std::string_view sa = Suffix(a), sb = Suffix(b);
    return sa == sb || IsBelow(sa, sb) || IsBelow(sb, sa);
  }
  // One exact name and one wildcard: the name is below the wildcard's suffix.
  return wild_a ? IsBelow(b, Suffix(a)) : IsBelow(a, Suffix(b));
}

void HostClaims::Remove(const std::string& zone) {
  const auto it = by_zone_.find(zone);
  if (it == by_zone_.end()) return;
  for (const std::string& claim : it->second) {
    const bool wild = IsWildcardClaim(claim);
    auto& map = wild ? wildcard_ : exact_;
    auto [first, last] = map.equal_range(ReverseLabels(wild ? Suffix(claim) : claim));
    for (auto at = first; at != last;) at = at->second == zone ? map.erase(at) : std::next(at);
  }
  by_zone_.erase(it);
}

void HostClaims::Set(const std::string& zone, const std::vector<std::string>& claims) {
  Remove(zone);
  for (const std::string& claim : claims) {
    if (IsWildcardClaim(claim)) {
      wildcard_.emplace(ReverseLabels(Suffix(claim)), zone);
    } else {
      exact_.emplace(ReverseLabels(claim), zone);
    }
  }
  by_zone_[zone] = claims;
}

std::vector<HostConflict> HostClaims::Conflicts(const std::string& zone,
                                                const std::vector<std::string>& claims) const {
  std::vector<HostConflict> out;
  // Candidates come from the index; HostClaimsOverlap, the definition, has the last word.
  const auto consider = [&](const std::string& claim, const std::string& other_zone) {
    if (other_zone == zone) return;
    for (const std::string& other : by_zone_.at(other_zone)) {
      if (!HostClaimsOverlap(claim, other)) continue;
      const bool seen = std::any_of(out.begin(), out.end(), [&](const HostConflict& c) {
        return c.claim == claim && c.other_zone == other_zone && c.other_claim == other;
      });
      if (!seen) out.push_back({claim, other_zone, other});
    }
  };
  const auto scan = [&](const std::multimap<std::string, std::string>& map,
                        const std::string& key, const std::string& claim) {
    auto [first, last] = map.equal_range(key);
    for (auto at = first; at != last; ++at) consider(claim, at->second);
  };
  for (const std::string& claim : claims) {
    const bool wild = IsWildcardClaim(claim);
    const std::string_view domain = wild ? Suffix(claim) : std::string_view(claim);
    const std::string key = ReverseLabels(domain);
    // The same name or suffix.
    scan(wild ? wildcard_ : exact_, key, claim);
    // Wildcards above it.
    for (size_t dot = domain.find('.'); dot != std::string_view::npos;
         dot = domain.find('.', dot + 1)) {
      scan(wildcard_, ReverseLabels(domain.substr(dot + 1)), claim);
    }
    if (!wild) continue;
    // Everything below a wildcard's suffix: one range of each ordered map.
    const std::string low = key + ".", high = key + "/";  // '/' follows '.'
    for (const auto* map : {&exact_, &wildcard_}) {
      for (auto at = map->lower_bound(low); at != map->end() && at->first < high; ++at) {
        consider(claim, at->second);
      }
    }
  }
  return out;
}

std::vector<HostClaims::Overlap> HostClaims::AllOverlaps() const {
  std::vector<Overlap> out;
  for (const auto& [zone, claims] : by_zone_) {
    for (HostConflict& conflict : Conflicts(zone, claims)) {
      if (zone < conflict.other_zone) out.push_back({zone, std::move(conflict)});
    }
  }
  return out;
}

}  // namespace gatehouse

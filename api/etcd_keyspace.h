#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gatehouse::api {

// Where the etcd store keeps each record, under one prefix (control --etcd-prefix), so that
// several deployments can share a cluster. One place for the layout: the stores write it, the
// follower and operators (docs/operations.md) read it.
//
//   <prefix>lineage                     the store's lineage id
//   <prefix>sequence                    rewritten by every zone version: its revision is the
//                                       last sequence
//   <prefix>head/<zone>                 the zone's current version number (what a version's
//                                       transaction compares)
//   <prefix>zones/<zone>/<version>      one version (20 digits, so keys sort by version)
//   <prefix>certs/<zone>/<fingerprint>  the zone's certificates
//   <prefix>managed/<id>                a compiled managed ruleset
//   <prefix>lists/<name>                an account-level list's newest version (its version
//                                       inside; its mod revision is the version's sequence)
//   <prefix>list-versions/<list>/<version>  a list version's history entry (what it changed)
//   <prefix>list-users/<list>/<zone>    a live zone names the list (empty value)
//   <prefix>zone-lists/<zone>/<list>    the same use, found from the zone
//   <prefix>tokens/<id>                 a token; <prefix>token-hashes/<hash> names its id
//   <prefix>replicas/<name>             a running control replica (leased)
//   <prefix>hosts/<claim reversed>      the zone holding a host-name claim, its labels reversed
//                                       ("test.a.b" for b.a.test, "test.a.*" for *.a.test) so
//                                       that every claim below a name is one key range
//   <prefix>zone-hosts/<zone>           the claims a zone holds (etcd_records::ZoneHosts)
//
// A zone version's list uses are written in its transaction, which compares each named list's
// key; a list version's transaction compares the list's users: a list is never deleted (nor its
// scope narrowed) under a zone naming it, across every replica (api/list_uses.h).
//
// Host claims are written in the transaction of the version that makes them, which fails when
// an overlapping claim changed since it was read: a host name belongs to one zone across every
// replica (api/etcd_host_claims.h).
class EtcdKeyspace {
 public:
  explicit EtcdKeyspace(std::string prefix);

  const std::string& prefix() const { return prefix_; }
  std::string Lineage() const { return prefix_ + "lineage"; }
  std::string Sequence() const { return prefix_ + "sequence"; }
  std::string Heads() const { return prefix_ + "head/"; }
  std::string Head(const std::string& zone) const { return Heads() + zone; }
  std::string AllZoneVersions() const { return prefix_ + "zones/"; }
  std::string ZoneVersions(const std::string& zone) const { return AllZoneVersions() + zone + "/"; }
  std::string ZoneVersion(const std::string& zone, uint64_t version) const;
  std::string AllCertificates() const { return prefix_ + "certs/"; }
  std::string Certificates(const std::string& zone) const { return AllCertificates() + zone + "/"; }
  std::string ManagedRulesets() const { return prefix_ + "managed/"; }
  std::string Lists() const { return prefix_ + "lists/"; }
  std::string List(const std::string& name) const { return Lists() + name; }
  std::string ListVersions(const std::string& list) const {
    return prefix_ + "list-versions/" + list + "/";
  }
  std::string ListVersion(const std::string& list, uint64_t version) const;
  std::string ListUsers(const std::string& list) const {
    return prefix_ + "list-users/" + list + "/";
  }
  std::string ZoneLists(const std::string& zone) const {
    return prefix_ + "zone-lists/" + zone + "/";
  }
  // The list a List key names; nullopt for any other key.
  std::optional<std::string> ParseList(const std::string& key) const;
  std::string Tokens() const { return prefix_ + "tokens/"; }
  std::string TokenHash(const std::string& hash) const { return prefix_ + "token-hashes/" + hash; }
  std::string Replicas() const { return prefix_ + "replicas/"; }
  std::string AllHostClaims() const { return prefix_ + "hosts/"; }
  // `claim` ("a.test", "*.a.test") as its key.
  std::string HostClaim(const std::string& claim) const;
  // The claim a HostClaim key names; nullopt for any other key.
  std::optional<std::string> ParseHostClaim(const std::string& key) const;
  std::string ZoneHosts(const std::string& zone) const { return prefix_ + "zone-hosts/" + zone; }

  // The zone and version a ZoneVersion key names; nullopt for any other key.
  struct ZoneVersionKey {
    std::string zone;
    uint64_t version = 0;
  };
  std::optional<ZoneVersionKey> ParseZoneVersion(const std::string& key) const;

 private:
  const std::string prefix_;
};

}  // namespace gatehouse::api

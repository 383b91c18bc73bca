#include "api/etcd_host_claims.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "api/etcd_records.pb.h"
#include "api/host_claim_conflict.h"
#include "common/host_ownership.h"

namespace gatehouse::api {
namespace {

// etcd's default limit on the compares, and on the operations, of one transaction.
constexpr int kMaxTxnOps = 128;

// A key, or with `range_end` every key in [key, range_end), whose claims may overlap one.
struct ClaimRange {
  std::string key;
  std::string range_end;
  bool operator<(const ClaimRange& other) const {
    return std::tie(key, range_end) < std::tie(other.key, other.range_end);
  }
};

// The keys of every claim that can overlap `claim` (HostClaimsOverlap): the same name, the
// wildcards above it and, for a wildcard, every claim below its suffix.
std::vector<ClaimRange> OverlappingKeys(const EtcdKeyspace& keys, const std::string& claim) {
  const std::string key = keys.HostClaim(claim);
  const bool wildcard = IsWildcardClaim(claim);
  // "<prefix>hosts/test.a" for both a.test and *.a.test.
  const std::string domain = wildcard ? key.substr(0, key.size() - 2) : key;
  std::vector<ClaimRange> out;
  if (wildcard) {
    out.push_back({domain + ".", etcd::PrefixEnd(domain + ".")});
  } else {
    out.push_back({key, ""});
  }
  for (size_t dot = domain.find('.', keys.AllHostClaims().size()); dot != std::string::npos;
       dot = domain.find('.', dot + 1)) {
    out.push_back({domain.substr(0, dot) + ".*", ""});
  }
  return out;
}

etcdserverpb::Compare UnchangedSince(const ClaimRange& range, int64_t revision) {
  etcdserverpb::Compare compare;
  compare.set_key(range.key);
  if (!range.range_end.empty()) compare.set_range_end(range.range_end);
  compare.set_target(etcdserverpb::Compare::MOD);
  // An absent key compares as revision 0: "not created or changed after `revision`".
  compare.set_result(etcdserverpb::Compare::LESS);
  compare.set_mod_revision(revision + 1);
  return compare;
}

}  // namespace

EtcdHostClaims::EtcdHostClaims(const etcd::Client& client, const EtcdKeyspace& keys)
    : client_(client), keys_(keys) {}

absl::StatusOr<std::vector<std::string>> EtcdHostClaims::Held(const std::string& zone) const {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_.ZoneHosts(zone));
  auto read = client_.Range(range);
  if (!read.ok()) return read.status();
  if (read->kvs_size() == 0) return std::vector<std::string>();
  etcd_records::ZoneHosts held;
  if (!held.ParseFromString(read->kvs(0).value())) {
    return absl::DataLossError("etcd key " + keys_.ZoneHosts(zone) + " is not a list of claims");
  }
  return std::vector<std::string>(held.claims().begin(), held.claims().end());
}

absl::Status EtcdHostClaims::AddToVersionTxn(const std::string& zone,
                                             const std::vector<std::string>& claims,
                                             etcdserverpb::TxnRequest* txn) const {
  // The zone's own claims change only with its head, which the transaction compares already.
  auto held = Held(zone);
  if (!held.ok()) return held.status();
  const std::set<std::string> before(held->begin(), held->end());
  const std::set<std::string> after(claims.begin(), claims.end());
  std::vector<std::string> added;
  std::set<ClaimRange> overlapping;
  for (const std::string& claim : after) {
    if (before.count(claim) > 0) continue;
    added.push_back(claim);
    for (ClaimRange& range : OverlappingKeys(keys_, claim)) overlapping.insert(std::move(range));
  }
  // Read in transactions (one revision each) of at most kMaxTxnOps ranges; each range is then
  // compared against the revision it was read at.
  const std::vector<ClaimRange> ranges(overlapping.begin(), overlapping.end());
  std::vector<int64_t> read_at(ranges.size());
  for (size_t start = 0; start < ranges.size(); start += kMaxTxnOps) {
    const size_t end = std::min(ranges.size(), start + kMaxTxnOps);
    etcdserverpb::TxnRequest batch;
    for (size_t i = start; i < end; ++i) {
      auto* range = batch.add_success()->mutable_request_range();
      range->set_key(ranges[i].key);
      range->set_range_end(ranges[i].range_end);
    }
    auto read = client_.Txn(batch);
    if (!read.ok()) return read.status();
    for (size_t i = start; i < end; ++i) read_at[i] = read->header().revision();
    for (const auto& response : read->responses()) {
      for (const auto& kv : response.response_range().kvs()) {
        if (kv.value() == zone) continue;
        const std::optional<std::string> other = keys_.ParseHostClaim(kv.key());
        if (!other.has_value()) continue;
        for (const std::string& claim : added) {
          if (!HostClaimsOverlap(claim, *other)) continue;
          return StoredHostConflictError(
              {{claim, kv.value(), *other}, static_cast<uint64_t>(kv.mod_revision())});
        }
      }
    }
  }
  if (txn->compare_size() + static_cast<int>(ranges.size()) <= kMaxTxnOps) {
    for (size_t i = 0; i < ranges.size(); ++i) {
      *txn->add_compare() = UnchangedSince(ranges[i], read_at[i]);
    }
  } else if (!ranges.empty()) {
    // Too many names for one compare each: no claim at all may have changed since.
    *txn->add_compare() =
        UnchangedSince({keys_.AllHostClaims(), etcd::PrefixEnd(keys_.AllHostClaims())},
                       *std::min_element(read_at.begin(), read_at.end()));
  }
  for (const std::string& claim : added) {
    auto* put = txn->add_success()->mutable_request_put();
    put->set_key(keys_.HostClaim(claim));
    put->set_value(zone);
  }
  for (const std::string& claim : before) {
    if (after.count(claim) > 0) continue;
    txn->add_success()->mutable_request_delete_range()->set_key(keys_.HostClaim(claim));
  }
  if (after.empty()) {
    if (!before.empty()) {
      txn->add_success()->mutable_request_delete_range()->set_key(keys_.ZoneHosts(zone));
    }
  } else if (after != before) {
    etcd_records::ZoneHosts hosts;
    for (const std::string& claim : after) hosts.add_claims(claim);
    auto* put = txn->add_success()->mutable_request_put();
    put->set_key(keys_.ZoneHosts(zone));
    put->set_value(hosts.SerializeAsString());
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::api

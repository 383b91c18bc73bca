#pragma once

// Managed rulesets: a ruleset a product ships (the OWASP Core Rule Set of the managed WAF),
// compiled once on the control plane, carried once per snapshot whatever the number of zones
// using it, linked once per proxy per digest and shared by every zone whose rules execute it.
// A zone's own rules only name it and override it (paranoia level, thresholds, rules turned off):
// its compile validates the overrides against the ruleset's summary, and its link receives the
// linked ruleset.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/any.pb.h"

namespace gatehouse::sdk {

// One rule of a managed ruleset, as zones may name it in overrides (and `gatectl managed show`
// lists it).
struct ManagedRuleSummary {
  std::string id;
  std::vector<std::string> tags;
  // The lowest paranoia level that runs it (0: every level).
  int paranoia_level = 0;
  // The request phase it runs in (1: headers, 2: body).
  int phase = 0;
  // What a category override turns off with it ("attack-sqli"); empty when none.
  std::string category;
  // "CRITICAL", "ERROR", "WARNING", "NOTICE", ...; empty when the rule names none.
  std::string severity;
  // Where the ruleset's source defines it.
  std::string file;
  int line = 0;
  std::string message;
};

// A rule of the source the compiled ruleset left out, or runs without a part of it: why, and
// where the source defines it. Never dropped silently.
struct ManagedRuleNote {
  std::string id;  // empty for a rule without one
  std::string file;
  int line = 0;
  std::string reason;
};

// What a zone's compile validates its overrides against.
struct ManagedRulesetSummary {
  std::string id;       // "owasp-crs"
  std::string version;  // "OWASP_CRS/3.3.4 (modsecurity-crs 3.3.4-1+deb12u3)"
  std::string digest;   // of the sources: equal digests are the same ruleset
  std::vector<ManagedRuleSummary> rules;
  std::vector<ManagedRuleNote> omitted;
  std::vector<ManagedRuleNote> adjusted;

  // Null when the ruleset has no rule with this id.
  const ManagedRuleSummary* FindRule(std::string_view rule_id) const {
    for (const ManagedRuleSummary& rule : rules) {
      if (rule.id == rule_id) return &rule;
    }
    return nullptr;
  }
};

// A managed ruleset as its product linked it, on a proxy (or on the control plane, whose zone
// compile links each zone as a proxy will). The product subclasses it; its link functions get it
// back from ActionLinkContext::FindManagedRuleset and downcast. Immutable; read from any number
// of threads.
class LinkedManagedRuleset {
 public:
  virtual ~LinkedManagedRuleset() = default;
};

// How a product links and summarises the compiled form of its managed rulesets. The compiled
// form travels as a google.protobuf.Any; its type decides which product reads it.
struct ManagedRulesetDefinition {
  // The compiled message's full name, e.g. "gatehouse.waf.v1.WafProgram".
  std::string type_name;
  std::function<absl::StatusOr<std::shared_ptr<const LinkedManagedRuleset>>(
      const google::protobuf::Any& compiled)>
      link;
  std::function<absl::StatusOr<ManagedRulesetSummary>(const google::protobuf::Any& compiled)>
      summarize;
};

// The managed rulesets of one snapshot, by id: each linked (and, where zones are compiled, its
// summary). Immutable once built. A later snapshot's set reuses the linked object of every
// ruleset whose digest is unchanged.
class ManagedRulesetSet {
 public:
  struct Entry {
    std::string id;
    std::string version;
    std::string digest;
    std::shared_ptr<const LinkedManagedRuleset> linked;
    // Set where zones are compiled (the control plane, gatectl); null on a proxy.
    std::shared_ptr<const ManagedRulesetSummary> summary;
  };

  void Add(Entry entry) {
    std::string id = entry.id;
    entries_.insert_or_assign(std::move(id), std::move(entry));
  }
  const Entry* Find(std::string_view id) const {
    const auto it = entries_.find(std::string(id));
    return it == entries_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  // For messages: "owasp-crs" or "owasp-crs, other"; "none" when empty.
  std::string Ids() const {
    std::string out;
    for (const auto& [id, entry] : entries_) out += (out.empty() ? "" : ", ") + id;
    return out.empty() ? "none" : out;
  }

 private:
  std::map<std::string, Entry> entries_;
};

}  // namespace gatehouse::sdk

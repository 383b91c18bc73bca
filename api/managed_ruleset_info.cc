#include "api/managed_ruleset_info.h"

#include <string>

namespace gatehouse::api {
namespace {

void SetInfo(const sdk::ManagedRulesetSet::Entry& entry, v1::ManagedRulesetInfo* out) {
  out->set_id(entry.id);
  out->set_version(entry.version);
  out->set_digest(entry.digest);
  // Set where the ruleset was summarised: the control plane and gatectl always do.
  if (entry.summary == nullptr) return;
  out->set_rule_count(static_cast<uint32_t>(entry.summary->rules.size()));
  out->set_omitted_count(static_cast<uint32_t>(entry.summary->omitted.size()));
  out->set_adjusted_count(static_cast<uint32_t>(entry.summary->adjusted.size()));
}

void SetNote(const sdk::ManagedRuleNote& note, v1::ManagedRuleNote* out) {
  out->set_id(note.id);
  out->set_file(note.file);
  out->set_line(static_cast<uint32_t>(note.line));
  out->set_reason(note.reason);
}

}  // namespace

void ListManagedRulesets(const sdk::ManagedRulesetSet& rulesets,
                         v1::ListManagedRulesetsResponse* out) {
  for (const auto& [id, entry] : rulesets.entries()) SetInfo(entry, out->add_rulesets());
}

absl::Status DescribeManagedRuleset(const sdk::ManagedRulesetSet& rulesets, std::string_view id,
                                    uint32_t paranoia_level, v1::GetManagedRulesetResponse* out) {
  if (paranoia_level > 4) {
    return absl::InvalidArgumentError("paranoia level is 1 to 4 (0: every rule), not " +
                                      std::to_string(paranoia_level));
  }
  const sdk::ManagedRulesetSet::Entry* entry = rulesets.Find(id);
  if (entry == nullptr || entry->summary == nullptr) {
    return absl::NotFoundError("unknown managed ruleset \"" + std::string(id) +
                               "\"; available: " + rulesets.Ids());
  }
  SetInfo(*entry, out->mutable_ruleset());
  out->set_paranoia_level(paranoia_level);
  for (const sdk::ManagedRuleSummary& rule : entry->summary->rules) {
    if (paranoia_level != 0 && rule.paranoia_level > static_cast<int>(paranoia_level)) continue;
    v1::ManagedRule* listed = out->add_rules();
    listed->set_id(rule.id);
    listed->set_phase(static_cast<uint32_t>(rule.phase));
    for (const std::string& tag : rule.tags) listed->add_tags(tag);
    listed->set_paranoia_level(static_cast<uint32_t>(rule.paranoia_level));
    listed->set_category(rule.category);
    listed->set_severity(rule.severity);
    listed->set_file(rule.file);
    listed->set_line(static_cast<uint32_t>(rule.line));
    listed->set_message(rule.message);
  }
  for (const sdk::ManagedRuleNote& note : entry->summary->omitted) {
    SetNote(note, out->add_omitted());
  }
  for (const sdk::ManagedRuleNote& note : entry->summary->adjusted) {
    SetNote(note, out->add_adjusted());
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::api

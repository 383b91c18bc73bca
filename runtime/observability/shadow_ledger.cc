#include "runtime/observability/shadow_ledger.h"

namespace gatehouse::runtime {
namespace {

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

}  // namespace

bool ShadowLedger::Agrees(int would_answer, int legacy_status) {
  if (would_answer == 0) return legacy_status != 403;
  return would_answer == legacy_status;
}

void ShadowLedger::Record(std::string_view zone, std::string_view rule, int would_answer,
                          int legacy_status) {
  std::lock_guard lock(mutex_);
  Tally& tally = tallies_[{std::string(zone), std::string(rule)}];
  ++(Agrees(would_answer, legacy_status) ? tally.agree : tally.disagree);
}

std::map<std::pair<std::string, std::string>, ShadowLedger::Tally> ShadowLedger::Summary() const {
  std::lock_guard lock(mutex_);
  return tallies_;
}

std::string ShadowLedger::SummaryJson() const {
  const auto summary = Summary();
  std::string out = "{\"zones\": [";
  std::string current_zone;
  bool first_zone = true;
  bool first_rule = true;
  for (const auto& [key, tally] : summary) {
    const auto& [zone, rule] = key;
    if (first_zone || zone != current_zone) {
      if (!first_zone) out += "]}, ";
      out += "{\"zone\": " + Quote(zone) + ", \"rules\": [";
      current_zone = zone;
      first_zone = false;
      first_rule = true;
    }
    if (!first_rule) out += ", ";
    first_rule = false;
    out += "{\"rule\": " + Quote(rule.empty() ? "(none: passed)" : rule) +
           ", \"agree\": " + std::to_string(tally.agree) +
           ", \"disagree\": " + std::to_string(tally.disagree) + "}";
  }
  if (!first_zone) out += "]}";
  return out + "]}\n";
}

}  // namespace gatehouse::runtime

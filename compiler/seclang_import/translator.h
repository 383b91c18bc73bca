#pragma once

// Translates a SecLang ruleset (CRS, as seclang::LoadCrs reads it) into Gatehouse's compiled WAF
// program (waf/waf_program.proto): the control plane and `gatectl compile` run it once per
// ruleset digest; proxies only link the result. What the translation does:
//  - orders the request rules as ModSecurity runs them (phase 1, then phase 2, file order) and
//    resolves skipAfter markers to rule indices;
//  - evaluates at compile time every rule that reads only constant TX variables (crs-setup and
//    REQUEST-901's initialisation, the sampling switch): their setvars become the program's
//    initial TX, their skips drop dead rules, their ctl removals drop removed rules;
//  - expands constant %{tx.*} macros in operator arguments and setvar values;
//  - interns transformation pipelines, reads data files into @pmFromFile phrase lists;
//  - tags each rule with the paranoia level whose gate it sits behind;
//  - leaves out, with the reason, every rule it cannot run (response phases, persistent
//    collections, GeoIP, RBL, ...): nothing is dropped silently.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "seclang/ruleset_loader.h"
#include "waf/waf_program.pb.h"

namespace gatehouse::seclang_import {

struct ZoneSetting {
  std::string setting;                 // the override's name in a zone's execute parameters
  std::vector<std::string> tx_names;   // the TX variables it sets (lower case)
};

// CRS's: "paranoia_level" sets tx.paranoia_level and tx.executing_paranoia_level;
// "score_threshold" sets tx.inbound_anomaly_score_threshold.
std::vector<ZoneSetting> CrsZoneSettings();

struct TranslateOptions {
  std::string ruleset_id = "owasp-crs";
  std::vector<ZoneSetting> zone_settings = CrsZoneSettings();
};

// An error only for a ruleset that cannot be translated at all (no request rules, a skipAfter
// to a marker that is missing); a rule that cannot run is left out and listed in `omitted`.
absl::StatusOr<waf::v1::WafProgram> TranslateRuleset(const seclang::LoadedRuleset& ruleset,
                                                     const TranslateOptions& options = {});

}  // namespace gatehouse::seclang_import

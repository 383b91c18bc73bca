#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "compiler/seclang_import/translator.h"
#include "seclang/ruleset_loader.h"
#include "waf/waf_program.pb.h"

namespace gatehouse::seclang_import {

// Where the control plane and gatectl find the OWASP Core Rule Set: Debian's modsecurity-crs
// package by default (`--crs-dir` changes the rules folder).
inline constexpr char kDefaultCrsRulesDir[] = "/usr/share/modsecurity-crs/rules";
inline constexpr char kDefaultCrsSetupFile[] = "/etc/modsecurity/crs/crs-setup.conf";

struct CrsImportOptions {
  seclang::CrsLoadOptions load;
  // SecLang read after the setup file and before the rules (an engine set-up such as the one
  // the CRS regression corpus assumes); its name in diagnostics is "<extra setup>".
  std::string extra_setup;
  TranslateOptions translate;
};

// Loads the CRS (seclang::LoadCrs) and translates it into the managed WAF's program.
absl::StatusOr<waf::v1::WafProgram> ImportCrs(const CrsImportOptions& options);

// The engine set-up the CRS 3.3 regression corpus assumes (its README): paranoia level 4, the
// IP-reputation rule 910000 removed, UTF-8 validation on, and the argument limits the tests
// exercise. Detection only is the runner's setting, not a rule.
std::string CrsRegressionSetup();

}  // namespace gatehouse::seclang_import

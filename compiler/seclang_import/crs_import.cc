#include "compiler/seclang_import/crs_import.h"

#include <utility>

#include "seclang/parser.h"

namespace gatehouse::seclang_import {

absl::StatusOr<waf::v1::WafProgram> ImportCrs(const CrsImportOptions& options) {
  absl::StatusOr<seclang::LoadedRuleset> ruleset = seclang::LoadCrs(options.load);
  if (!ruleset.ok()) return ruleset.status();
  if (!options.extra_setup.empty()) {
    absl::StatusOr<seclang::ConfigFile> extra =
        seclang::ParseSecLang(options.extra_setup, "<extra setup>");
    if (!extra.ok()) return extra.status();
    // After the setup file's directives: the setup file is loaded first.
    auto position = ruleset->directives.begin();
    while (position != ruleset->directives.end() &&
           position->location().file == options.load.setup_file) {
      ++position;
    }
    ruleset->directives.insert(position, std::make_move_iterator(extra->directives.begin()),
                               std::make_move_iterator(extra->directives.end()));
  }
  return TranslateRuleset(*ruleset, options.translate);
}

std::string CrsRegressionSetup() {
  return "SecAction \"id:900005,phase:1,nolog,pass,ctl:ruleRemoveById=910000,"
         "setvar:tx.paranoia_level=4,setvar:tx.crs_validate_utf8_encoding=1,"
         "setvar:tx.arg_name_length=100,setvar:tx.arg_length=400,"
         "setvar:tx.combined_file_sizes=65535\"\n";
}

}  // namespace gatehouse::seclang_import

// Prints what a CRS installation (or a SecLang configuration with its includes) uses: counts of
// operators, transformation pipelines, variable collections, actions and ctl options.
//   bazel run //seclang:inventory -- [--crs_dir=DIR] [--setup=FILE] [--config=FILE]
//                                    [--files=REQUEST-]
#include <iostream>

#include "common/flags.h"
#include "seclang/inventory.h"
#include "seclang/ruleset_loader.h"

int main(int argc, char** argv) {
  gatehouse::seclang::CrsLoadOptions options;
  std::string config;
  std::string prefix;
  gatehouse::FlagSet flags("inventory", "inventory [flags]",
                           "Counts what a ModSecurity ruleset uses, for its translator.");
  flags.AddString("crs_dir", &options.rules_dir, "the CRS rules directory (*.conf, *.data)");
  flags.AddString("setup", &options.setup_file, "the CRS setup file, read first");
  flags.AddString("config", &config,
                  "instead of a CRS installation, a SecLang file whose Includes are followed");
  flags.AddString("files", &prefix, "count only files whose name starts with this (REQUEST-)");
  flags.ParseOrExit(argc, argv);

  absl::StatusOr<gatehouse::seclang::LoadedRuleset> ruleset =
      config.empty() ? gatehouse::seclang::LoadCrs(options)
                     : gatehouse::seclang::LoadSecLangConfig(config);
  if (!ruleset.ok()) {
    std::cerr << ruleset.status().message();
    return 1;
  }
  std::cout << "version " << ruleset->version << "\ndigest " << ruleset->digest << "\n";
  std::cout << gatehouse::seclang::FormatInventory(
      gatehouse::seclang::TakeInventory(*ruleset, prefix));
  return 0;
}

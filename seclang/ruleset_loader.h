#ifndef GATEHOUSE_SECLANG_RULESET_LOADER_H_
#define GATEHOUSE_SECLANG_RULESET_LOADER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "seclang/ast.h"
#include "seclang/data_file.h"

namespace gatehouse::seclang {

// One configuration file of a ruleset, as read.
struct LoadedFile {
  std::string path;     // as opened
  std::string name;     // base name ("REQUEST-920-PROTOCOL-ENFORCEMENT.conf")
  std::string content;  // the file's bytes: diagnostics quote its lines
};

// A ruleset read from disk: every file parsed, in load order.
struct LoadedRuleset {
  // "OWASP_CRS/3.3.4 (modsecurity-crs 3.3.4-1+deb12u3)": the SecComponentSignature the rules
  // declare, then the Debian package that installed the rules directory when dpkg knows it.
  // Either part may be missing; "unknown" when both are.
  std::string version;
  std::string component_signature;  // "OWASP_CRS/3.3.4", or empty
  std::string package_version;      // "3.3.4-1+deb12u3", or empty
  // Lower-case hex SHA-256 over every file in load order and then every data file in name
  // order, each as kind ("conf"/"data"), base name, byte length and bytes, NUL-separated: the
  // same rules under another directory have the same digest, any edit changes it.
  std::string digest;
  std::vector<LoadedFile> files;
  // Every directive of every file, in load order; each carries its file:line:column.
  std::vector<Directive> directives;
  // Data files by the name the rules give them (relative to the rule file's directory, as
  // ModSecurity resolves them), each read once.
  std::map<std::string, DataFile> data_files;
};

struct CrsLoadOptions {
  std::string setup_file = "/etc/modsecurity/crs/crs-setup.conf";
  std::string rules_dir = "/usr/share/modsecurity-crs/rules";
  // Where the Debian package version is looked up (see package_version.h); empty skips it.
  std::string dpkg_dir = "/var/lib/dpkg";
};

// Loads a CRS installation as CRS documents it: the setup file, then every <rules_dir>/*.conf
// in byte order of the names, then the data files the rules' @pmFromFile / @ipMatchFromFile
// name. Checks across files: rule ids are unique, a chain ends in its own file, every skipAfter
// names a SecMarker that comes after it. CRS files include nothing: an Include in them is an
// error. Errors (parse errors of every file, unreadable files, the checks) are all reported,
// each as file:line:column with the line and a caret.
absl::StatusOr<LoadedRuleset> LoadCrs(const CrsLoadOptions& options = {});

// Loads a SecLang configuration that pulls in others: `path`, with every Include and
// IncludeOptional followed where it stands (a relative path is relative to the including file's
// directory; wildcards in the last component are expanded in byte order; IncludeOptional skips
// what does not exist; an include cycle is an error). The same checks and version as LoadCrs;
// the package version is looked up for the directory of the first file that declares a
// SecComponentSignature.
absl::StatusOr<LoadedRuleset> LoadSecLangConfig(const std::string& path,
                                                const std::string& dpkg_dir = "/var/lib/dpkg");

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_RULESET_LOADER_H_

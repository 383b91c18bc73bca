#ifndef GATEHOUSE_SECLANG_PACKAGE_VERSION_H_
#define GATEHOUSE_SECLANG_PACKAGE_VERSION_H_

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::seclang {

// The version of the installed Debian package `package` ("3.3.4-1+deb12u3") when that package
// installed `path` (a file or directory): `path` is listed in <dpkg_dir>/info/<package>.list
// and <dpkg_dir>/status has the package installed ("Status: install ok installed") with a
// Version field. nullopt otherwise: not a Debian system, a copy of the rules elsewhere, or the
// package removed. `path` is compared as given after removing trailing slashes; pass a
// canonical path.
std::optional<std::string> DebianPackageVersion(std::string_view package, std::string_view path,
                                                std::string_view dpkg_dir = "/var/lib/dpkg");

// The Version of `package` in the text of a dpkg status file, if it is installed there.
std::optional<std::string> VersionInDpkgStatus(std::string_view status, std::string_view package);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_PACKAGE_VERSION_H_

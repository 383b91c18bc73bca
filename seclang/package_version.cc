#include "seclang/package_version.h"

#include <vector>

#include "common/file_util.h"
#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

// The lines of `text` without their "\n" (and a trailing "\r").
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  }
  return lines;
}

// The value of "Field: value" when `line` is that field.
std::optional<std::string_view> FieldValue(std::string_view line, std::string_view field) {
  if (line.size() <= field.size() || line.substr(0, field.size()) != field ||
      line[field.size()] != ':') {
    return std::nullopt;
  }
  std::string_view value = line.substr(field.size() + 1);
  while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsSpace(value.back())) value.remove_suffix(1);
  return value;
}

}  // namespace

std::optional<std::string> VersionInDpkgStatus(std::string_view status, std::string_view package) {
  // Stanzas are separated by blank lines; fields start at the line's first byte.
  bool in_package = false;
  bool installed = false;
  std::optional<std::string> version;
  for (std::string_view line : Lines(status)) {
    if (line.empty()) {
      if (in_package && installed && version.has_value()) return version;
      in_package = installed = false;
      version.reset();
      continue;
    }
    if (auto name = FieldValue(line, "Package")) in_package = *name == package;
    if (auto state = FieldValue(line, "Status")) installed = state->ends_with(" installed");
    if (auto v = FieldValue(line, "Version")) version = std::string(*v);
  }
  if (in_package && installed && version.has_value()) return version;
  return std::nullopt;
}

std::optional<std::string> DebianPackageVersion(std::string_view package, std::string_view path,
                                                std::string_view dpkg_dir) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::string list;
  if (!ReadFile(Cat(dpkg_dir, "/info/", package, ".list"), &list)) return std::nullopt;
  bool listed = false;
  for (std::string_view line : Lines(list)) {
    if (line == path) {
      listed = true;
      break;
    }
  }
  if (!listed) return std::nullopt;
  std::string status;
  if (!ReadFile(Cat(dpkg_dir, "/status"), &status)) return std::nullopt;
  return VersionInDpkgStatus(status, package);
}

}  // namespace gatehouse::seclang

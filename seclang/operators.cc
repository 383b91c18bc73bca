#include "seclang/operators.h"

#include <array>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

constexpr std::array<std::string_view, 39> kOperators = {
    "beginsWith",
    "contains",
    "containsWord",
    "detectSQLi",
    "detectXSS",
    "endsWith",
    "eq",
    "fuzzyHash",
    "ge",
    "geoLookup",
    "gsbLookup",
    "gt",
    "inspectFile",
    "ipMatch",
    "ipMatchF",
    "ipMatchFromFile",
    "le",
    "lt",
    "noMatch",
    "pm",
    "pmf",
    "pmFromFile",
    "rbl",
    "rsub",
    "rx",
    "streq",
    "strmatch",
    "unconditionalMatch",
    "validateByteRange",
    "validateDTD",
    "validateHash",
    "validateSchema",
    "validateUrlEncoding",
    "validateUtf8Encoding",
    "verifyCC",
    "verifyCPF",
    "verifySSN",
    "within",
    "rxGlobal",
};

std::optional<std::string_view> Find(std::string_view lower_name) {
  for (std::string_view known : kOperators) {
    if (EqualsIgnoreCase(known, lower_name)) return known;
  }
  return std::nullopt;
}

}  // namespace

bool IsKnownOperator(std::string_view name) { return Find(name).has_value(); }

std::string_view OperatorDisplayName(std::string_view name) {
  const std::optional<std::string_view> known = Find(name);
  return known.has_value() ? *known : name;
}

bool OperatorReadsDataFiles(std::string_view name) {
  return name == "pmfromfile" || name == "pmf" || name == "ipmatchfromfile" || name == "ipmatchf";
}

bool OperatorTakesNoArgument(std::string_view name) {
  return name == "detectsqli" || name == "detectxss" || name == "geolookup" ||
         name == "unconditionalmatch" || name == "nomatch" || name == "validateurlencoding" ||
         name == "validateutf8encoding";
}

}  // namespace gatehouse::seclang

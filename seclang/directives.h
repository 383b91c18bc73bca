#ifndef GATEHOUSE_SECLANG_DIRECTIVES_H_
#define GATEHOUSE_SECLANG_DIRECTIVES_H_

#include <optional>
#include <string_view>

namespace gatehouse::seclang {

// A configuration directive ModSecurity (2 or 3) accepts, with how many arguments it takes, as
// its reference and Apache's TAKE1/TAKE2/TAKE23/ITERATE declarations have it.
struct DirectiveInfo {
  std::string_view name;  // canonical spelling
  int min_args;
  int max_args;  // kUnlimited for the ITERATE directives (SecRuleRemoveById 1 2 3-9 ...)
};

inline constexpr int kUnlimited = 1 << 20;

// The directive named `name` in any letter case (Apache matches directive names
// case-insensitively); nullopt when ModSecurity has no such directive.
std::optional<DirectiveInfo> DirectiveByName(std::string_view name);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_DIRECTIVES_H_

#include "waf_inputs/key_selector.h"

#include "body/ascii.h"
#include "re2/re2.h"

namespace gatehouse::waf_inputs {

bool KeySelector::Matches(std::string_view key) const {
  switch (kind_) {
    case Kind::kAll:
      return true;
    case Kind::kKey:
      return body::EqualsIgnoreAsciiCase(key, key_);
    case Kind::kRegex:
      return re2::RE2::PartialMatch(re2::StringPiece(key.data(), key.size()), *regex_);
  }
  return false;
}

}  // namespace gatehouse::waf_inputs

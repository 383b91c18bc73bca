#ifndef GATEHOUSE_WAF_INPUTS_KEY_SELECTOR_H_
#define GATEHOUSE_WAF_INPUTS_KEY_SELECTOR_H_

#include <string_view>

namespace re2 {
class RE2;
}  // namespace re2

namespace gatehouse::waf_inputs {

// Which entries of a collection a SecLang target names: all of them (`ARGS`), those with one key
// (`ARGS:id`), or those whose key a regular expression finds (`ARGS:/^id_/`). libmodsecurity 3
// compares keys ignoring ASCII case in both forms (its collections hash and compare keys
// case-insensitively, and it compiles a key regex caselessly), so `ARGS:ID` selects "id": compile
// the RE2 with `set_case_sensitive(false)` to select as it does. A value type; a regex selector
// borrows its RE2, which must outlive it.
class KeySelector {
 public:
  static KeySelector All() { return KeySelector(Kind::kAll, {}, nullptr); }
  static KeySelector Key(std::string_view key) { return KeySelector(Kind::kKey, key, nullptr); }
  // Unanchored, as PCRE's search: anchor the pattern to anchor the match.
  static KeySelector Regex(const re2::RE2& regex) {
    return KeySelector(Kind::kRegex, {}, &regex);
  }

  bool Matches(std::string_view key) const;

 private:
  enum class Kind { kAll, kKey, kRegex };
  KeySelector(Kind kind, std::string_view key, const re2::RE2* regex)
      : kind_(kind), key_(key), regex_(regex) {}

  Kind kind_;
  std::string_view key_;
  const re2::RE2* regex_;
};

}  // namespace gatehouse::waf_inputs

#endif  // GATEHOUSE_WAF_INPUTS_KEY_SELECTOR_H_

#pragma once

// The SecLang operators CRS's request rules use, as matching functions over one (transformed)
// value. Semantics follow ModSecurity's reference manual as libmodsecurity 3 implements them;
// where the two disagree the comment says which is followed and why.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace gatehouse::waf {

enum class OperatorKind : uint8_t {
  kRx,
  kPm,  // @pm and @pmFromFile: the phrases are in the program either way
  kEq,
  kGe,
  kGt,
  kLt,
  kLe,
  kStreq,
  kContains,
  kBeginsWith,
  kEndsWith,
  kWithin,
  kIpMatch,  // @ipMatch and @ipMatchFromFile
  kValidateByteRange,
  kValidateUrlEncoding,
  kValidateUtf8Encoding,
  kDetectSqli,
  kDetectXss,
  kUnconditionalMatch,  // SecAction, @unconditionalMatch
  // Not SecLang: an @rx whose PCRE pattern compared words through back-references, rewritten
  // for RE2 (compiler/seclang_import/regex_rewrite.h). Its groups named same_N_K must hold the
  // word group N holds, those named differ_N_K must not start with it as a whole word; the
  // comparison ignores ASCII case when the pattern begins with (?i. A candidate match that
  // fails a comparison is passed over and the search goes on after group N's word: exact for
  // patterns where the referenced word decides the rest of the match (CRS 942130; the rewrite's
  // tests compare it with PCRE).
  kRxWordBackref,
};

// The SecLang name without '@' ("rx", "pmFromFile" reads as kPm, ...); nullopt when unknown.
std::optional<OperatorKind> OperatorKindByName(std::string_view name);
std::string_view OperatorName(OperatorKind kind);

// Whether the operator's argument may hold a macro expanded per request (%{tx.x}): the numeric
// and string comparisons. A regex, phrase list or IP list is compiled once and may not.
bool TakesRuntimeArgument(OperatorKind kind);

// What a successful match yields, for MATCHED_VAR-style logging and `capture`.
struct MatchResult {
  bool matched = false;
  // TX:0..9 when the operator captures (@rx groups; @detectSQLi's fingerprint as TX:0).
  std::vector<std::string> captures;
};

// A case-insensitive multi-phrase matcher (@pm): true when any phrase occurs in the value.
// An Aho-Corasick automaton compiled to a DFA over ASCII-folded bytes. Bytes that occur in no
// phrase share one input class, so a table row is as wide as the phrases' alphabet, not 256.
// Built once, read-only after.
class PhraseSet {
 public:
  explicit PhraseSet(const std::vector<std::string>& phrases);
  bool ContainsAny(std::string_view value) const;
  // The phrase that matched first, for logs; empty when none.
  std::string_view FirstMatch(std::string_view value) const;
  size_t size() const { return phrases_.size(); }
  const std::vector<std::string>& phrases() const { return phrases_; }

 private:
  // The state after reading `value` up to a terminal state; -1 when none is reached.
  int32_t Run(std::string_view value, size_t* end) const;

  std::vector<std::string> phrases_;
  uint8_t byte_class_[256] = {};
  size_t class_count_ = 1;
  // transitions_[state * class_count_ + class]
  std::vector<int32_t> transitions_;
  // For a terminal state, the index of a phrase ending there; -1 otherwise.
  std::vector<int32_t> output_;
};

// @validateByteRange's argument: "1-255", "9,10,13,32-126": the bytes allowed.
class ByteRanges {
 public:
  static absl::StatusOr<ByteRanges> Parse(std::string_view argument);
  // True when every byte of `value` is allowed.
  bool AllAllowed(std::string_view value) const;
  bool Allowed(unsigned char byte) const { return allowed_[byte]; }

 private:
  bool allowed_[256] = {};
};

// One operator with its argument compiled (a regex, a phrase set, byte ranges, IP ranges). Made
// at link time from the program; immutable and shareable across threads after.
class CompiledOperator {
 public:
  // `argument` is the operator's argument with every compile-time macro expanded; for a runtime
  // argument it may still hold %{...} (the caller expands it per request and passes it to
  // Match). `phrases` are @pm's phrases or @ipMatch's addresses when read from a file.
  static absl::StatusOr<CompiledOperator> Create(OperatorKind kind, std::string argument,
                                                 const std::vector<std::string>& phrases);

  OperatorKind kind() const { return kind_; }
  const std::string& argument() const { return argument_; }
  // The compiled regex of @rx, for the prefilter's pattern list.
  const re2::RE2* regex() const { return regex_.get(); }
  // @validateByteRange's ranges (null for other operators).
  const ByteRanges* byte_ranges() const { return byte_ranges_.get(); }
  // @pm's phrases (empty for other operators).
  const std::vector<std::string>& phrases() const;

  // Matches `value`. `runtime_argument` replaces the argument for operators that take one per
  // request (after macro expansion); nullptr: the compiled argument. Fills `captures` when
  // non-null and the operator captures.
  bool Match(std::string_view value, const std::string* runtime_argument,
             std::vector<std::string>* captures) const;

 private:
  struct WordBackrefs;
  bool MatchWordBackrefs(std::string_view value, std::vector<std::string>* captures) const;

  OperatorKind kind_ = OperatorKind::kUnconditionalMatch;
  std::string argument_;
  std::shared_ptr<const re2::RE2> regex_;
  // Regexes CRS tests every request with, answered without RE2 for a value with no newline
  // (with one, ^ and $ also match at line ends, and RE2 answers).
  enum class Shortcut : uint8_t {
    kNone,
    kWholeLine,  // ^.*$ (920450, 901318): any value, captured whole
    kEmpty,      // ^$ (920290, 920310, 920311, 920330): only the empty value
    kOneOf,      // ^(?:GET|HEAD)$ (920170, 920171): one of whole_values_, captured whole
  };
  Shortcut shortcut_ = Shortcut::kNone;
  std::vector<std::string> whole_values_;
  std::shared_ptr<const WordBackrefs> word_backrefs_;
  std::shared_ptr<const PhraseSet> phrases_;
  std::shared_ptr<const ByteRanges> byte_ranges_;
  struct IpRanges;
  std::shared_ptr<const IpRanges> ip_ranges_;
};

// The functions themselves, for tests and for other callers.

// ModSecurity's reading of a number: atoi's (optional spaces, sign, digits; anything else 0).
int64_t ParseModSecurityInteger(std::string_view text);
// True when the value holds a '%' not followed by two hex digits (@validateUrlEncoding).
bool HasInvalidUrlEncoding(std::string_view value);
// True when the value is not valid UTF-8: a stray continuation byte, a truncated or overlong
// sequence, a surrogate or a code point above U+10FFFF (@validateUtf8Encoding).
bool HasInvalidUtf8(std::string_view value);
// ModSecurity's regex options for @rx: '.' matches a newline, '^'/'$' match at line ends.
std::string RegexWithModSecurityFlags(std::string_view pattern);

}  // namespace gatehouse::waf

#include "waf/operators.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <deque>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "detect/sqli.h"
#include "detect/xss.h"
#include "re2/re2.h"
#include "rules/ip_address.h"
#include "rules/strings.h"

namespace gatehouse::waf {
namespace {

struct NamedKind {
  std::string_view name;
  OperatorKind kind;
};

constexpr NamedKind kOperatorNames[] = {
    {"rx", OperatorKind::kRx},
    {"pm", OperatorKind::kPm},
    {"pmFromFile", OperatorKind::kPm},
    {"pmf", OperatorKind::kPm},
    {"eq", OperatorKind::kEq},
    {"ge", OperatorKind::kGe},
    {"gt", OperatorKind::kGt},
    {"lt", OperatorKind::kLt},
    {"le", OperatorKind::kLe},
    {"streq", OperatorKind::kStreq},
    {"contains", OperatorKind::kContains},
    {"beginsWith", OperatorKind::kBeginsWith},
    {"endsWith", OperatorKind::kEndsWith},
    {"within", OperatorKind::kWithin},
    {"ipMatch", OperatorKind::kIpMatch},
    {"ipMatchFromFile", OperatorKind::kIpMatch},
    {"ipMatchF", OperatorKind::kIpMatch},
    {"validateByteRange", OperatorKind::kValidateByteRange},
    {"validateUrlEncoding", OperatorKind::kValidateUrlEncoding},
    {"validateUtf8Encoding", OperatorKind::kValidateUtf8Encoding},
    {"detectSQLi", OperatorKind::kDetectSqli},
    {"detectXSS", OperatorKind::kDetectXss},
    {"unconditionalMatch", OperatorKind::kUnconditionalMatch},
    {"rxWordBackref", OperatorKind::kRxWordBackref},
};

unsigned char Fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Splits on commas and spaces (ModSecurity's @ipMatch list and @pm phrase list separators differ:
// see the callers).
std::vector<std::string_view> SplitAny(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(separators, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// @rx's regex: PCRE as ModSecurity runs it reads bytes, not UTF-8 (\xbc is the byte 0xBC).
absl::StatusOr<std::shared_ptr<const RE2>> CompileModSecurityRegex(std::string_view pattern,
                                                                   std::string_view name) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  options.set_encoding(RE2::Options::EncodingLatin1);
  auto regex = std::make_shared<const RE2>(RegexWithModSecurityFlags(pattern), options);
  if (!regex->ok()) {
    return absl::InvalidArgumentError(absl::StrCat("@", rules::ToAbsl(name), ": ", regex->error()));
  }
  return regex;
}

// The words of a pattern ^(?:A|B|...)$ whose alternatives are plain words (letters, digits,
// '_', '-'): a one-line value matches it exactly when it is one of them. nullopt for any other.
std::optional<std::vector<std::string>> AnchoredWords(std::string_view pattern) {
  constexpr std::string_view kOpen = "^(?:", kClose = ")$";
  if (!pattern.starts_with(kOpen) || !pattern.ends_with(kClose)) return std::nullopt;
  const std::string_view inner =
      pattern.substr(kOpen.size(), pattern.size() - kOpen.size() - kClose.size());
  std::vector<std::string> words;
  for (const absl::string_view word : absl::StrSplit(rules::ToAbsl(inner), '|')) {
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    if (!plain) return std::nullopt;
    words.emplace_back(word);
  }
  return words;
}

// \w as PCRE (without UCP) and RE2 (Latin-1) read it.
bool IsWordByte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// The whole word that starts at `position`; empty when no word starts there.
std::string_view WordAt(std::string_view value, size_t position) {
  if (position >= value.size() || !IsWordByte(value[position])) return {};
  if (position > 0 && IsWordByte(value[position - 1])) return {};
  size_t end = position;
  while (end < value.size() && IsWordByte(value[end])) ++end;
  return value.substr(position, end - position);
}

}  // namespace

std::optional<OperatorKind> OperatorKindByName(std::string_view name) {
  for (const NamedKind& entry : kOperatorNames) {
    if (entry.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), entry.name.begin(),
                   [](char a, char b) { return Fold(a) == Fold(b); })) {
      return entry.kind;
    }
  }
  return std::nullopt;
}

std::string_view OperatorName(OperatorKind kind) {
  for (const NamedKind& entry : kOperatorNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "?";
}

bool TakesRuntimeArgument(OperatorKind kind) {
  switch (kind) {
    case OperatorKind::kEq:
    case OperatorKind::kGe:
    case OperatorKind::kGt:
    case OperatorKind::kLt:
    case OperatorKind::kLe:
    case OperatorKind::kStreq:
    case OperatorKind::kContains:
    case OperatorKind::kBeginsWith:
    case OperatorKind::kEndsWith:
    case OperatorKind::kWithin:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// PhraseSet

PhraseSet::PhraseSet(const std::vector<std::string>& phrases) {
  for (const std::string& phrase : phrases) {
    if (!phrase.empty()) phrases_.push_back(phrase);
  }
  // Input classes: one per distinct folded byte that occurs in a phrase; class 0 for the rest.
  for (const std::string& phrase : phrases_) {
    for (unsigned char c : phrase) {
      unsigned char folded = Fold(c);
      if (byte_class_[folded] == 0) byte_class_[folded] = static_cast<uint8_t>(class_count_++);
    }
  }
  for (int c = 'A'; c <= 'Z'; ++c) byte_class_[c] = byte_class_[c + ('a' - 'A')];

  // The trie, then breadth-first failure links folded into a full transition table.
  transitions_.assign(class_count_, -1);
  output_.assign(1, -1);
  for (size_t index = 0; index < phrases_.size(); ++index) {
    int32_t state = 0;
    for (unsigned char c : phrases_[index]) {
      const size_t cls = byte_class_[c];
      int32_t& next = transitions_[state * class_count_ + cls];
      if (next < 0) {
        next = static_cast<int32_t>(output_.size());
        output_.push_back(-1);
        transitions_.resize(transitions_.size() + class_count_, -1);
      }
      state = transitions_[state * class_count_ + cls];
    }
    if (output_[state] < 0) output_[state] = static_cast<int32_t>(index);
  }
  std::vector<int32_t> failure(output_.size(), 0);
  std::deque<int32_t> queue;
  for (size_t cls = 0; cls < class_count_; ++cls) {
    int32_t& next = transitions_[cls];
    if (next < 0) {
      next = 0;
    } else {
      failure[next] = 0;
      queue.push_back(next);
    }
  }
  while (!queue.empty()) {
    const int32_t state = queue.front();
    queue.pop_front();
    if (output_[state] < 0) output_[state] = output_[failure[state]];
    for (size_t cls = 0; cls < class_count_; ++cls) {
      int32_t& next = transitions_[state * class_count_ + cls];
      const int32_t fallback = transitions_[failure[state] * class_count_ + cls];
      if (next < 0) {
        next = fallback;
      } else {
        failure[next] = fallback;
        queue.push_back(next);
      }
    }
  }
}

int32_t PhraseSet::Run(std::string_view value, size_t* end) const {
  if (phrases_.empty()) return -1;
  int32_t state = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    state = transitions_[state * class_count_ + byte_class_[static_cast<unsigned char>(value[i])]];
    if (output_[state] >= 0) {
      if (end != nullptr) *end = i + 1;
      return state;
    }
  }
  return -1;
}

bool PhraseSet::ContainsAny(std::string_view value) const { return Run(value, nullptr) >= 0; }

std::string_view PhraseSet::FirstMatch(std::string_view value) const {
  size_t end = 0;
  const int32_t state = Run(value, &end);
  if (state < 0) return {};
  const std::string& phrase = phrases_[output_[state]];
  return value.substr(end - phrase.size(), phrase.size());
}

// ---------------------------------------------------------------------------------------------
// ByteRanges

absl::StatusOr<ByteRanges> ByteRanges::Parse(std::string_view argument) {
  ByteRanges ranges;
  for (std::string_view item : SplitAny(argument, ", ")) {
    const size_t dash = item.find('-');
    auto number = [](std::string_view digits) -> std::optional<int> {
      if (digits.empty() || digits.size() > 3) return std::nullopt;
      int value = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
      }
      if (value > 255) return std::nullopt;
      return value;
    };
    std::optional<int> low = number(dash == std::string_view::npos ? item : item.substr(0, dash));
    std::optional<int> high =
        dash == std::string_view::npos ? low : number(item.substr(dash + 1));
    if (!low || !high || *low > *high) {
      return absl::InvalidArgumentError(
          absl::StrCat("@validateByteRange: \"", std::string(item), "\" is not a byte or a range"));
    }
    for (int b = *low; b <= *high; ++b) ranges.allowed_[b] = true;
  }
  return ranges;
}

bool ByteRanges::AllAllowed(std::string_view value) const {
  for (unsigned char c : value) {
    if (!allowed_[c]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The functions

int64_t ParseModSecurityInteger(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  int64_t value = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (value < (int64_t{1} << 55)) value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}

bool HasInvalidUrlEncoding(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') continue;
    if (i + 2 >= value.size() || !IsHex(value[i + 1]) || !IsHex(value[i + 2])) return true;
    i += 2;
  }
  return false;
}

bool HasInvalidUtf8(std::string_view value) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
  const size_t size = value.size();
  for (size_t i = 0; i < size;) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return true;  // a stray continuation byte or F8..FF
    }
    if (i + length > size) return true;
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return true;
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length]) return true;                 // overlong
    if (code > 0x10FFFF) return true;                          // beyond Unicode
    if (code >= 0xD800 && code <= 0xDFFF) return true;         // a surrogate
    i += length;
  }
  return false;
}

std::string RegexWithModSecurityFlags(std::string_view pattern) {
  // libmodsecurity 3 compiles @rx with PCRE_DOTALL | PCRE_MULTILINE, and an empty pattern as ".*".
  return absl::StrCat("(?sm)", pattern.empty() ? absl::string_view(".*")
                                               : absl::string_view(pattern.data(), pattern.size()));
}

// ---------------------------------------------------------------------------------------------
// CompiledOperator

struct CompiledOperator::IpRanges {
  std::vector<rules::IpRange> ranges;
};

struct CompiledOperator::WordBackrefs {
  // RE2 returns at most this many groups here; the CRS pattern has six.
  static constexpr int kMaxGroups = 15;
  struct Check {
    int group = 0;
    int referenced = 0;
    bool same = false;
  };
  std::vector<Check> checks;
  // The groups the pattern had before the rewrite, in order: TX:1..9 when capturing.
  std::vector<int> reported_groups;
  bool caseless = false;

  static absl::StatusOr<WordBackrefs> Read(const RE2& regex, std::string_view pattern) {
    WordBackrefs out;
    out.caseless = pattern.starts_with("(?i");
    const int groups = regex.NumberOfCapturingGroups();
    if (groups > kMaxGroups) {
      return absl::InvalidArgumentError("@rxWordBackref: more than 15 groups");
    }
    std::vector<bool> is_check(groups + 1, false);
    for (const auto& [name, group] : regex.NamedCapturingGroups()) {
      const bool same = name.starts_with("same_");
      if (!same && !name.starts_with("differ_")) continue;
      const std::string_view rest = std::string_view(name).substr(same ? 5 : 7);
      int referenced = 0;
      const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), referenced);
      if (error != std::errc() || end == rest.data() + rest.size() || *end != '_' ||
          referenced < 1 || referenced > groups) {
        return absl::InvalidArgumentError(
            absl::StrCat("@rxWordBackref: group \"", name, "\" names no group"));
      }
      out.checks.push_back({group, referenced, same});
      is_check[group] = true;
    }
    if (out.checks.empty()) {
      return absl::InvalidArgumentError("@rxWordBackref: no same_N_K or differ_N_K group");
    }
    for (int group = 1; group <= groups; ++group) {
      if (!is_check[group]) out.reported_groups.push_back(group);
    }
    return out;
  }
};

absl::StatusOr<CompiledOperator> CompiledOperator::Create(
    OperatorKind kind, std::string argument, const std::vector<std::string>& phrases) {
  CompiledOperator op;
  op.kind_ = kind;
  op.argument_ = std::move(argument);
  switch (kind) {
    case OperatorKind::kRx: {
      absl::StatusOr<std::shared_ptr<const RE2>> regex =
          CompileModSecurityRegex(op.argument_, OperatorName(kind));
      if (!regex.ok()) return regex.status();
      op.regex_ = *std::move(regex);
      op.shortcut_ = op.argument_ == "^.*$" ? Shortcut::kWholeLine
                     : op.argument_ == "^$" ? Shortcut::kEmpty
                                            : Shortcut::kNone;
      if (std::optional<std::vector<std::string>> words = AnchoredWords(op.argument_)) {
        op.shortcut_ = Shortcut::kOneOf;
        op.whole_values_ = *std::move(words);
      }
      break;
    }
    case OperatorKind::kRxWordBackref: {
      absl::StatusOr<std::shared_ptr<const RE2>> regex =
          CompileModSecurityRegex(op.argument_, OperatorName(kind));
      if (!regex.ok()) return regex.status();
      absl::StatusOr<WordBackrefs> checks = WordBackrefs::Read(**regex, op.argument_);
      if (!checks.ok()) return checks.status();
      op.regex_ = *std::move(regex);
      op.word_backrefs_ = std::make_shared<const WordBackrefs>(*std::move(checks));
      break;
    }
    case OperatorKind::kPm: {
      std::vector<std::string> list = phrases;
      if (list.empty()) {
        // @pm's own argument: phrases separated by spaces.
        for (std::string_view phrase : SplitAny(op.argument_, " ")) list.emplace_back(phrase);
      }
      op.phrases_ = std::make_shared<PhraseSet>(list);
      break;
    }
    case OperatorKind::kValidateByteRange: {
      absl::StatusOr<ByteRanges> ranges = ByteRanges::Parse(op.argument_);
      if (!ranges.ok()) return ranges.status();
      op.byte_ranges_ = std::make_shared<ByteRanges>(*ranges);
      break;
    }
    case OperatorKind::kIpMatch: {
      auto ranges = std::make_shared<IpRanges>();
      std::vector<std::string_view> items;
      if (phrases.empty()) {
        items = SplitAny(op.argument_, ", ");
      } else {
        for (const std::string& item : phrases) items.push_back(item);
      }
      for (std::string_view item : items) {
        std::optional<rules::IpRange> range = rules::ParseIpRange(item);
        if (!range) {
          return absl::InvalidArgumentError(
              absl::StrCat("@ipMatch: \"", std::string(item), "\" is not an address or network"));
        }
        ranges->ranges.push_back(*range);
      }
      op.ip_ranges_ = std::move(ranges);
      break;
    }
    default:
      break;
  }
  return op;
}

const std::vector<std::string>& CompiledOperator::phrases() const {
  static const std::vector<std::string> kNone;
  return phrases_ != nullptr ? phrases_->phrases() : kNone;
}

bool CompiledOperator::Match(std::string_view value, const std::string* runtime_argument,
                             std::vector<std::string>* captures) const {
  const std::string_view argument = runtime_argument != nullptr ? *runtime_argument : argument_;
  switch (kind_) {
    case OperatorKind::kRx: {
      if (shortcut_ != Shortcut::kNone && value.find('\n') == std::string_view::npos) {
        // One line: ^.*$ matches it whole, ^$ only when it is empty, ^(?:A|B)$ when it is A or
        // B. TX:0 is the value.
        const bool matches =
            shortcut_ == Shortcut::kWholeLine ||
            (shortcut_ == Shortcut::kEmpty
                 ? value.empty()
                 : std::find(whole_values_.begin(), whole_values_.end(), value) !=
                       whole_values_.end());
        if (matches && captures != nullptr) {
          captures->resize(1);
          (*captures)[0].assign(value);
        }
        return matches;
      }
      if (captures == nullptr) {
        return RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *regex_);
      }
      // TX:0 is the whole match, TX:1..9 the groups.
      const int groups = std::min(regex_->NumberOfCapturingGroups(), 9);
      std::array<re2::StringPiece, 10> spans;
      if (!regex_->Match(re2::StringPiece(value.data(), value.size()), 0, value.size(),
                         RE2::UNANCHORED, spans.data(), groups + 1)) {
        return false;
      }
      // Into the strings already there: a capturing rule runs for every matching value.
      captures->resize(static_cast<size_t>(groups) + 1);
      for (int g = 0; g <= groups; ++g) {
        (*captures)[static_cast<size_t>(g)].assign(spans[g].data(), spans[g].size());
      }
      return true;
    }
    case OperatorKind::kRxWordBackref:
      return MatchWordBackrefs(value, captures);
    case OperatorKind::kPm:
      if (captures == nullptr) return phrases_->ContainsAny(value);
      if (std::string_view phrase = phrases_->FirstMatch(value); !phrase.empty()) {
        captures->assign(1, std::string(phrase));
        return true;
      }
      return false;
    case OperatorKind::kEq:
      return ParseModSecurityInteger(value) == ParseModSecurityInteger(argument);
    case OperatorKind::kGe:
      return ParseModSecurityInteger(value) >= ParseModSecurityInteger(argument);
    case OperatorKind::kGt:
      return ParseModSecurityInteger(value) > ParseModSecurityInteger(argument);
    case OperatorKind::kLt:
      return ParseModSecurityInteger(value) < ParseModSecurityInteger(argument);
    case OperatorKind::kLe:
      return ParseModSecurityInteger(value) <= ParseModSecurityInteger(argument);
    case OperatorKind::kStreq:
      return value == argument;
    case OperatorKind::kContains:
      return value.find(argument) != std::string_view::npos;
    case OperatorKind::kBeginsWith:
      return value.starts_with(argument);
    case OperatorKind::kEndsWith:
      return value.ends_with(argument);
    case OperatorKind::kWithin:
      // The empty value is within anything, as ModSecurity has it.
      return value.empty() || argument.find(value) != std::string_view::npos;
    case OperatorKind::kIpMatch: {
      std::optional<rules::IpAddress> address = rules::ParseIpAddress(value);
      if (!address) return false;
      for (const rules::IpRange& range : ip_ranges_->ranges) {
        if (!rules::AddressLess(*address, range.low) && !rules::AddressLess(range.high, *address)) {
          return true;
        }
      }
      return false;
    }
    case OperatorKind::kValidateByteRange:
      return !byte_ranges_->AllAllowed(value);
    case OperatorKind::kValidateUrlEncoding:
      return HasInvalidUrlEncoding(value);
    case OperatorKind::kValidateUtf8Encoding:
      return HasInvalidUtf8(value);
    case OperatorKind::kDetectSqli: {
      detect::SqliFingerprint fingerprint;
      if (!detect::DetectSqli(value, &fingerprint)) return false;
      if (captures != nullptr) captures->assign(1, std::string(fingerprint.view()));
      return true;
    }
    case OperatorKind::kDetectXss:
      return detect::DetectXss(value);
    case OperatorKind::kUnconditionalMatch:
      return true;
  }
  return false;
}

bool CompiledOperator::MatchWordBackrefs(std::string_view value,
                                         std::vector<std::string>* captures) const {
  const WordBackrefs& backrefs = *word_backrefs_;
  const int groups = regex_->NumberOfCapturingGroups();
  std::array<re2::StringPiece, WordBackrefs::kMaxGroups + 1> spans;
  const re2::StringPiece text(value.data(), value.size());
  const auto offset = [&](const re2::StringPiece& span) {
    return static_cast<size_t>(span.data() - value.data());
  };
  size_t start = 0;
  while (start <= value.size()) {
    if (!regex_->Match(text, start, value.size(), RE2::UNANCHORED, spans.data(), groups + 1)) {
      return false;
    }
    // PCRE would backtrack into another reading; the candidates left are those after the
    // referenced word (kRxWordBackref says when that is exact).
    size_t resume = offset(spans[0]) + 1;
    bool holds = true;
    for (const WordBackrefs::Check& check : backrefs.checks) {
      const re2::StringPiece& at = spans[check.group];
      if (at.data() == nullptr) continue;  // not in this reading
      const re2::StringPiece& word = spans[check.referenced];
      bool equal = false;
      // A back-reference to a group that took no part matches nothing, as in PCRE.
      if (word.data() != nullptr) {
        resume = std::max(resume, offset(word) + word.size());
        const std::string_view referenced(word.data(), word.size());
        const std::string_view found = WordAt(value, offset(at));
        equal = !found.empty() && (backrefs.caseless ? rules::EqualsIgnoreCase(found, referenced)
                                                     : found == referenced);
      }
      if (equal != check.same) {
        holds = false;
        break;
      }
    }
    if (holds) {
      if (captures != nullptr) {
        captures->assign(1, std::string(spans[0].data(), spans[0].size()));
        for (int group : backrefs.reported_groups) {
          if (captures->size() == 10) break;
          captures->emplace_back(spans[group].data(), spans[group].size());
        }
      }
      return true;
    }
    start = resume;
  }
  return false;
}

}  // namespace gatehouse::waf

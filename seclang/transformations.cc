#include "seclang/transformations.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "openssl/evp.h"

namespace gatehouse::seclang {
namespace {

constexpr std::array<std::pair<Transformation, std::string_view>, 21> kNames = {{
    {Transformation::kNone, "none"},
    {Transformation::kLowercase, "lowercase"},
    {Transformation::kUrlDecode, "urlDecode"},
    {Transformation::kUrlDecodeUni, "urlDecodeUni"},
    {Transformation::kUtf8ToUnicode, "utf8toUnicode"},
    {Transformation::kHtmlEntityDecode, "htmlEntityDecode"},
    {Transformation::kJsDecode, "jsDecode"},
    {Transformation::kCssDecode, "cssDecode"},
    {Transformation::kRemoveNulls, "removeNulls"},
    {Transformation::kCmdLine, "cmdLine"},
    {Transformation::kCompressWhitespace, "compressWhitespace"},
    {Transformation::kRemoveWhitespace, "removeWhitespace"},
    {Transformation::kNormalizePath, "normalizePath"},
    {Transformation::kNormalizePath, "normalisePath"},
    {Transformation::kNormalizePathWin, "normalizePathWin"},
    {Transformation::kNormalizePathWin, "normalisePathWin"},
    {Transformation::kReplaceComments, "replaceComments"},
    {Transformation::kLength, "length"},
    {Transformation::kSha1, "sha1"},
    {Transformation::kHexEncode, "hexEncode"},
    {Transformation::kBase64Decode, "base64Decode"},
}};

// The output of a transformation that never lengthens its input, written through a pointer:
// on short request values a push_back's capacity check per byte costs more than the
// transformation's own work.
class BoundedOutput {
 public:
  explicit BoundedOutput(size_t bound) : out_(bound, '\0'), next_(out_.data()) {}
  void Put(char c) { *next_++ = c; }
  void Put(std::string_view run) {
    std::copy(run.begin(), run.end(), next_);
    next_ += run.size();
  }
  bool empty() const { return next_ == out_.data(); }
  char back() const { return next_[-1]; }
  void pop_back() { --next_; }
  std::string Finish() && {
    out_.resize(static_cast<size_t>(next_ - out_.data()));
    return std::move(out_);
  }

 private:
  std::string out_;
  char* next_;
};

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The C locale's isspace: what CSS escapes may be followed by.
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view StripSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsF(char c) { return c == 'f' || c == 'F'; }

char HexByte(char high, char low) { return static_cast<char>(HexValue(high) * 16 + HexValue(low)); }

// Four hex digits (a %u or \u escape) as one byte: the low byte, or the ASCII character when the
// digits are full-width ASCII (FF01..FF5E), which sits 0x20 above the low byte.
char WideToByte(std::string_view four_hex_digits) {
  char low = HexByte(four_hex_digits[2], four_hex_digits[3]);
  if (IsF(four_hex_digits[0]) && IsF(four_hex_digits[1]) && low > 0 && low < 0x5f) low += 0x20;
  return low;
}

// The character a JavaScript backslash escape of one letter stands for; any other character
// escapes itself (\' \" \\ \/ and also \q).
char SingleCharacterEscape(char c) {
  switch (c) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    default:
      return c;
  }
}

bool AllHex(std::string_view digits) {
  for (char c : digits) {
    if (!IsHex(c)) return false;
  }
  return true;
}

// Decodes %HH (and with `unicode`, %uHHHH) and '+'; shared by urlDecode and urlDecodeUni.
std::string PercentDecode(std::string_view in, bool unicode) {
  BoundedOutput out(in.size());
  size_t i = 0;
  while (i < in.size()) {
    // The run of ordinary bytes up to the next '+' or '%', copied at once.
    size_t end = i;
    while (end < in.size() && in[end] != '+' && in[end] != '%') ++end;
    out.Put(in.substr(i, end - i));
    i = end;
    if (i == in.size()) break;
    const char c = in[i];
    if (c == '+') {
      out.Put(' ');
      ++i;
    } else if (unicode && i + 5 < in.size() && (in[i + 1] == 'u' || in[i + 1] == 'U') &&
               AllHex(in.substr(i + 2, 4))) {
      out.Put(WideToByte(in.substr(i + 2, 4)));
      i += 6;
    } else if (i + 2 < in.size() && IsHex(in[i + 1]) && IsHex(in[i + 2])) {
      out.Put(HexByte(in[i + 1], in[i + 2]));
      i += 3;
    } else {
      // Not an escape: the '%' stays and what follows is read as ordinary input.
      out.Put(c);
      ++i;
    }
  }
  return std::move(out).Finish();
}

// The code point of the UTF-8 sequence at in[i] and its length, or length 0 when the byte there
// does not start a complete sequence (a lead byte C0..F7 and as many continuation bytes as it
// announces).
struct CodePoint {
  uint32_t value = 0;
  size_t length = 0;
};

CodePoint DecodeUtf8(std::string_view in, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(in[k]); };
  const unsigned char lead = byte(i);
  size_t length;
  uint32_t value;
  if (lead >= 0xC0 && lead <= 0xDF) {
    length = 2, value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, value = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF7) {
    length = 4, value = lead & 0x07;
  } else {
    return {};
  }
  if (i + length > in.size()) return {};
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are decoded like any sequence: lenient
  // decoders in back ends accept them, so "\xC0\xBC" must reach a rule as '<' (libmodsecurity
  // decodes them too).
  return {value, length};
}

// A run of decimal or hex digits as ModSecurity's strtol reads it: saturating at the largest
// long, so a huge entity decodes to the same byte (0xFF) it does there.
char SaturatedLowByte(std::string_view digits, int base) {
  constexpr uint64_t kLongMax = 0x7FFFFFFFFFFFFFFF;
  uint64_t value = 0;
  for (char c : digits) {
    const uint64_t digit = static_cast<uint64_t>(HexValue(c));
    if (value > (kLongMax - digit) / static_cast<uint64_t>(base)) {
      value = kLongMax;
      break;
    }
    value = value * static_cast<uint64_t>(base) + digit;
  }
  return static_cast<char>(value & 0xFF);
}

// The byte a named entity stands for, or nullopt for a name this decoder leaves alone.
std::optional<char> NamedEntity(std::string_view name) {
  const auto is = [&](std::string_view want) {
    if (name.size() != want.size()) return false;
    for (size_t k = 0; k < name.size(); ++k) {
      char c = name[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != want[k]) return false;
    }
    return true;
  };
  if (is("quot")) return '"';
  if (is("amp")) return '&';
  if (is("lt")) return '<';
  if (is("gt")) return '>';
  if (is("nbsp")) return static_cast<char>(0xA0);
  return std::nullopt;
}

}  // namespace

std::string_view TransformationName(Transformation transformation) {
  for (const auto& [t, name] : kNames) {
    if (t == transformation) return name;
  }
  return "unknown";
}

std::optional<Transformation> TransformationByName(std::string_view name) {
  for (const auto& [t, known] : kNames) {
    if (known == name) return t;
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<Transformation>> ParseTransformationList(std::string_view list) {
  std::vector<Transformation> out;
  size_t start = 0;
  while (true) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view item = StripSpaces(list.substr(start, comma - start));
    if (!item.starts_with("t:")) {
      return absl::InvalidArgumentError("transformation list item \"" + std::string(item) +
                                        "\" does not start with t:");
    }
    const std::string_view name = item.substr(2);
    const std::optional<Transformation> t = TransformationByName(name);
    if (!t.has_value()) {
      return absl::InvalidArgumentError("unknown transformation \"" + std::string(name) + "\"");
    }
    if (*t == Transformation::kNone) {
      out.clear();
    } else {
      out.push_back(*t);
    }
    if (comma == list.size()) break;
    start = comma + 1;
  }
  return out;
}

std::string FormatTransformationList(std::span<const Transformation> list) {
  std::string out;
  for (Transformation t : list) {
    if (!out.empty()) out.push_back(',');
    out.append("t:").append(TransformationName(t));
  }
  return out;
}

std::string ApplyTransformation(Transformation transformation, std::string_view input) {
  switch (transformation) {
    case Transformation::kNone:
      return std::string(input);
    case Transformation::kLowercase:
      return Lowercase(input);
    case Transformation::kUrlDecode:
      return UrlDecode(input);
    case Transformation::kUrlDecodeUni:
      return UrlDecodeUni(input);
    case Transformation::kUtf8ToUnicode:
      return Utf8ToUnicode(input);
    case Transformation::kHtmlEntityDecode:
      return HtmlEntityDecode(input);
    case Transformation::kJsDecode:
      return JsDecode(input);
    case Transformation::kCssDecode:
      return CssDecode(input);
    case Transformation::kRemoveNulls:
      return RemoveNulls(input);
    case Transformation::kCmdLine:
      return CmdLine(input);
    case Transformation::kCompressWhitespace:
      return CompressWhitespace(input);
    case Transformation::kRemoveWhitespace:
      return RemoveWhitespace(input);
    case Transformation::kNormalizePath:
      return NormalizePath(input);
    case Transformation::kNormalizePathWin:
      return NormalizePathWin(input);
    case Transformation::kReplaceComments:
      return ReplaceComments(input);
    case Transformation::kLength:
      return Length(input);
    case Transformation::kSha1:
      return Sha1(input);
    case Transformation::kHexEncode:
      return HexEncode(input);
    case Transformation::kBase64Decode:
      return Base64Decode(input);
  }
  return std::string(input);
}

namespace {

// What ValueTraits records: a byte class or a pair of bytes that occurs in the value.
enum Trait : uint32_t {
  kUpper = 1u << 0,          // A-Z
  kPercentOrPlus = 1u << 1,  // % +
  kHighByte = 1u << 2,       // >= 0x80
  kAmpersand = 1u << 3,      // &
  kBackslash = 1u << 4,      // backslash
  kNul = 1u << 5,
  kShellPunctuation = 1u << 6,  // " ' ^ , ;
  kSpace = 1u << 7,             // ' '
  kOtherWhitespace = 1u << 8,   // \t..\r, 0xA0
  kDoubleSpace = 1u << 9,       // "  "
  kPathDot = 1u << 10,          // "//", "/." or a leading '.'
  kCommentOpen = 1u << 11,      // "/*"
  kSlash = 1u << 12,            // '/': only while the pairs above are looked for
  kAnyValue = 1u << 31,         // every value, the empty one too
};

struct TraitTable {
  uint32_t of[256] = {};
  constexpr TraitTable() {
    for (int c = 'A'; c <= 'Z'; ++c) of[c] |= kUpper;
    of['%'] |= kPercentOrPlus;
    of['+'] |= kPercentOrPlus;
    for (int c = 0x80; c < 256; ++c) of[c] |= kHighByte;
    of['&'] |= kAmpersand;
    of['\\'] |= kBackslash;
    of[0] |= kNul;
    for (char c : {'"', '\'', '^', ',', ';'}) of[static_cast<unsigned char>(c)] |= kShellPunctuation;
    of[' '] |= kSpace;
    of['/'] |= kSlash;
    for (int c = '\t'; c <= '\r'; ++c) of[c] |= kOtherWhitespace;
    of[0xA0] |= kOtherWhitespace;
  }
};
constexpr TraitTable kTraits;

}  // namespace

ValueTraits::ValueTraits(std::string_view input) {
  // The byte classes first, four bytes a step on separate accumulators (every request value of
  // every request comes through here); the pairs only in the values that hold their first byte.
  const auto* bytes = reinterpret_cast<const unsigned char*>(input.data());
  const size_t size = input.size();
  uint32_t b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  size_t i = 0;
  for (; i + 4 <= size; i += 4) {
    b0 |= kTraits.of[bytes[i]];
    b1 |= kTraits.of[bytes[i + 1]];
    b2 |= kTraits.of[bytes[i + 2]];
    b3 |= kTraits.of[bytes[i + 3]];
  }
  for (; i < size; ++i) b0 |= kTraits.of[bytes[i]];
  uint32_t bits = b0 | b1 | b2 | b3;
  if (bits & kSlash) {
    for (size_t at = input.find('/'); at != std::string_view::npos && at + 1 < size;
         at = input.find('/', at + 1)) {
      const char next = input[at + 1];
      if (next == '/' || next == '.') bits |= kPathDot;
      if (next == '*') bits |= kCommentOpen;
    }
  }
  if ((bits & kSpace) && input.find("  ") != std::string_view::npos) bits |= kDoubleSpace;
  if (!input.empty() && input.front() == '.') bits |= kPathDot;
  bits_ = (bits & ~kSlash) | kAnyValue;
}

namespace {

// The traits of a value `transformation` may change.
constexpr uint32_t ChangedBy(Transformation transformation) {
  switch (transformation) {
    case Transformation::kNone:
      return 0;
    case Transformation::kLowercase:
      return kUpper;
    case Transformation::kUrlDecode:
    case Transformation::kUrlDecodeUni:
      return kPercentOrPlus;
    case Transformation::kUtf8ToUnicode:
      return kHighByte;
    case Transformation::kHtmlEntityDecode:
      return kAmpersand;
    case Transformation::kJsDecode:
    case Transformation::kCssDecode:
      return kBackslash;
    case Transformation::kRemoveNulls:
      return kNul;
    case Transformation::kCmdLine:
      return kUpper | kBackslash | kShellPunctuation | kSpace | kOtherWhitespace;
    case Transformation::kCompressWhitespace:
      return kOtherWhitespace | kDoubleSpace;
    case Transformation::kRemoveWhitespace:
      return kSpace | kOtherWhitespace;
    case Transformation::kNormalizePath:
      return kPathDot;
    case Transformation::kNormalizePathWin:
      return kBackslash | kPathDot;
    case Transformation::kReplaceComments:
      return kCommentOpen;
    case Transformation::kLength:
    case Transformation::kSha1:
    case Transformation::kHexEncode:
    case Transformation::kBase64Decode:
      return kAnyValue;
  }
  return kAnyValue;
}

constexpr std::array<uint32_t, static_cast<size_t>(Transformation::kBase64Decode) + 1>
ChangedByTable() {
  std::array<uint32_t, static_cast<size_t>(Transformation::kBase64Decode) + 1> table{};
  for (size_t t = 0; t < table.size(); ++t) table[t] = ChangedBy(static_cast<Transformation>(t));
  return table;
}

}  // namespace

const std::array<uint32_t, static_cast<size_t>(Transformation::kBase64Decode) + 1>
    ValueTraits::kChangedBy = ChangedByTable();

bool MayChange(Transformation transformation, std::string_view input) {
  return ValueTraits(input).MayChange(transformation);
}

uint32_t ValueTraits::ChangedByAny(std::span<const Transformation> list) {
  uint32_t changed_by = 0;
  for (const Transformation t : list) changed_by |= kChangedBy[static_cast<size_t>(t)];
  return changed_by;
}

std::optional<std::string> ApplyTransformationsIfChanged(std::span<const Transformation> list,
                                                         std::string_view input,
                                                         const ValueTraits& traits) {
  size_t first = 0;
  while (first < list.size() && !traits.MayChange(list[first])) ++first;
  if (first == list.size()) return std::nullopt;
  std::string result = ApplyTransformation(list[first], input);
  // The result's traits are read again only after a step that ran.
  ValueTraits result_traits(result);
  for (size_t i = first + 1; i < list.size(); ++i) {
    if (!result_traits.MayChange(list[i])) continue;
    result = ApplyTransformation(list[i], result);
    if (i + 1 < list.size()) result_traits = ValueTraits(result);
  }
  return result;
}

std::string ApplyTransformations(std::span<const Transformation> list, std::string_view input) {
  std::string value(input);
  for (Transformation t : list) value = ApplyTransformation(t, value);
  return value;
}

std::vector<std::string> MultiMatchValues(std::span<const Transformation> list,
                                          std::string_view input) {
  std::vector<std::string> out;
  out.emplace_back(input);
  ValueTraits traits(input);
  for (Transformation t : list) {
    if (!traits.MayChange(t)) continue;
    std::string next = ApplyTransformation(t, out.back());
    if (next != out.back()) {
      out.push_back(std::move(next));
      traits = ValueTraits(out.back());
    }
  }
  return out;
}

std::string Lowercase(std::string_view input) {
  std::string out(input);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string UrlDecode(std::string_view input) { return PercentDecode(input, false); }

std::string UrlDecodeUni(std::string_view input) { return PercentDecode(input, true); }

std::string Utf8ToUnicode(std::string_view input) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(input.size());
  size_t i = 0;
  while (i < input.size()) {
    const CodePoint cp = DecodeUtf8(input, i);
    if (cp.length == 0) {
      out.push_back(input[i]);
      ++i;
      continue;
    }
    out.append("%u");
    int digits = 4;
    while (digits < 6 && (cp.value >> (4 * digits)) != 0) ++digits;
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
      out.push_back(kHex[(cp.value >> shift) & 0xF]);
    }
    i += cp.length;
  }
  return out;
}

std::string HtmlEntityDecode(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  size_t i = 0;
  // Reads a character reference at input[i] == '&'; false (nothing consumed) when there is none.
  const auto decode_reference = [&]() {
    size_t j = i + 1;
    const bool numeric = j < input.size() && input[j] == '#';
    const bool hex = numeric && j + 1 < input.size() && (input[j + 1] == 'x' || input[j + 1] == 'X');
    if (numeric) j += hex ? 2 : 1;
    const size_t start = j;
    while (j < input.size() &&
           (hex ? IsHex(input[j]) : numeric ? IsDigit(input[j]) : IsAlnum(input[j]))) {
      ++j;
    }
    if (j == start) return false;
    const std::string_view body = input.substr(start, j - start);
    if (numeric) {
      out.push_back(SaturatedLowByte(body, hex ? 16 : 10));
    } else if (std::optional<char> named = NamedEntity(body); named.has_value()) {
      out.push_back(*named);
    } else {
      return false;
    }
    i = j < input.size() && input[j] == ';' ? j + 1 : j;
    return true;
  };
  while (i < input.size()) {
    if (input[i] == '&' && decode_reference()) continue;
    out.push_back(input[i]);
    ++i;
  }
  return out;
}

std::string JsDecode(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  size_t i = 0;
  while (i < input.size()) {
    if (input[i] != '\\') {
      out.push_back(input[i]);
      ++i;
      continue;
    }
    if (i + 1 >= input.size()) {
      // A trailing backslash escapes nothing.
      out.push_back('\\');
      ++i;
      continue;
    }
    const char next = input[i + 1];
    if (next == 'u' && i + 5 < input.size() && AllHex(input.substr(i + 2, 4))) {
      out.push_back(WideToByte(input.substr(i + 2, 4)));
      i += 6;
    } else if (next == 'x' && i + 3 < input.size() && IsHex(input[i + 2]) && IsHex(input[i + 3])) {
      out.push_back(HexByte(input[i + 2], input[i + 3]));
      i += 4;
    } else if (IsOctal(next)) {
      size_t digits = 1;
      while (digits < 3 && i + 1 + digits < input.size() && IsOctal(input[i + 1 + digits])) {
        ++digits;
      }
      // \400 and above do not fit a byte: the third digit is then a literal character.
      if (digits == 3 && next > '3') digits = 2;
      int value = 0;
      for (size_t k = 0; k < digits; ++k) value = value * 8 + (input[i + 1 + k] - '0');
      out.push_back(static_cast<char>(value));
      i += 1 + digits;
    } else {
      out.push_back(SingleCharacterEscape(next));
      i += 2;
    }
  }
  return out;
}

std::string CssDecode(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  size_t i = 0;
  while (i < input.size()) {
    if (input[i] != '\\') {
      out.push_back(input[i]);
      ++i;
      continue;
    }
    ++i;  // The backslash itself is never output.
    if (i >= input.size()) break;
    size_t digits = 0;
    while (digits < 6 && i + digits < input.size() && IsHex(input[i + digits])) ++digits;
    if (digits > 0) {
      uint32_t value = 0;
      for (size_t k = 0; k < digits; ++k) value = value * 16 + HexValue(input[i + k]);
      char byte = static_cast<char>(value & 0xFF);
      if ((value >> 8) == 0xFF && byte > 0 && byte < 0x5f) byte += 0x20;
      out.push_back(byte);
      i += digits;
      // CSS lets one whitespace character end an escape, so "\41 B" is "AB".
      if (i < input.size() && IsSpace(input[i])) ++i;
    } else if (input[i] == '\n') {
      ++i;  // A line continuation.
    } else {
      out.push_back(input[i]);
      ++i;
    }
  }
  return out;
}

std::string RemoveNulls(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (char c : input) {
    if (c != '\0') out.push_back(c);
  }
  return out;
}

namespace {

// ModSecurity's whitespace for compressWhitespace and removeWhitespace: C isspace plus the
// non-breaking space byte.
bool IsWhitespaceOrNbsp(char c) { return IsSpace(c) || static_cast<unsigned char>(c) == 0xA0; }

}  // namespace

std::string CmdLine(std::string_view input) {
  BoundedOutput out(input.size());
  bool in_space = false;
  for (char c : input) {
    switch (c) {
      case '\\':
      case '"':
      case '\'':
      case '^':
        continue;  // removed
      case ',':
      case ';':
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '\v':
      case '\f':
        if (!in_space) out.Put(' ');
        in_space = true;
        continue;
      case '/':
      case '(':
        // No space before a slash or an opening parenthesis.
        if (in_space && !out.empty() && out.back() == ' ') out.pop_back();
        break;
      default:
        break;
    }
    in_space = false;
    out.Put((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return std::move(out).Finish();
}

std::string CompressWhitespace(std::string_view input) {
  BoundedOutput out(input.size());
  bool in_space = false;
  for (char c : input) {
    if (IsWhitespaceOrNbsp(c)) {
      if (!in_space) out.Put(' ');
      in_space = true;
    } else {
      out.Put(c);
      in_space = false;
    }
  }
  return std::move(out).Finish();
}

std::string RemoveWhitespace(std::string_view input) {
  BoundedOutput out(input.size());
  for (char c : input) {
    if (!IsWhitespaceOrNbsp(c)) out.Put(c);
  }
  return std::move(out).Finish();
}

std::string NormalizePath(std::string_view input) {
  if (input.empty()) return std::string();
  const bool absolute = input.front() == '/';
  const bool trailing_slash = input.size() > 1 && input.back() == '/';
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('/', start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view segment = input.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty() && segments.back() != "..") {
        segments.pop_back();
      } else if (!absolute) {
        segments.push_back(segment);
      }
      continue;
    }
    segments.push_back(segment);
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  const bool ended_on_dot = input.ends_with("/.") || input.ends_with("/..") || input == "." ||
                            input == "..";
  if ((trailing_slash || ended_on_dot) && !out.empty() && out.back() != '/') out.push_back('/');
  return out;
}

std::string NormalizePathWin(std::string_view input) {
  std::string slashes(input);
  std::replace(slashes.begin(), slashes.end(), '\\', '/');
  return NormalizePath(slashes);
}

std::string ReplaceComments(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (size_t i = 0; i < input.size();) {
    if (input[i] == '/' && i + 1 < input.size() && input[i + 1] == '*') {
      const size_t close = input.find("*/", i + 2);
      out.push_back(' ');
      if (close == std::string_view::npos) break;
      i = close + 2;
    } else {
      out.push_back(input[i++]);
    }
  }
  return out;
}

std::string Length(std::string_view input) { return std::to_string(input.size()); }

std::string Sha1(std::string_view input) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // Fetched once: EVP_sha1() makes OpenSSL 3 look the algorithm up on every digest.
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  if (sha1 == nullptr ||
      EVP_Digest(input.data(), input.size(), digest, &size, sha1, nullptr) != 1) {
    return std::string();
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string HexEncode(std::string_view input) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(input.size() * 2);
  for (unsigned char c : input) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

std::string Base64Decode(std::string_view input) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  BoundedOutput out(input.size() * 3 / 4 + 1);
  uint32_t bits = 0;
  int count = 0;
  for (char c : input) {
    const int v = value(c);
    if (v < 0) break;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.Put(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return std::move(out).Finish();
}

}  // namespace gatehouse::seclang

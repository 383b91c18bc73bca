#ifndef GATEHOUSE_DETECT_SQLI_H_
#define GATEHOUSE_DETECT_SQLI_H_

#include <cstddef>
#include <string_view>

namespace gatehouse::detect {

// The folded SQL token types of an input, one letter per token (e.g. "s&1c": a string, a logic
// operator, a number, a comment). It is what a match is logged with, as ModSecurity logs
// libinjection's fingerprint as the matched data. docs/detectors.md lists the letters.
class SqliFingerprint {
 public:
  static constexpr std::size_t kMaxTokens = 8;

  std::string_view view() const { return std::string_view(types_, size_); }
  // The quoting context the input was read in: '\0' (as SQL), '\'' or '"' (as if it continued a
  // string opened with that quote).
  char context() const { return context_; }

  void Assign(std::string_view types, char context) {
    size_ = types.size() < kMaxTokens ? types.size() : kMaxTokens;
    for (std::size_t i = 0; i < size_; ++i) types_[i] = types[i];
    context_ = context;
  }

 private:
  char types_[kMaxTokens] = {};
  std::size_t size_ = 0;
  char context_ = '\0';
};

// True when `input` reads as an SQL-injection payload in one of the contexts a value is pasted
// into a query: as SQL, or after an opening ' or ". Thread-safe; allocates nothing. When it
// returns true and `fingerprint` is set, the fingerprint that matched is stored there.
bool DetectSqli(std::string_view input, SqliFingerprint* fingerprint = nullptr);

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_SQLI_H_

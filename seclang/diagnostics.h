#ifndef GATEHOUSE_SECLANG_DIAGNOSTICS_H_
#define GATEHOUSE_SECLANG_DIAGNOSTICS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "seclang/source_location.h"

namespace gatehouse::seclang {

// One problem found while reading SecLang. `length` is the number of bytes of the offending text
// on its line (at least 1); the caret line underlines them.
struct Diagnostic {
  SourceLocation location;
  int length = 1;
  std::string message;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// The physical lines of one file, for quoting the offending line under a diagnostic.
class SourceLines {
 public:
  explicit SourceLines(std::string_view text);

  // Line `line` (1-based) without its terminator ("\n" or "\r\n"); empty past the end.
  std::string_view Line(int line) const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

// Renders one diagnostic as compilers do:
//   file:line:column: error: message
//   <the source line>
//   <spaces>^~~~
// Tabs before the caret are kept so the caret lines up under the text in a terminal.
std::string FormatDiagnostic(const Diagnostic& diagnostic, std::string_view source_line);

// Every diagnostic of one file, each with its line quoted from `source`.
std::string FormatDiagnostics(const std::vector<Diagnostic>& diagnostics, std::string_view source);

// InvalidArgument carrying FormatDiagnostics' text, preceded by "N errors"; OK when empty.
absl::Status DiagnosticsToStatus(const std::vector<Diagnostic>& diagnostics,
                                 std::string_view source);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_DIAGNOSTICS_H_

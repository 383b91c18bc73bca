#include "seclang/diagnostics.h"

#include <algorithm>

#include "seclang/text.h"

namespace gatehouse::seclang {

SourceLines::SourceLines(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

std::string_view SourceLines::Line(int line) const {
  if (line < 1 || static_cast<size_t>(line) > starts_.size()) return {};
  const size_t start = starts_[line - 1];
  if (start > text_.size()) return {};
  size_t end = text_.find('\n', start);
  if (end == std::string_view::npos) end = text_.size();
  std::string_view out = text_.substr(start, end - start);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

std::string FormatDiagnostic(const Diagnostic& diagnostic, std::string_view source_line) {
  std::string out =
      Cat(diagnostic.location.ToString(), ": error: ", diagnostic.message, "\n", source_line, "\n");
  for (int i = 0; i + 1 < diagnostic.location.column; ++i) {
    const bool tab = static_cast<size_t>(i) < source_line.size() && source_line[i] == '\t';
    out.push_back(tab ? '\t' : ' ');
  }
  out.push_back('^');
  // The underline stops at the end of the quoted line: it cannot point into the next one.
  const int room = static_cast<int>(source_line.size()) - diagnostic.location.column;
  const int tildes = std::min(std::max(diagnostic.length, 1) - 1, std::max(room, 0));
  out.append(static_cast<size_t>(tildes), '~');
  out.push_back('\n');
  return out;
}

std::string FormatDiagnostics(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
  const SourceLines lines(source);
  std::string out;
  for (const Diagnostic& d : diagnostics) out += FormatDiagnostic(d, lines.Line(d.location.line));
  return out;
}

absl::Status DiagnosticsToStatus(const std::vector<Diagnostic>& diagnostics,
                                 std::string_view source) {
  if (diagnostics.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(Cat(diagnostics.size(),
                                        diagnostics.size() == 1 ? " error\n" : " errors\n",
                                        FormatDiagnostics(diagnostics, source)));
}

}  // namespace gatehouse::seclang

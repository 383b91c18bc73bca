#include "compiler/rules/diagnostic.h"

#include <algorithm>

#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

// The text of 1-based line `line`, without its line terminator.
std::string_view SourceLine(std::string_view source, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = source.find('\n', start);
  std::string_view text = source.substr(start, end == std::string_view::npos ? end : end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace

Diagnostic MakeDiagnostic(std::string_view source, Span span, std::string message) {
  Diagnostic d;
  size_t offset = std::min(span.offset, source.size());
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++d.line;
      line_start = i + 1;
    }
  }
  d.column = static_cast<int>(offset - line_start) + 1;
  // A span never runs past its own line: the caret line can only underline one line.
  size_t line_end = source.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = source.size();
  size_t length = std::min(span.length, line_end - offset);
  d.length = static_cast<int>(std::max<size_t>(length, 1));
  d.message = std::move(message);
  return d;
}

std::string FormatDiagnostic(std::string_view source, const Diagnostic& d,
                             std::string_view origin) {
  std::string_view line = SourceLine(source, d.line);
  std::string out = Cat(origin, ":", d.line, ":", d.column, ": error: ", d.message, "\n",
                                 line, "\n");
  for (int i = 0; i + 1 < d.column; ++i) {
    out.push_back(static_cast<size_t>(i) < line.size() && line[i] == '\t' ? '\t' : ' ');
  }
  out.push_back('^');
  out.append(static_cast<size_t>(std::max(d.length, 1) - 1), '~');
  out.push_back('\n');
  return out;
}

std::string FormatDiagnostics(std::string_view source, const std::vector<Diagnostic>& diagnostics,
                              std::string_view origin) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += FormatDiagnostic(source, d, origin);
  return out;
}

}  // namespace gatehouse::rules

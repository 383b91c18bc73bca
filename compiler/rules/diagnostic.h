#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rules/span.h"

namespace gatehouse::rules {

// One compile error in an expression. Positions are 1-based and count bytes, so they agree with
// what an editor shows for ASCII text.
struct Diagnostic {
  int line = 1;
  int column = 1;
  int length = 1;  // the span's length in bytes, at least 1
  std::string message;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// Turns a byte span of `source` into a Diagnostic (line, column, length >= 1).
Diagnostic MakeDiagnostic(std::string_view source, Span span, std::string message);

// Collects diagnostics for one source text; stages report byte spans and it converts them.
class DiagnosticSink {
 public:
  DiagnosticSink(std::string_view source, std::vector<Diagnostic>* out)
      : source_(source), out_(out) {}

  void Error(Span span, std::string message) {
    ++count_;
    if (out_ != nullptr) out_->push_back(MakeDiagnostic(source_, span, std::move(message)));
  }
  int error_count() const { return count_; }
  std::string_view source() const { return source_; }

 private:
  std::string_view source_;
  std::vector<Diagnostic>* out_;
  int count_ = 0;
};

// Renders like a compiler:
//   <origin>:<line>:<col>: error: <message>
//   <source line>
//   <spaces>^~~~
// Tabs before the caret are kept so the caret lines up in a terminal.
std::string FormatDiagnostic(std::string_view source, const Diagnostic& d,
                             std::string_view origin);

// All diagnostics, one after another.
std::string FormatDiagnostics(std::string_view source, const std::vector<Diagnostic>& diagnostics,
                              std::string_view origin);

}  // namespace gatehouse::rules

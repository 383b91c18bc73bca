#ifndef GATEHOUSE_SECLANG_LOCATED_TEXT_H_
#define GATEHOUSE_SECLANG_LOCATED_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "seclang/diagnostics.h"
#include "seclang/source_location.h"

namespace gatehouse::seclang {

// A line and column in the file being read (1-based, bytes of the physical line).
struct Position {
  int line = 0;
  int column = 0;

  friend bool operator==(const Position&, const Position&) = default;
};

// Text read from a file together with the physical position each byte came from. Once
// continuation lines are joined and quotes and escapes removed, a byte of an argument is no
// longer at a fixed offset from the argument's start; errors found deep inside an action list
// must still point at the right line and column.
struct LocatedText {
  std::string text;
  std::vector<Position> positions;  // positions[i] is where text[i] was read
  Position end;                     // just past the last byte: where "missing ..." points

  Position At(size_t offset) const { return offset < positions.size() ? positions[offset] : end; }

  // The bytes [pos, pos + count) with their positions.
  LocatedText Substr(size_t pos, size_t count = std::string::npos) const;

  // Text that sits on one line from `start` on, byte for byte (for text given directly, not
  // read from a file: the helpers that parse one action list or one variable list).
  static LocatedText OnOneLine(std::string_view text, Position start = {1, 1});
};

// Collects the diagnostics of one file.
class DiagnosticSink {
 public:
  DiagnosticSink(std::string file, std::vector<Diagnostic>* out)
      : file_(std::move(file)), out_(out) {}

  // An error about `length` bytes starting at `at`.
  void Error(Position at, int length, std::string message);

  // An error about text.text[offset, offset + length): the span is measured in the file, so the
  // caret underlines the source bytes even when escapes made the text shorter.
  void Error(const LocatedText& text, size_t offset, size_t length, std::string message);

  SourceLocation Locate(Position position) const { return {file_, position.line, position.column}; }
  const std::string& file() const { return file_; }
  int error_count() const { return error_count_; }

 private:
  std::string file_;
  std::vector<Diagnostic>* out_;
  int error_count_ = 0;
};

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_LOCATED_TEXT_H_

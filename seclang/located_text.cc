#include "seclang/located_text.h"

#include <algorithm>

namespace gatehouse::seclang {

LocatedText LocatedText::Substr(size_t pos, size_t count) const {
  LocatedText out;
  pos = std::min(pos, text.size());
  count = std::min(count, text.size() - pos);
  out.text = text.substr(pos, count);
  out.positions.assign(positions.begin() + static_cast<ptrdiff_t>(pos),
                       positions.begin() + static_cast<ptrdiff_t>(pos + count));
  out.end = At(pos + count);
  return out;
}

LocatedText LocatedText::OnOneLine(std::string_view text, Position start) {
  LocatedText out;
  out.text = std::string(text);
  out.positions.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out.positions.push_back({start.line, start.column + static_cast<int>(i)});
  }
  out.end = {start.line, start.column + static_cast<int>(text.size())};
  return out;
}

void DiagnosticSink::Error(Position at, int length, std::string message) {
  ++error_count_;
  if (out_ == nullptr) return;
  out_->push_back(Diagnostic{Locate(at), std::max(length, 1), std::move(message)});
}

void DiagnosticSink::Error(const LocatedText& text, size_t offset, size_t length,
                           std::string message) {
  const Position first = text.At(offset);
  int span = 1;
  if (length > 0) {
    const Position last = text.At(std::min(offset + length, text.text.size()) - 1);
    // A span that crosses a continuation line is underlined to the end of its first line only.
    span = last.line == first.line ? last.column - first.column + 1 : static_cast<int>(length);
  }
  Error(first, span, std::move(message));
}

}  // namespace gatehouse::seclang

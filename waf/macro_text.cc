#include "waf/macro_text.h"

#include <optional>

#include "rules/strings.h"

namespace gatehouse::waf {
namespace {

using rules::EqualsIgnoreCase;
using rules::ToLower;

// The piece `reference` (what is between "%{" and "}") reads; nullopt for one that names nothing.
std::optional<MacroText::Piece> ReferencePiece(std::string_view reference) {
  using Source = MacroText::Source;
  const size_t dot = reference.find('.');
  const std::string_view collection = reference.substr(0, dot);
  const std::string_view key =
      dot == std::string_view::npos ? std::string_view() : reference.substr(dot + 1);
  MacroText::Piece piece;
  if (EqualsIgnoreCase(collection, "tx")) {
    piece.source = Source::kTx;
    piece.text = ToLower(key);  // TX names are stored lower case
  } else if (EqualsIgnoreCase(collection, "matched_var")) {
    piece.source = Source::kMatchedVar;
  } else if (EqualsIgnoreCase(collection, "matched_var_name")) {
    piece.source = Source::kMatchedVarName;
  } else if (EqualsIgnoreCase(collection, "rule")) {
    if (EqualsIgnoreCase(key, "id")) {
      piece.source = Source::kRuleId;
    } else if (EqualsIgnoreCase(key, "msg")) {
      piece.source = Source::kRuleMsg;
    } else if (EqualsIgnoreCase(key, "severity")) {
      piece.source = Source::kRuleSeverity;
    } else {
      return std::nullopt;
    }
  } else if (std::optional<waf_inputs::Collection> source =
                 waf_inputs::CollectionByName(collection)) {
    piece.source = Source::kCollection;
    piece.collection = *source;
    piece.any_key = dot == std::string_view::npos;
    piece.text = std::string(key);
  } else {
    return std::nullopt;
  }
  return piece;
}

}  // namespace

MacroText MacroText::Parse(std::string_view text) {
  MacroText out;
  std::string literal;
  const auto flush = [&] {
    if (literal.empty()) return;
    out.pieces_.push_back({Source::kLiteral, {}, false, std::move(literal)});
    literal.clear();
  };
  size_t position = 0;
  while (position < text.size()) {
    const size_t start = text.find("%{", position);
    if (start == std::string_view::npos) break;
    const size_t end = text.find('}', start + 2);
    if (end == std::string_view::npos) break;
    literal.append(text.substr(position, start - position));
    if (std::optional<Piece> piece = ReferencePiece(text.substr(start + 2, end - start - 2))) {
      flush();
      out.pieces_.push_back(*std::move(piece));
    }
    position = end + 1;
  }
  literal.append(text.substr(position));
  flush();
  return out;
}

void MacroText::LowerLiterals() {
  for (Piece& piece : pieces_) {
    if (piece.source == Source::kLiteral) piece.text = ToLower(piece.text);
  }
}

}  // namespace gatehouse::waf

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "waf_inputs/collection.h"

namespace gatehouse::waf {

// A text with ModSecurity macros (`tx.header_name_%{tx.0}`, `%{MATCHED_VAR}`, `%{rule.id}`,
// `%{REQUEST_HEADERS.host}`), parsed once when a program is linked: a request appends its
// pieces instead of searching the text for macros each time a setvar runs.
class MacroText {
 public:
  enum class Source : uint8_t {
    kLiteral,         // `text` as it is
    kTx,              // TX variable `text` (lower case)
    kMatchedVar,      // MATCHED_VAR
    kMatchedVarName,  // MATCHED_VAR_NAME
    kRuleId,
    kRuleMsg,
    kRuleSeverity,
    kCollection,  // the first value of `collection` whose key is `text` (any key when `any_key`)
  };
  struct Piece {
    Source source = Source::kLiteral;
    waf_inputs::Collection collection = waf_inputs::Collection::kArgs;
    bool any_key = false;
    std::string text;
    // kTx: the variable's index among the program's initial TX variables (TxStore::Find's
    // initial_index), once ResolveTx has looked it up.
    int32_t initial_tx_index = kUnresolved;
  };
  static constexpr int32_t kUnresolved = -2;  // TxStore::kSearchInitial

  MacroText() = default;
  // A macro that names nothing ModSecurity knows expands to nothing; an unclosed "%{" is text.
  static MacroText Parse(std::string_view text);

  const std::vector<Piece>& pieces() const { return pieces_; }
  // No macro: the text is always this.
  bool constant() const { return pieces_.empty() || (pieces_.size() == 1 && IsLiteral(0)); }
  std::string_view constant_text() const {
    return pieces_.empty() ? std::string_view() : std::string_view(pieces_[0].text);
  }
  // The text before its first macro.
  std::string_view literal_prefix() const {
    return !pieces_.empty() && IsLiteral(0) ? std::string_view(pieces_[0].text)
                                            : std::string_view();
  }
  // Lower-cases the literal pieces (TX names ignore case).
  void LowerLiterals();
  // Sets each kTx piece's initial_tx_index to index_of(name): -1 for a variable that is not
  // initial.
  template <typename IndexOf>
  void ResolveTx(IndexOf&& index_of) {
    for (Piece& piece : pieces_) {
      if (piece.source == Source::kTx) piece.initial_tx_index = index_of(piece.text);
    }
  }

 private:
  bool IsLiteral(size_t i) const { return pieces_[i].source == Source::kLiteral; }
  std::vector<Piece> pieces_;
};

}  // namespace gatehouse::waf

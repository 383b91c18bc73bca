#include "compiler/seclang_import/compile_time_tx.h"

#include "seclang/macros.h"

namespace gatehouse::seclang_import {

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool CompileTimeTx::IsConstant(std::string_view name) const {
  if (names_unknown_) return false;
  return !zone_.contains(name) && !runtime_.contains(name);
}

std::optional<std::string> CompileTimeTx::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

namespace {

// The value of one macro when it is known now; nullopt otherwise.
std::optional<std::string> ConstantMacro(const CompileTimeTx& tx, const seclang::MacroPart& part,
                                         std::string_view rule_id,
                                         const std::string_view* matched_var,
                                         const std::string_view* matched_var_name) {
  if (part.collection == "TX") {
    const std::string name = LowerAscii(part.key);
    if (!tx.IsConstant(name)) return std::nullopt;
    return tx.Get(name).value_or("");
  }
  if (part.collection == "RULE" && LowerAscii(part.key) == "id") return std::string(rule_id);
  if (part.collection == "MATCHED_VAR" && matched_var != nullptr) {
    return std::string(*matched_var);
  }
  if (part.collection == "MATCHED_VAR_NAME" && matched_var_name != nullptr) {
    return std::string(*matched_var_name);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> CompileTimeTx::ExpandFully(std::string_view text,
                                                      std::string_view rule_id,
                                                      std::string_view matched_var,
                                                      std::string_view matched_var_name) const {
  std::string out;
  for (const seclang::MacroPart& part : seclang::SplitMacros(text)) {
    if (!part.is_macro) {
      out += part.text;
      continue;
    }
    std::optional<std::string> value =
        ConstantMacro(*this, part, rule_id, &matched_var, &matched_var_name);
    if (!value) return std::nullopt;
    out += *value;
  }
  return out;
}

std::string CompileTimeTx::ExpandConstants(std::string_view text, std::string_view rule_id,
                                           bool* runtime) const {
  std::string out;
  *runtime = false;
  for (const seclang::MacroPart& part : seclang::SplitMacros(text)) {
    if (!part.is_macro) {
      out += part.text;
      continue;
    }
    std::optional<std::string> value = ConstantMacro(*this, part, rule_id, nullptr, nullptr);
    if (value) {
      out += *value;
    } else {
      out += part.text;
      *runtime = true;
    }
  }
  return out;
}

}  // namespace gatehouse::seclang_import

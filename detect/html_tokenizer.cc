#include "detect/html_tokenizer.h"

namespace gatehouse::detect {
namespace {

// Browsers treat these as space between attributes; '/' separates attributes too
// (<svg/onload=...>).
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

}  // namespace

HtmlTokenizer::HtmlTokenizer(std::string_view input, HtmlContext context) : input_(input) {
  starts_in_value_ = false;
  switch (context) {
    case HtmlContext::kText:
      state_ = State::kText;
      break;
    case HtmlContext::kInTag:
      state_ = State::kInTag;
      break;
    case HtmlContext::kUnquotedValue:
      state_ = State::kValue;
      starts_in_value_ = true;
      break;
    case HtmlContext::kSingleQuotedValue:
      state_ = State::kValue;
      pending_quote_ = '\'';
      starts_in_value_ = true;
      break;
    case HtmlContext::kDoubleQuotedValue:
      state_ = State::kValue;
      pending_quote_ = '"';
      starts_in_value_ = true;
      break;
  }
}

std::size_t HtmlTokenizer::FindAny(std::string_view chars) const {
  std::size_t found = input_.find_first_of(chars, pos_);
  return found == std::string_view::npos ? input_.size() : found;
}

void HtmlTokenizer::SkipSpace() {
  while (pos_ < input_.size() && (IsSpace(input_[pos_]) || input_[pos_] == '/')) ++pos_;
}

bool HtmlTokenizer::ReadText(HtmlToken* token) {
  const std::size_t size = input_.size();
  std::size_t start = pos_;
  while (pos_ < size) {
    std::size_t lt = input_.find('<', pos_);
    if (lt == std::string_view::npos) {
      pos_ = size;
      break;
    }
    unsigned char next = lt + 1 < size ? input_[lt + 1] : 0;
    bool markup = IsAsciiLetter(next) || next == '!' || next == '?' ||
                  (next == '/' && lt + 2 < size && IsAsciiLetter(input_[lt + 2]));
    if (!markup) {
      pos_ = lt + 1;
      continue;
    }
    if (lt > start) {  // the text before the markup first
      pos_ = lt;
      token->type = HtmlTokenType::kText;
      token->text = input_.substr(start, lt - start);
      return true;
    }
    if (next == '!' || next == '?') {
      token->type = HtmlTokenType::kComment;
      if (input_.substr(lt, 4) == "<!--") {
        std::size_t close = input_.find("-->", lt + 4);
        std::size_t end = close == std::string_view::npos ? size : close;
        token->text = input_.substr(lt + 4, end - (lt + 4));
        pos_ = close == std::string_view::npos ? size : close + 3;
      } else {
        std::size_t close = input_.find('>', lt + 2);
        std::size_t end = close == std::string_view::npos ? size : close;
        token->text = input_.substr(lt + 2, end - (lt + 2));
        pos_ = close == std::string_view::npos ? size : close + 1;
      }
      return true;
    }
    bool closing = next == '/';
    pos_ = lt + (closing ? 2 : 1);
    std::size_t name_end = FindAny(" \t\n\r\f\v/>");
    token->type = closing ? HtmlTokenType::kTagClose : HtmlTokenType::kTagOpen;
    token->text = input_.substr(pos_, name_end - pos_);
    pos_ = name_end;
    state_ = State::kInTag;
    return true;
  }
  if (pos_ == start) return false;
  token->type = HtmlTokenType::kText;
  token->text = input_.substr(start, pos_ - start);
  return true;
}

void HtmlTokenizer::ReadValue(HtmlToken* token, char quote) {
  token->type = HtmlTokenType::kAttrValue;
  std::size_t end;
  if (quote != 0) {
    std::size_t close = input_.find(quote, pos_);
    end = close == std::string_view::npos ? input_.size() : close;
    token->text = input_.substr(pos_, end - pos_);
    pos_ = close == std::string_view::npos ? end : close + 1;
  } else {
    end = FindAny(" \t\n\r\f\v>");
    token->text = input_.substr(pos_, end - pos_);
    pos_ = end;
  }
  state_ = State::kInTag;
}

bool HtmlTokenizer::ReadInTag(HtmlToken* token) {
  SkipSpace();
  if (pos_ >= input_.size()) return false;
  char c = input_[pos_];
  if (c == '>') {
    ++pos_;
    token->type = HtmlTokenType::kTagEnd;
    token->text = input_.substr(pos_ - 1, 1);
    state_ = State::kText;
    return true;
  }
  if (state_ == State::kAfterName && c == '=') {
    ++pos_;
    while (pos_ < input_.size() && IsSpace(input_[pos_])) ++pos_;
    if (pos_ >= input_.size()) {
      token->type = HtmlTokenType::kAttrValue;
      token->text = std::string_view();
      state_ = State::kInTag;
      return true;
    }
    char quote = input_[pos_];
    if (quote == '"' || quote == '\'' || quote == '`') {  // old IE took backticks as quotes
      ++pos_;
      ReadValue(token, quote);
    } else {
      ReadValue(token, 0);
    }
    return true;
  }
  // An attribute name: up to space, '/', '>' or '=' (a leading '=' belongs to the name).
  std::size_t start = pos_;
  ++pos_;
  while (pos_ < input_.size()) {
    unsigned char n = input_[pos_];
    if (IsSpace(n) || n == '/' || n == '>' || n == '=') break;
    ++pos_;
  }
  token->type = HtmlTokenType::kAttrName;
  token->text = input_.substr(start, pos_ - start);
  // Space may sit between a name and its '='.
  std::size_t p = pos_;
  while (p < input_.size() && IsSpace(input_[p])) ++p;
  state_ = p < input_.size() && input_[p] == '=' ? State::kAfterName : State::kInTag;
  if (state_ == State::kAfterName) pos_ = p;
  return true;
}

bool HtmlTokenizer::Next(HtmlToken* token) {
  if (starts_in_value_) {
    starts_in_value_ = false;
    ReadValue(token, pending_quote_);
    return true;
  }
  switch (state_) {
    case State::kText:
      return ReadText(token);
    case State::kInTag:
    case State::kAfterName:
      return ReadInTag(token);
    case State::kValue:
      ReadValue(token, 0);
      return true;
  }
  return false;
}

}  // namespace gatehouse::detect

#include "detect/sql_folder.h"

namespace gatehouse::detect {
namespace {

// Which type a merged value keeps: the one that says most about the input.
int Strength(SqlType type) {
  switch (type) {
    case SqlType::kSubquery:
      return 6;
    case SqlType::kFunction:
      return 5;
    case SqlType::kVariable:
      return 4;
    case SqlType::kCompare:
      return 3;
    case SqlType::kString:
      return 2;
    case SqlType::kNumber:
      return 1;
    default:
      return 0;
  }
}

SqlToken Merge(const SqlToken& a, const SqlToken& b) {
  SqlToken merged = Strength(a.type) >= Strength(b.type) ? a : b;
  merged.has_call = a.has_call || b.has_call;
  merged.has_query = a.has_query || b.has_query;
  merged.sql_only = a.sql_only || b.sql_only;
  // A value that ends in a string the input leaves open ends open: 'a' + 'b  (the query's own
  // quote closes it).
  merged.unterminated = b.unterminated;
  merged.reopens = false;
  merged.reopens_after_operator = b.reopens_after_operator;
  merged.keyword = a.keyword == SqlKeyword::kSideChannel || b.keyword == SqlKeyword::kSideChannel
                       ? SqlKeyword::kSideChannel
                       : SqlKeyword::kNone;
  return merged;
}

}  // namespace

bool IsSqlValue(SqlType type) {
  switch (type) {
    case SqlType::kString:
    case SqlType::kNumber:
    case SqlType::kName:
    case SqlType::kVariable:
    case SqlType::kFunction:
    case SqlType::kCompare:
    case SqlType::kSubquery:
      return true;
    default:
      return false;
  }
}

void SqlFolder::PushValue(SqlToken value) {
  if (value.type == SqlType::kFunction && !value.has_call) {
    // A function name waiting for its '(': not a value yet.
    tokens_[size_++] = value;
    return;
  }
  const std::size_t floor = Floor();
  // A unary sign or NOT before a value: `-1`, `= -1`, `NOT 1`. The token before decides, even
  // the context string (`'-1` is not a subtraction from it).
  while (size_ > floor &&
         (Back().type == SqlType::kNot ||
          (Back().type == SqlType::kOperator && (size_ == 1 || !IsSqlValue(Back(1).type))))) {
    // NOT TRUE, NOT NULL: prose says "not 5" but not that.
    if (Back().type == SqlType::kNot && value.type == SqlType::kNumber) value.sql_only = true;
    --size_;
  }
  // 'a' 'b' is one string in SQL.
  if (value.type == SqlType::kString && size_ > floor && Back().type == SqlType::kString) {
    Back() = Merge(Back(), value);
    return;
  }
  if (size_ >= floor + 2 && IsSqlValue(Back(1).type)) {
    if (Back().type == SqlType::kOperator) {
      SqlToken merged = Merge(Back(1), value);
      merged.reopens_after_operator = value.reopens;  // `x | '`
      size_ -= 2;
      PushValue(merged);
      return;
    }
    if (Back().type == SqlType::kComparison) {
      const SqlToken& left = Back(1);
      const bool spelled_as_sql = Back().sql_only;
      SqlToken compared = Merge(left, value);
      compared.sql_only = compared.sql_only || spelled_as_sql;
      // `cats = dogs` is prose as often as SQL; a literal, variable or call on one side is not.
      bool names_only = left.type == SqlType::kName && value.type == SqlType::kName;
      compared.type = names_only && !compared.has_call ? SqlType::kName : SqlType::kCompare;
      size_ -= 2;
      PushValue(compared);
      return;
    }
  }
  tokens_[size_++] = value;
}

void SqlFolder::CloseParen() {
  std::size_t open = size_;
  while (open > Floor() && tokens_[open - 1].type != SqlType::kOpenParen) --open;
  if (open == Floor() || open_parens_ == 0) {
    SqlToken close{};
    close.type = SqlType::kCloseParen;
    tokens_[size_++] = close;
    return;
  }
  --open;  // index of '('
  --open_parens_;
  SqlToken folded{};
  folded.type = SqlType::kNumber;  // `()` and `(1)` alike
  bool first = true;
  bool query = false;
  for (std::size_t i = open + 1; i < size_; ++i) {
    const SqlToken& inner = tokens_[i];
    if (inner.type == SqlType::kSelect || inner.type == SqlType::kUnion ||
        inner.keyword == SqlKeyword::kCase) {
      query = true;
    } else if (IsSqlValue(inner.type)) {
      folded = first ? inner : Merge(folded, inner);
      first = false;
    }
  }
  if (query) {
    folded.type = SqlType::kSubquery;
    folded.has_query = true;
  }
  folded.unterminated = false;
  if (folded.keyword != SqlKeyword::kSideChannel) folded.keyword = SqlKeyword::kNone;
  folded.sql_only = true;  // (1), (SELECT ...)
  size_ = open;
  if (size_ > Floor() && Back().type == SqlType::kFunction && !Back().has_call) {
    // f(...): the call is the value (and keeps its name's keyword: IF, a side channel).
    bool query_inside = folded.has_query;
    bool literal_args = folded.type != SqlType::kName;
    folded = Back();
    folded.has_call = true;
    folded.has_query = query_inside;
    folded.literal_args = literal_args;
    --size_;
  }
  PushValue(folded);
}

bool SqlFolder::Push(const SqlToken& token) {
  if (size_ >= kCapacity) return false;
  if (size_ > Floor() && Back().type == SqlType::kComment) --size_;  // a comment mid-query
  switch (token.type) {
    case SqlType::kOpenParen:
      ++open_parens_;
      tokens_[size_++] = token;
      break;
    case SqlType::kCloseParen:
      CloseParen();
      break;
    case SqlType::kComma:
      // Inside parentheses a list folds with them; at the top it is a select list.
      if (open_parens_ == 0) tokens_[size_++] = token;
      break;
    case SqlType::kComparison:
      // `NOT LIKE`, `SOUNDS LIKE`, `IS NOT`: one comparison.
      if (size_ > Floor() && (Back().type == SqlType::kNot || Back().type == SqlType::kComparison)) {
        Back() = token;
      } else {
        tokens_[size_++] = token;
      }
      break;
    default:
      if (IsSqlValue(token.type)) {
        PushValue(token);
      } else {
        tokens_[size_++] = token;
      }
      break;
  }
  return size_ < kCapacity;
}

void SqlFolder::Finish() {
  // Parentheses left open are closed by the query around the input: drop them.
  if (open_parens_ == 0) return;
  std::size_t out = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    if (tokens_[i].type == SqlType::kOpenParen && i >= Floor()) continue;
    tokens_[out++] = tokens_[i];
  }
  size_ = out;
  open_parens_ = 0;
}

}  // namespace gatehouse::detect

#ifndef GATEHOUSE_DETECT_SQL_FOLDER_H_
#define GATEHOUSE_DETECT_SQL_FOLDER_H_

#include <cstddef>

#include "detect/sql_token.h"

namespace gatehouse::detect {

// Folds a token stream into the shape of its SQL, in a fixed buffer: comments inside the input
// vanish, unary signs drop, `value op value` becomes one value, `value = value` becomes a
// comparison ('b') unless both sides are bare names, `f(...)` and `(...)` become one value, and
// parentheses the input leaves open are dropped at the end, as the query around it would close
// them. In a quote context the first token (the rest of the opened string) never merges: it is
// what the input breaks out of.
class SqlFolder {
 public:
  static constexpr std::size_t kCapacity = 24;

  explicit SqlFolder(bool keep_first_apart) : keep_first_apart_(keep_first_apart) {}

  // Returns false once the buffer is full: the rest of the input cannot change the verdict.
  bool Push(const SqlToken& token);
  void Finish();

  const SqlToken* tokens() const { return tokens_; }
  std::size_t size() const { return size_; }

 private:
  void PushValue(SqlToken value);
  void CloseParen();
  // The lowest index a merge may reach.
  std::size_t Floor() const { return keep_first_apart_ ? 1 : 0; }
  SqlToken& Back(std::size_t from_end = 0) { return tokens_[size_ - 1 - from_end]; }

  SqlToken tokens_[kCapacity];
  std::size_t size_ = 0;
  std::size_t open_parens_ = 0;
  bool keep_first_apart_;
};

bool IsSqlValue(SqlType type);

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_SQL_FOLDER_H_

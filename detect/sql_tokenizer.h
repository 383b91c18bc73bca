#ifndef GATEHOUSE_DETECT_SQL_TOKENIZER_H_
#define GATEHOUSE_DETECT_SQL_TOKENIZER_H_

#include <cstddef>
#include <string_view>

#include "detect/sql_token.h"

namespace gatehouse::detect {

// Reads an input as SQL, one token at a time, without allocating. `context` is the quote the
// input is read as continuing ('\'' or '"'), or '\0' to read it as SQL from its first byte: in a
// quote context the first token is the rest of that string.
class SqlTokenizer {
 public:
  SqlTokenizer(std::string_view input, char context);

  // Stores the next token and returns true, or returns false at the end of the input.
  bool Next(SqlToken* token);

 private:
  void SkipSpace();
  void ReadString(char quote, SqlToken* token);
  void ReadWord(SqlToken* token);
  void ReadNumber(SqlToken* token);
  bool ReadOperator(SqlToken* token);
  bool NextIsOpenParen() const;

  std::string_view input_;
  std::size_t pos_ = 0;
  char context_;
  int open_executable_comments_ = 0;
};

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_SQL_TOKENIZER_H_

#ifndef GATEHOUSE_DETECT_SQL_TOKEN_H_
#define GATEHOUSE_DETECT_SQL_TOKEN_H_

#include <cstdint>

namespace gatehouse::detect {

// Token types of the SQL reading, one letter each, so a run of them is a readable fingerprint.
// The letters are Gatehouse's own (docs/detectors.md).
enum class SqlType : char {
  kString = 's',      // '...', "...", N'...', x'...', $$...$$
  kNumber = '1',      // 1, 1.5e3, 0x1F, 0b101, NULL, TRUE, FALSE
  kName = 'n',        // a bareword or quoted identifier: users, `users`, [users], a.b
  kVariable = 'v',    // @x, @@version
  kFunction = 'f',    // a name called: sleep(5) (folded with its arguments)
  kCompare = 'b',     // value = value, where one side is not a bare name: 1=1, 'a'='a'
  kSubquery = 'q',    // ( SELECT ... ) folded to one value
  kLogic = '&',       // AND, OR, XOR, &&, ||
  kOperator = 'o',    // + - * / % ^ | & ~ << >> :: DIV MOD
  kComparison = '=',  // = == <> != < > <= >= <=> LIKE RLIKE REGEXP IS IN BETWEEN
  kNot = '!',         // NOT, !
  kUnion = 'U',       // UNION, INTERSECT, EXCEPT, MINUS
  kSelect = 'E',      // SELECT
  kStatement = 'T',   // a statement that changes or probes the server: DROP, EXEC, WAITFOR...
  kKeyword = 'k',     // any other keyword: FROM, WHERE, ORDER, BY, ALL, INTO, TABLE...
  kOpenParen = '(',
  kCloseParen = ')',
  kComma = ',',
  kSemicolon = ';',
  kComment = 'c',     // kept only at the end, where it cuts off the rest of a query
  kOther = '?',       // punctuation SQL has no use for
};

// Keywords whose identity (not only type) a rule needs.
enum class SqlKeyword : uint8_t {
  kNone,
  kAll,
  kAs,
  kBy,
  kDatabase,
  kDelay,
  kDistinct,
  kDumpfile,
  kFrom,
  kGroup,
  kHaving,
  kInto,
  kLimit,
  kOrder,
  kOutfile,
  kProcedure,
  kSet,
  kTable,
  kTime,
  kValues,
  kWhere,
  // Statements (kStatement).
  kAlter,
  kCreate,
  kDeclare,
  kDelete,
  kDrop,
  kExec,
  kInsert,
  kShutdown,
  kTruncate,
  kUpdate,
  kWaitfor,
  kPragma,
  kAttach,
  kCopy,
  kGrant,
  kCall,
  kLoad,
  kCase,
  kExists,
  kIf,
  kBegin,
  kDirection,  // ASC, DESC
  // A function whose only use in a request is a side channel: a delay, a file read, an error
  // that carries data out, a shell (sleep, benchmark, load_file, extractvalue, xp_cmdshell...).
  kSideChannel,
};

// Trivially constructible, so the folder's buffer costs nothing to set up: make one with
// SqlToken{} (all false, kNone; the type must be set).
struct SqlToken {
  SqlType type;
  SqlKeyword keyword;
  // A string or block comment that the input ended inside of.
  bool unterminated;
  // A folded value that contains a function call or a subquery.
  bool has_call;
  // A folded value that contains SELECT or CASE: a query of its own.
  bool has_query;
  // Written the way only SQL writes it: a parenthesised value, NOT before a literal, && or ||.
  bool sql_only;
  // A string opened at the very end of the input (nothing but space after the quote): the
  // query's own quote closes it.
  bool reopens;
  // A value folded from `... operator` and such a string: `x | '`.
  bool reopens_after_operator;
  // A call whose arguments are more than bare words: sleep(20), not benchmark(s).
  bool literal_args;
  // A '#' comment that reads as prose or code more than SQL: #hashtag, #{interpolation}.
  bool weak;
};

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_SQL_TOKEN_H_

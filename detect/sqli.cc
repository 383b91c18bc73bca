#include "detect/sqli.h"

#include <cstddef>

#include "detect/sql_folder.h"
#include "detect/sql_token.h"
#include "detect/sql_tokenizer.h"

namespace gatehouse::detect {
namespace {

// The rules read the folded tokens of one context. Each says which continuation of a query an
// injection needs; docs/detectors.md gives the reasoning and examples for each.
class SqlShape {
 public:
  SqlShape(const SqlToken* tokens, std::size_t size, bool quoted)
      : t_(tokens), n_(size), quoted_(quoted) {}

  bool IsInjection() const {
    if (quoted_) {
      // The input must close the string it starts in, and what follows must be SQL.
      if (n_ < 2 || Type(0) != SqlType::kString || t_[0].unterminated) return false;
      const std::size_t next = SkipCloseParens(1);
      return Continuation(next) || ReopensString(next);
    }
    if (n_ == 0) return false;
    const SqlToken& first = t_[0];
    if (IsSqlValue(first.type)) {
      // A query, or a call compared the way only SQL spells it, on its own: (SELECT ...),
      // IF((SELECT ...),a,b), 1 rlike sleep(5) -- but not sqrt(16) = 4.
      bool alone = n_ == 1 || (n_ == 2 && IsStrongComment(1));
      if (alone && (first.has_query || IsSideChannelCall(0) ||
                    (first.type == SqlType::kCompare && first.has_call && first.sql_only))) {
        return true;
      }
      return Continuation(SkipCloseParens(1));
    }
    switch (first.type) {
      case SqlType::kLogic:
        return LogicOperand(1);
      case SqlType::kUnion:
        return UnionSelect(1);
      case SqlType::kSelect:
        return SelectBody(0);
      case SqlType::kStatement:
        return StatementBody(0, /*stacked=*/false);
      case SqlType::kSemicolon:
        return Stacked(1);
      case SqlType::kCloseParen:
        return Continuation(SkipCloseParens(0));
      default:
        return false;
    }
  }

 private:
  SqlType Type(std::size_t i) const { return i < n_ ? t_[i].type : SqlType::kOther; }
  SqlKeyword Keyword(std::size_t i) const { return i < n_ ? t_[i].keyword : SqlKeyword::kNone; }
  bool At(std::size_t i, SqlType type) const { return i < n_ && t_[i].type == type; }
  bool AtKeyword(std::size_t i, SqlKeyword keyword) const {
    return i < n_ && t_[i].keyword == keyword;
  }
  bool AtEnd(std::size_t i) const { return i >= n_; }
  bool IsValue(std::size_t i) const { return i < n_ && IsSqlValue(t_[i].type); }
  // A value that is more than a bare word.
  bool IsLiteralValue(std::size_t i) const { return IsValue(i) && Type(i) != SqlType::kName; }
  // A value only SQL would write: a comparison with a literal, a call, a variable, a subquery,
  // a parenthesised value, NOT TRUE.
  bool IsSqlOperand(std::size_t i) const {
    if (i >= n_) return false;
    switch (Type(i)) {
      case SqlType::kCompare:
      case SqlType::kFunction:
      case SqlType::kVariable:
      case SqlType::kSubquery:
        return true;
      default:
        return IsSqlValue(t_[i].type) &&
               (t_[i].has_call || t_[i].has_query || t_[i].sql_only);
    }
  }
  // sleep(20), benchmark(1e7, md5(1)): a side-channel function called with real arguments.
  bool IsSideChannelCall(std::size_t i) const {
    return i < n_ && t_[i].keyword == SqlKeyword::kSideChannel && t_[i].has_call &&
           t_[i].literal_args;
  }
  bool IsStrongComment(std::size_t i) const { return At(i, SqlType::kComment) && !t_[i].weak; }
  // Where a query may end: the input's end, a comment, a statement separator.
  bool AtQueryEnd(std::size_t i) const {
    return AtEnd(i) || IsStrongComment(i) || At(i, SqlType::kSemicolon);
  }

  std::size_t SkipCloseParens(std::size_t i) const {
    while (At(i, SqlType::kCloseParen)) ++i;
    return i;
  }

  // ' sleep(5) ', ' | type x | ': the input breaks out of its string, puts SQL in the query and
  // opens a string again for the query's own closing quote, so the query still parses.
  bool ReopensString(std::size_t i) const {
    if (n_ < i + 2) return false;
    const SqlToken& last = t_[n_ - 1];
    if (last.reopens &&
        (IsSideChannelCall(i) || (At(i, SqlType::kFunction) && t_[i].literal_args))) {
      return true;
    }
    // An operator on both sides: ' | x | '.
    return last.reopens_after_operator && At(i, SqlType::kOperator);
  }

  // What may follow a value the input closes (a string or a number): the heart of the reading.
  bool Continuation(std::size_t i) const {
    if (i >= n_) return false;
    if (IsSideChannelCall(i)) return true;  // " sleep(10)
    switch (Type(i)) {
      case SqlType::kComment:
        // x'-- : the rest of the query is cut off. After a bare number (`1 --`) it is prose too.
        return !t_[i].weak && (quoted_ || i > 1);
      case SqlType::kLogic:
        return LogicOperand(i + 1);
      case SqlType::kUnion:
        return UnionSelect(i + 1);
      case SqlType::kSemicolon:
        return Stacked(i + 1);
      case SqlType::kOperator:
        // '+sleep(5)+' , '||(select ...)||'
        return IsSqlOperand(i + 1) || At(i + 1, SqlType::kSelect) ||
               (At(i + 1, SqlType::kOpenParen) && At(i + 2, SqlType::kSelect));
      case SqlType::kComparison:
        // x'='x : a comparison that ends the input or is followed by more SQL.
        if (At(i + 1, SqlType::kSelect) ||
            (At(i + 1, SqlType::kOpenParen) && At(i + 2, SqlType::kSelect))) {
          return true;
        }
        return IsValue(i + 1) && (AtQueryEnd(i + 2) || At(i + 2, SqlType::kLogic) ||
                                  At(i + 2, SqlType::kUnion));
      case SqlType::kComma:
        // ORDER BY injection: name, id, (CASE WHEN ... END)
        while (At(i, SqlType::kComma) && IsValue(i + 1)) {
          if (t_[i + 1].has_call || t_[i + 1].has_query) return true;
          i += 2;
        }
        return false;
      case SqlType::kKeyword:
        return KeywordClause(i);
      case SqlType::kStatement:
        return AtKeyword(i, SqlKeyword::kWaitfor) &&
               (AtKeyword(i + 1, SqlKeyword::kDelay) || AtKeyword(i + 1, SqlKeyword::kTime));
      case SqlType::kOpenParen:
        return At(i + 1, SqlType::kSelect);
      default:
        return false;
    }
  }

  // After AND / OR: ' or 1=1, ' and sleep(5), ' or 1--, 1 and 0 union select ...
  bool LogicOperand(std::size_t i) const {
    if (i >= n_) return false;
    if (IsSqlOperand(i)) return true;
    if (At(i, SqlType::kOpenParen) && At(i + 1, SqlType::kSelect)) return true;
    if (At(i, SqlType::kSelect)) return SelectBody(i);
    if (AtKeyword(i, SqlKeyword::kCase) || AtKeyword(i, SqlKeyword::kExists)) return true;
    if (!IsValue(i)) return false;
    // 2 || 1: logic in symbols is SQL's, not prose's.
    if (t_[i - 1].sql_only && IsLiteralValue(i)) return true;
    // ' or 1--, ' or x=x--; after a bare number a name is prose: "1 or we -- maybe".
    if (At(i + 1, SqlType::kComment)) {
      return (quoted_ || IsLiteralValue(i)) && IsStrongComment(i + 1);
    }
    return Continuation(i + 1);
  }

  // After UNION: [ALL | DISTINCT] [(] SELECT with something selected.
  bool UnionSelect(std::size_t i) const {
    if (AtKeyword(i, SqlKeyword::kAll) || AtKeyword(i, SqlKeyword::kDistinct)) ++i;
    if (At(i, SqlType::kSubquery)) return true;  // UNION(SELECT(1),(2))
    if (At(i, SqlType::kOpenParen)) ++i;
    if (!At(i, SqlType::kSelect)) return false;
    if (SelectBody(i)) return true;
    // UNION SELECT name ':' hash FROM ...: a name and anything but prose after it.
    std::size_t j = i + 1;
    return At(j, SqlType::kName) && !AtEnd(j + 1) && !At(j + 1, SqlType::kName);
  }

  // t_[i] is SELECT: a select list a query would have.
  bool SelectBody(std::size_t i) const {
    ++i;
    while (AtKeyword(i, SqlKeyword::kDistinct) || AtKeyword(i, SqlKeyword::kAll)) ++i;
    if (IsLiteralValue(i) || IsSqlOperand(i)) return true;  // select 1, select @@version
    if (AtKeyword(i, SqlKeyword::kCase)) return true;
    if (At(i, SqlType::kOperator)) return AtKeyword(i + 1, SqlKeyword::kFrom);  // select * from
    if (At(i, SqlType::kName)) {
      return At(i + 1, SqlType::kComma) || AtKeyword(i + 1, SqlKeyword::kFrom) ||
             IsStrongComment(i + 1);
    }
    return false;
  }

  // After ';': a second statement.
  bool Stacked(std::size_t i) const {
    if (i >= n_) return false;
    switch (Type(i)) {
      case SqlType::kComment:
        return !t_[i].weak;
      case SqlType::kSelect:
        return SelectBody(i);
      case SqlType::kStatement:
        return StatementBody(i, /*stacked=*/true);
      case SqlType::kFunction:
        return t_[i].has_call;  // ;exec('...'), ;if (...) waitfor delay ...
      case SqlType::kKeyword:
        return AtKeyword(i, SqlKeyword::kSet) && At(i + 1, SqlType::kVariable);
      default:
        return false;
    }
  }

  // t_[i] is a statement keyword: the clause that makes it that statement. At the start of an
  // input (not after ';') the whole statement must be there: "delete from favourites not
  // working" is a complaint, "delete from users" a query.
  bool StatementBody(std::size_t i, bool stacked) const {
    const std::size_t next = i + 1;
    switch (Keyword(i)) {
      case SqlKeyword::kDrop:
      case SqlKeyword::kCreate:
      case SqlKeyword::kAlter:
      case SqlKeyword::kTruncate:
        if (!AtKeyword(next, SqlKeyword::kTable) && !AtKeyword(next, SqlKeyword::kDatabase) &&
            !AtKeyword(next, SqlKeyword::kProcedure)) {
          return false;
        }
        return stacked || (IsValue(next + 1) && AtQueryEnd(next + 2));
      case SqlKeyword::kDelete:
        if (!AtKeyword(next, SqlKeyword::kFrom)) return false;
        return stacked || (IsValue(next + 1) && (AtQueryEnd(next + 2) ||
                                                  AtKeyword(next + 2, SqlKeyword::kWhere)));
      case SqlKeyword::kInsert:
        if (!AtKeyword(next, SqlKeyword::kInto)) return false;
        return stacked || At(next + 1, SqlType::kFunction) ||
               (IsValue(next + 1) &&
                (AtKeyword(next + 2, SqlKeyword::kValues) || At(next + 2, SqlType::kSelect)));
      case SqlKeyword::kUpdate:
        if (!At(next, SqlType::kName) || !AtKeyword(next + 1, SqlKeyword::kSet)) return false;
        return stacked || At(next + 2, SqlType::kCompare);
      case SqlKeyword::kExec:
        if (stacked) {
          return At(next, SqlType::kName) || At(next, SqlType::kFunction) ||
                 At(next, SqlType::kString) || At(next, SqlType::kVariable);
        }
        return At(next, SqlType::kName) &&
               (At(next + 1, SqlType::kString) || At(next + 1, SqlType::kVariable));
      case SqlKeyword::kWaitfor:
        return AtKeyword(next, SqlKeyword::kDelay) || AtKeyword(next, SqlKeyword::kTime);
      case SqlKeyword::kDeclare:
        return At(next, SqlType::kVariable);
      case SqlKeyword::kShutdown:
        return stacked;
      case SqlKeyword::kBegin:
        return stacked && (At(next, SqlType::kStatement) || At(next, SqlType::kSelect));
      case SqlKeyword::kPragma:
      case SqlKeyword::kAttach:
      case SqlKeyword::kCopy:
      case SqlKeyword::kGrant:
      case SqlKeyword::kCall:
      case SqlKeyword::kLoad:
        return stacked && (IsValue(next) || At(next, SqlType::kKeyword));
      default:
        return false;
    }
  }

  // t_[i] is a keyword right after the value the input closed: a clause of the outer query.
  bool KeywordClause(std::size_t i) const {
    switch (Keyword(i)) {
      case SqlKeyword::kOrder:
      case SqlKeyword::kGroup:
        return AtKeyword(i + 1, SqlKeyword::kBy) && IsValue(i + 2);
      case SqlKeyword::kHaving:
      case SqlKeyword::kWhere:
        return IsSqlOperand(i + 1);
      case SqlKeyword::kLimit:
        return At(i + 1, SqlType::kNumber) &&
               (AtQueryEnd(i + 2) || At(i + 2, SqlType::kComma) || KeywordClause(i + 2));
      case SqlKeyword::kInto:
        return AtKeyword(i + 1, SqlKeyword::kOutfile) ||
               AtKeyword(i + 1, SqlKeyword::kDumpfile) || At(i + 1, SqlType::kVariable);
      case SqlKeyword::kProcedure:
        return At(i + 1, SqlType::kFunction);
      case SqlKeyword::kDirection:
        // A sort column injected into: price DESC, (CASE WHEN ... END)
        return Continuation(i + 1);
      default:
        return false;
    }
  }

  const SqlToken* t_;
  std::size_t n_;
  bool quoted_;
};

// True once the folded prefix rules out every shape: a start no rule begins with, or a plain
// value followed by another plain value or by a word or punctuation no rule continues with.
// Prose reads so within three tokens, which is what keeps the detector cheap on benign input.
// A token is settled once a value follows it: only the last two tokens ever merge, and a
// parenthesis cannot reach back past a value.
bool ProseSoFar(const SqlToken* t, std::size_t size) {
  if (size == 0) return false;
  switch (t[0].type) {  // nothing merges into these, and no rule starts with them
    case SqlType::kOther:
    case SqlType::kKeyword:
    case SqlType::kComma:
    case SqlType::kComparison:
      return true;
    default:
      break;
  }
  if (size < 2 || !IsSqlValue(t[0].type)) return false;
  switch (t[1].type) {
    case SqlType::kOther:
      return true;
    case SqlType::kKeyword:
      switch (t[1].keyword) {  // the clauses KeywordClause reads
        case SqlKeyword::kOrder:
        case SqlKeyword::kGroup:
        case SqlKeyword::kHaving:
        case SqlKeyword::kWhere:
        case SqlKeyword::kLimit:
        case SqlKeyword::kInto:
        case SqlKeyword::kProcedure:
        case SqlKeyword::kDirection:
          return false;
        default:
          return true;
      }
    case SqlType::kName:
    case SqlType::kNumber:
    case SqlType::kString:
      return size >= 3 && IsSqlValue(t[2].type) && !t[1].has_call && !t[1].has_query;
    default:
      return false;
  }
}

bool DetectInContext(std::string_view input, char context, SqliFingerprint* fingerprint) {
  SqlTokenizer tokenizer(input, context);
  SqlFolder folder(/*keep_first_apart=*/context != '\0');
  SqlToken token;
  while (tokenizer.Next(&token)) {
    if (!folder.Push(token)) break;
    if (ProseSoFar(folder.tokens(), folder.size())) return false;
  }
  folder.Finish();
  SqlShape shape(folder.tokens(), folder.size(), context != '\0');
  if (!shape.IsInjection()) return false;
  if (fingerprint != nullptr) {
    char types[SqliFingerprint::kMaxTokens];
    std::size_t count = folder.size() < SqliFingerprint::kMaxTokens ? folder.size()
                                                                    : SqliFingerprint::kMaxTokens;
    for (std::size_t i = 0; i < count; ++i) types[i] = static_cast<char>(folder.tokens()[i].type);
    fingerprint->Assign(std::string_view(types, count), context);
  }
  return true;
}

}  // namespace

bool DetectSqli(std::string_view input, SqliFingerprint* fingerprint) {
  if (input.empty()) return false;
  // A MySQL executable comment (/*! ... */) is SQL whatever surrounds it.
  if (input.find("/*!") != std::string_view::npos) {
    if (fingerprint != nullptr) fingerprint->Assign("X", '\0');
    return true;
  }
  if (DetectInContext(input, '\0', fingerprint)) return true;
  // A quote context matters only if the input holds that quote to break out with.
  for (char quote : {'\'', '"'}) {
    if (input.find(quote) != std::string_view::npos &&
        DetectInContext(input, quote, fingerprint)) {
      return true;
    }
  }
  return false;
}

}  // namespace gatehouse::detect

#include "compiler/rules/parser.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "compiler/rules/lexer.h"
#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

std::optional<LogicalOp> LogicalOpOf(TokenKind kind) {
  switch (kind) {
    case TokenKind::kAnd: return LogicalOp::kAnd;
    case TokenKind::kOr: return LogicalOp::kOr;
    case TokenKind::kXor: return LogicalOp::kXor;
    default: return std::nullopt;
  }
}

// Binding power of the logical operators: and > xor > or.
int Precedence(LogicalOp op) {
  switch (op) {
    case LogicalOp::kOr: return 1;
    case LogicalOp::kXor: return 2;
    case LogicalOp::kAnd: return 3;
  }
  return 0;
}

std::optional<CompareOp> CompareOpOf(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEq: return CompareOp::kEq;
    case TokenKind::kNe: return CompareOp::kNe;
    case TokenKind::kLt: return CompareOp::kLt;
    case TokenKind::kLe: return CompareOp::kLe;
    case TokenKind::kGt: return CompareOp::kGt;
    case TokenKind::kGe: return CompareOp::kGe;
    case TokenKind::kContains: return CompareOp::kContains;
    case TokenKind::kMatches: return CompareOp::kMatches;
    case TokenKind::kWildcard: return CompareOp::kWildcard;
    case TokenKind::kBitAnd: return CompareOp::kBitAnd;
    default: return std::nullopt;
  }
}

Span Join(Span a, Span b) {
  size_t end = std::max(a.offset + a.length, b.offset + b.length);
  return Span{a.offset, end - a.offset};
}

class Parser {
 public:
  Parser(std::string_view source, const Limits& limits, DiagnosticSink& sink)
      : limits_(limits), sink_(sink), tokens_(Lex(source, sink)) {}

  std::unique_ptr<Expr> Run() {
    auto expr = ParseLogical(0);
    if (!AtEof() && !too_deep_) {
      if (Peek().kind == TokenKind::kRightParen) {
        Error(Peek().span, "unmatched ')'");
      } else if (CompareOpOf(Peek().kind) || Peek().kind == TokenKind::kIn ||
                 Peek().kind == TokenKind::kStrict) {
        Error(Peek().span, Cat("comparisons do not chain: found ", Describe(Peek()),
                                        " after a complete comparison; combine comparisons "
                                        "with 'and' / 'or'"));
      } else {
        Error(Peek().span, Cat("expected 'and', 'or', 'xor' or end of expression, found ",
                                        Describe(Peek())));
      }
    }
    return expr;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[i];
  }
  bool AtEof() const { return Peek().kind == TokenKind::kEof; }
  Token Take() {
    Token t = Peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }

  // Reports once per error region: after a mistake, nothing more is reported until the parser
  // has resynchronised, so a single typo gives a single diagnostic.
  void Error(Span span, std::string message) {
    if (panic_) return;
    panic_ = true;
    sink_.Error(span, std::move(message));
  }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokenKind::kIdentifier: return Cat("'", t.text, "'");
      case TokenKind::kString: return Cat("string \"", absl::CHexEscape(t.text), "\"");
      case TokenKind::kInt: return Cat("integer ", t.int_value);
      case TokenKind::kListRef: return Cat("list $", t.text);
      default: return std::string(TokenKindName(t.kind));
    }
  }

  std::unique_ptr<Expr> ErrorNode(Span span) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kError;
    e->span = span;
    return e;
  }

  // Skips to a point where parsing can resume: a logical operator, or a closing parenthesis,
  // at the current nesting level.
  void Synchronize() {
    int depth = 0;
    while (!AtEof()) {
      TokenKind k = Peek().kind;
      if (depth == 0 && (LogicalOpOf(k) || k == TokenKind::kRightParen)) break;
      if (k == TokenKind::kLeftParen || k == TokenKind::kLeftBrace ||
          k == TokenKind::kLeftBracket) {
        ++depth;
      } else if (k == TokenKind::kRightParen || k == TokenKind::kRightBrace ||
                 k == TokenKind::kRightBracket) {
        --depth;
      }
      Take();
    }
  }

  // Guards recursion: past the limit, reports once and gives up on the rest of the input so a
  // hostile expression cannot exhaust the stack.
  bool Enter(Span span) {
    if (too_deep_) return false;
    if (++depth_ > limits_.max_nesting_depth) {
      sink_.Error(span, Cat("expression nests too deeply (limit ",
                                     limits_.max_nesting_depth, " levels)"));
      too_deep_ = true;
      while (!AtEof()) Take();
      return false;
    }
    return true;
  }
  void Leave() { --depth_; }

  std::unique_ptr<Expr> ParseLogical(int min_precedence) {
    auto lhs = ParseUnary();
    while (true) {
      std::optional<LogicalOp> op = LogicalOpOf(Peek().kind);
      if (!op || Precedence(*op) < min_precedence || too_deep_) return lhs;
      Token op_token = Take();
      panic_ = false;
      auto rhs = ParseLogical(Precedence(*op) + 1);
      if (lhs->kind == ExprKind::kLogical && lhs->logical_op == *op) {
        lhs->span = Join(lhs->span, rhs->span);
        lhs->children.push_back(std::move(rhs));
        continue;
      }
      auto node = std::make_unique<Expr>();
      node->kind = ExprKind::kLogical;
      node->logical_op = *op;
      node->op_span = op_token.span;
      node->span = Join(lhs->span, rhs->span);
      node->children.push_back(std::move(lhs));
      node->children.push_back(std::move(rhs));
      lhs = std::move(node);
    }
  }

  std::unique_ptr<Expr> ParseUnary() {
    if (Peek().kind != TokenKind::kNot) return ParseComparison();
    Token op = Take();
    if (!Enter(op.span)) return ErrorNode(op.span);
    auto operand = ParseUnary();
    Leave();
    auto node = std::make_unique<Expr>();
    node->kind = ExprKind::kNot;
    node->op_span = op.span;
    node->span = Join(op.span, operand->span);
    node->children.push_back(std::move(operand));
    return node;
  }

  std::unique_ptr<Expr> ParseComparison() {
    auto lhs = ParseValue();
    if (lhs->kind == ExprKind::kError) return lhs;
    TokenKind k = Peek().kind;
    if (k == TokenKind::kIn) {
      Token op = Take();
      if (Peek().kind == TokenKind::kLeftBrace) return ParseSet(std::move(lhs), op);
      if (Peek().kind == TokenKind::kListRef) {
        Token list = Take();
        auto node = std::make_unique<Expr>();
        node->kind = ExprKind::kInList;
        node->text = list.text;
        node->op_span = Join(op.span, list.span);
        node->span = Join(lhs->span, list.span);
        node->children.push_back(std::move(lhs));
        return node;
      }
      Error(Peek().span, Cat("expected '{' or a list name ($name) after 'in', found ",
                                      Describe(Peek())));
      Synchronize();
      return ErrorNode(op.span);
    }
    std::optional<CompareOp> op = CompareOpOf(k);
    Span op_span = Peek().span;
    if (k == TokenKind::kStrict) {
      Take();
      if (Peek().kind != TokenKind::kWildcard) {
        Error(Peek().span,
              Cat("expected 'wildcard' after 'strict', found ", Describe(Peek())));
        Synchronize();
        return ErrorNode(op_span);
      }
      op = CompareOp::kStrictWildcard;
      op_span = Join(op_span, Peek().span);
    }
    if (!op) return lhs;
    Take();
    auto rhs = ParseValue();
    auto node = std::make_unique<Expr>();
    node->kind = ExprKind::kCompare;
    node->compare_op = *op;
    node->op_span = op_span;
    node->span = Join(lhs->span, rhs->span);
    node->children.push_back(std::move(lhs));
    node->children.push_back(std::move(rhs));
    return node;
  }

  std::unique_ptr<Expr> ParseValue() {
    auto value = ParsePrimary();
    while (Peek().kind == TokenKind::kLeftBracket && value->kind != ExprKind::kError) {
      Token open = Take();
      auto node = std::make_unique<Expr>();
      node->op_span = open.span;
      const Token& key = Peek();
      if (key.kind == TokenKind::kStar) {
        node->kind = ExprKind::kMapEach;
        Take();
      } else if (key.kind == TokenKind::kString || key.kind == TokenKind::kInt) {
        node->kind = ExprKind::kIndex;
        auto literal = std::make_unique<Expr>();
        literal->kind = key.kind == TokenKind::kString ? ExprKind::kStringLiteral
                                                       : ExprKind::kIntLiteral;
        literal->span = key.span;
        literal->text = key.text;
        literal->int_value = key.int_value;
        Take();
        node->children.push_back(nullptr);  // the indexed value goes first, below
        node->children.push_back(std::move(literal));
      } else {
        Error(key.span, Cat("expected a string key, an integer index or '*' inside "
                                     "[ ], found ", Describe(key)));
        Synchronize();
        return ErrorNode(open.span);
      }
      if (Peek().kind != TokenKind::kRightBracket) {
        Error(Peek().span, Cat("expected ']', found ", Describe(Peek())));
        Synchronize();
        return ErrorNode(open.span);
      }
      Token close = Take();
      node->span = Join(value->span, close.span);
      if (node->children.empty()) {
        node->children.push_back(std::move(value));
      } else {
        node->children[0] = std::move(value);
      }
      value = std::move(node);
    }
    return value;
  }

  std::unique_ptr<Expr> ParsePrimary() {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kIdentifier:
        if (Peek(1).kind == TokenKind::kLeftParen) return ParseCall();
        {
          auto node = std::make_unique<Expr>();
          node->kind = ExprKind::kField;
          node->span = t.span;
          node->text = t.text;
          Take();
          return node;
        }
      case TokenKind::kString:
      case TokenKind::kInt: {
        auto node = std::make_unique<Expr>();
        node->kind = t.kind == TokenKind::kString ? ExprKind::kStringLiteral
                                                  : ExprKind::kIntLiteral;
        node->span = t.span;
        node->text = t.text;
        node->int_value = t.int_value;
        Take();
        return node;
      }
      case TokenKind::kIp: {
        if (t.prefix_length >= 0) {
          Error(t.span, "a CIDR is only allowed inside a set; write 'ip.src in { ... }'");
        }
        auto node = std::make_unique<Expr>();
        node->kind = ExprKind::kIpLiteral;
        node->span = t.span;
        node->ip = t.ip;
        Take();
        return node;
      }
      case TokenKind::kLeftParen: {
        Token open = Take();
        if (!Enter(open.span)) return ErrorNode(open.span);
        auto inner = ParseLogical(0);
        Leave();
        if (Peek().kind != TokenKind::kRightParen) {
          if (!too_deep_) {
            Error(Peek().span, Cat("expected ')' to close the '(' at column ",
                                            ColumnOf(open.span), ", found ", Describe(Peek())));
          }
          Synchronize();
          if (Peek().kind == TokenKind::kRightParen) Take();
          return ErrorNode(open.span);
        }
        Token close = Take();
        inner->span = Join(open.span, close.span);
        return inner;
      }
      case TokenKind::kError: {
        panic_ = true;  // the lexer reported it
        Span span = t.span;
        Take();
        Synchronize();
        return ErrorNode(span);
      }
      default: {
        Span span = t.span;
        if (t.kind == TokenKind::kListRef) {
          Error(span, Cat("a list can only follow 'in': write 'FIELD in $", t.text, "'"));
        } else {
          Error(span, Cat("expected a field, function call, literal or '(', found ",
                                   Describe(t)));
        }
        Synchronize();
        return ErrorNode(span);
      }
    }
  }

  int ColumnOf(Span span) const {
    return MakeDiagnostic(sink_.source(), span, "").column;
  }

  std::unique_ptr<Expr> ParseCall() {
    Token name = Take();
    Token open = Take();
    auto node = std::make_unique<Expr>();
    node->kind = ExprKind::kCall;
    node->text = name.text;
    node->op_span = name.span;
    if (!Enter(open.span)) return ErrorNode(open.span);
    if (Peek().kind != TokenKind::kRightParen) {
      while (true) {
        node->children.push_back(ParseLogical(0));
        if (Peek().kind != TokenKind::kComma) break;
        Take();
      }
    }
    Leave();
    if (Peek().kind != TokenKind::kRightParen) {
      if (!too_deep_) {
        Error(Peek().span, Cat("expected ',' or ')' in the arguments of ", name.text,
                                        "(), found ", Describe(Peek())));
      }
      Synchronize();
      if (Peek().kind == TokenKind::kRightParen) Take();
      return ErrorNode(name.span);
    }
    node->span = Join(name.span, Take().span);
    return node;
  }

  std::unique_ptr<Expr> ParseSet(std::unique_ptr<Expr> lhs, const Token& op) {
    Token open = Take();
    auto node = std::make_unique<Expr>();
    node->kind = ExprKind::kInSet;
    node->op_span = op.span;
    while (Peek().kind != TokenKind::kRightBrace && !AtEof()) {
      if (Peek().kind == TokenKind::kComma) {
        Take();
        continue;
      }
      std::optional<SetItem> item = ParseSetItem();
      if (!item) {
        // Skip the rest of the set; the caller continues after it.
        while (!AtEof() && Peek().kind != TokenKind::kRightBrace) Take();
        break;
      }
      if (node->set_items.size() >= limits_.max_list_items) {
        Error(item->span, Cat("set has more than ", limits_.max_list_items, " items"));
      }
      node->set_items.push_back(*std::move(item));
    }
    if (Peek().kind != TokenKind::kRightBrace) {
      Error(Peek().span, Cat("expected '}' to close the set, found ", Describe(Peek())));
      return ErrorNode(open.span);
    }
    Token close = Take();
    node->span = Join(lhs->span, close.span);
    node->children.push_back(std::move(lhs));
    return node;
  }

  std::optional<SetItem> ParseSetItem() {
    Token first = Take();
    SetItem item;
    item.span = first.span;
    switch (first.kind) {
      case TokenKind::kString:
        item.kind = SetItem::Kind::kString;
        item.text = first.text;
        return item;
      case TokenKind::kInt: {
        item.kind = SetItem::Kind::kInt;
        item.low = item.high = first.int_value;
        if (Peek().kind != TokenKind::kDotDot) return item;
        Take();
        if (Peek().kind != TokenKind::kInt) {
          Error(Peek().span, Cat("expected an integer after '..', found ",
                                          Describe(Peek())));
          return std::nullopt;
        }
        Token last = Take();
        item.kind = SetItem::Kind::kIntRange;
        item.high = last.int_value;
        item.span = Join(first.span, last.span);
        if (item.high < item.low) {
          Error(item.span, Cat("empty range ", item.low, "..", item.high,
                                        ": the first bound must not exceed the second"));
        }
        return item;
      }
      case TokenKind::kIp: {
        if (first.prefix_length >= 0) {
          item.kind = SetItem::Kind::kIpRange;
          item.ip = *CidrRange(first.ip, first.prefix_length);
          return item;
        }
        item.kind = SetItem::Kind::kIp;
        item.ip = IpRange{first.ip, first.ip};
        if (Peek().kind != TokenKind::kDotDot) return item;
        Take();
        if (Peek().kind != TokenKind::kIp || Peek().prefix_length >= 0) {
          Error(Peek().span, Cat("expected an IP address after '..', found ",
                                          Describe(Peek())));
          return std::nullopt;
        }
        Token last = Take();
        item.kind = SetItem::Kind::kIpRange;
        item.ip.high = last.ip;
        item.span = Join(first.span, last.span);
        if (first.ip.is_v4 != last.ip.is_v4) {
          Error(item.span, "an IP range must not mix IPv4 and IPv6");
        } else if (AddressLess(item.ip.high, item.ip.low)) {
          Error(item.span, "empty IP range: the first address must not exceed the second");
        }
        return item;
      }
      case TokenKind::kError:
        panic_ = true;
        return std::nullopt;
      default:
        Error(first.span,
              Cat("expected a set item (string, integer, IP address or CIDR) or '}', "
                           "found ", Describe(first)));
        return std::nullopt;
    }
  }

  const Limits& limits_;
  DiagnosticSink& sink_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool panic_ = false;
  bool too_deep_ = false;
};

}  // namespace

std::unique_ptr<Expr> Parse(std::string_view source, const Limits& limits, DiagnosticSink& sink) {
  return Parser(source, limits, sink).Run();
}

}  // namespace gatehouse::rules

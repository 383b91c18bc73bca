// Over 600 lines on purpose: the plan's node classes and the builder that picks among them are
// one unit (each node exists only for the builder's specialisations; apart, neither reads alone).
#include "rules/plan.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "re2/re2.h"
#include "rules/filter_impl.h"
#include "rules/functions.h"
#include "rules/interpreter.h"
#include "rules/ip_address.h"
#include "rules/scheme.h"
#include "rules/scratch.h"
#include "rules/strings.h"
#include "rules/value_set.h"
#include "rules/wildcard.h"

namespace gatehouse::rules {
namespace {

// Costs are rough orders of magnitude; only their order matters.
constexpr int kCheap = 1;
constexpr int kCompare = 3;
constexpr int kSearch = 6;
constexpr int kPattern = 12;
constexpr int kCall = 10;
constexpr int kInterpreted = 40;
// Shared results at least this costly are memoised per request.
constexpr int kMemoCost = kPattern;

// A sub-tree the plan does not specialise, run by the interpreter. `tree` keeps it alive.
struct Interpreted {
  std::shared_ptr<const Expr> tree;
  const Expr* expr;
  Value Run(Evaluation& evaluation) const { return Interpret(*expr, evaluation); }
};

// --- Bool nodes -------------------------------------------------------------------------------

class ConstBool : public BoolNode {
 public:
  explicit ConstBool(bool value) : value_(value) {}
  bool Test(Evaluation&) const override { return value_; }
  int cost() const override { return 0; }
  std::optional<bool> constant() const override { return value_; }

 private:
  bool value_;
};

class FieldBool : public BoolNode {
 public:
  explicit FieldBool(FieldId id) : id_(id) {}
  bool Test(Evaluation& evaluation) const override { return evaluation.Field(id_).IsTrue(); }
  int cost() const override { return kCheap; }

 private:
  FieldId id_;
};

class InterpretedBool : public BoolNode {
 public:
  explicit InterpretedBool(Interpreted sub) : sub_(std::move(sub)) {}
  bool Test(Evaluation& evaluation) const override { return sub_.Run(evaluation).IsTrue(); }
  int cost() const override { return kInterpreted; }

 private:
  Interpreted sub_;
};

class NotBool : public BoolNode {
 public:
  explicit NotBool(std::shared_ptr<const BoolNode> operand) : operand_(std::move(operand)) {}
  bool Test(Evaluation& evaluation) const override { return !operand_->Test(evaluation); }
  int cost() const override { return operand_->cost(); }

 private:
  std::shared_ptr<const BoolNode> operand_;
};

class LogicalBool : public BoolNode {
 public:
  // `invert` flips an xor's result (constant true operands folded away).
  LogicalBool(LogicalOp op, std::vector<std::shared_ptr<const BoolNode>> operands, bool invert)
      : op_(op), operands_(std::move(operands)), invert_(invert) {
    for (const auto& o : operands_) cost_ += o->cost();
  }
  bool Test(Evaluation& evaluation) const override {
    switch (op_) {
      case LogicalOp::kAnd:
        for (const auto& o : operands_) {
          if (!o->Test(evaluation)) return false;
        }
        return true;
      case LogicalOp::kOr:
        for (const auto& o : operands_) {
          if (o->Test(evaluation)) return true;
        }
        return false;
      case LogicalOp::kXor: {
        bool result = invert_;
        for (const auto& o : operands_) result ^= o->Test(evaluation);
        return result;
      }
    }
    return false;
  }
  int cost() const override { return cost_; }

 private:
  LogicalOp op_;
  std::vector<std::shared_ptr<const BoolNode>> operands_;
  bool invert_;
  int cost_ = 0;
};

// Shares one result per request between every rule that uses this node.
class MemoBool : public BoolNode {
 public:
  MemoBool(std::shared_ptr<const BoolNode> inner, const void* owner, size_t slot)
      : inner_(std::move(inner)), owner_(owner), slot_(slot) {}
  bool Test(Evaluation& evaluation) const override {
    int8_t cached = evaluation.BoolMemo(owner_, slot_);
    if (cached >= 0) return cached != 0;
    bool result = inner_->Test(evaluation);
    evaluation.BoolMemo(owner_, slot_) = result ? 1 : 0;
    return result;
  }
  int cost() const override { return inner_->cost(); }

 private:
  std::shared_ptr<const BoolNode> inner_;
  const void* owner_;
  size_t slot_;
};

// eq ne lt le gt ge contains between two Bytes operands.
class BytesCompare : public BoolNode {
 public:
  BytesCompare(CompareOp op, std::shared_ptr<const BytesNode> lhs, std::shared_ptr<const BytesNode> rhs)
      : op_(op), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  bool Test(Evaluation& evaluation) const override {
    std::string lhs_scratch;
    std::string rhs_scratch;
    std::optional<std::string_view> a = lhs_->Get(evaluation, lhs_scratch);
    if (!a) return false;
    std::optional<std::string_view> b = rhs_->Get(evaluation, rhs_scratch);
    if (!b) return false;
    if (op_ == CompareOp::kContains) return a->find(*b) != std::string_view::npos;
    return Ordered(op_, *a, *b);
  }
  int cost() const override {
    return (op_ == CompareOp::kContains ? kSearch : kCompare) + lhs_->cost() + rhs_->cost();
  }

 private:
  CompareOp op_;
  std::shared_ptr<const BytesNode> lhs_;
  std::shared_ptr<const BytesNode> rhs_;
};

class RegexBool : public BoolNode {
 public:
  RegexBool(std::shared_ptr<const BytesNode> subject, std::shared_ptr<const re2::RE2> regex)
      : subject_(std::move(subject)), regex_(std::move(regex)) {}
  bool Test(Evaluation& evaluation) const override {
    std::string scratch;
    std::optional<std::string_view> s = subject_->Get(evaluation, scratch);
    return s && re2::RE2::PartialMatch(re2::StringPiece(s->data(), s->size()), *regex_);
  }
  int cost() const override { return kPattern + subject_->cost(); }

 private:
  std::shared_ptr<const BytesNode> subject_;
  std::shared_ptr<const re2::RE2> regex_;
};

class WildcardBool : public BoolNode {
 public:
  WildcardBool(std::shared_ptr<const BytesNode> subject, std::shared_ptr<const WildcardPattern> pattern,
               bool case_sensitive)
      : subject_(std::move(subject)), pattern_(std::move(pattern)), case_sensitive_(case_sensitive) {}
  bool Test(Evaluation& evaluation) const override {
    std::string scratch;
    std::optional<std::string_view> s = subject_->Get(evaluation, scratch);
    return s && pattern_->Matches(*s, case_sensitive_);
  }
  int cost() const override { return kPattern + subject_->cost(); }

 private:
  std::shared_ptr<const BytesNode> subject_;
  std::shared_ptr<const WildcardPattern> pattern_;
  bool case_sensitive_;
};

class BytesInSet : public BoolNode {
 public:
  BytesInSet(std::shared_ptr<const BytesNode> subject, std::shared_ptr<const ValueSet> set)
      : subject_(std::move(subject)), set_(std::move(set)) {}
  bool Test(Evaluation& evaluation) const override {
    std::string scratch;
    std::optional<std::string_view> s = subject_->Get(evaluation, scratch);
    return s && set_->ContainsBytes(*s);
  }
  int cost() const override { return kCompare + subject_->cost(); }

 private:
  std::shared_ptr<const BytesNode> subject_;
  std::shared_ptr<const ValueSet> set_;
};

// starts_with() / ends_with().
class AffixBool : public BoolNode {
 public:
  AffixBool(bool prefix, std::shared_ptr<const BytesNode> subject, std::shared_ptr<const BytesNode> affix)
      : prefix_(prefix), subject_(std::move(subject)), affix_(std::move(affix)) {}
  bool Test(Evaluation& evaluation) const override {
    std::string subject_scratch;
    std::string affix_scratch;
    std::optional<std::string_view> s = subject_->Get(evaluation, subject_scratch);
    if (!s) return false;
    std::optional<std::string_view> a = affix_->Get(evaluation, affix_scratch);
    if (!a) return false;
    return prefix_ ? s->starts_with(*a) : s->ends_with(*a);
  }
  int cost() const override { return kCompare + subject_->cost() + affix_->cost(); }

 private:
  bool prefix_;
  std::shared_ptr<const BytesNode> subject_;
  std::shared_ptr<const BytesNode> affix_;
};

class IntCompare : public BoolNode {
 public:
  IntCompare(CompareOp op, std::shared_ptr<const IntNode> lhs, std::shared_ptr<const IntNode> rhs)
      : op_(op), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  bool Test(Evaluation& evaluation) const override {
    std::optional<int64_t> a = lhs_->Get(evaluation);
    if (!a) return false;
    std::optional<int64_t> b = rhs_->Get(evaluation);
    if (!b) return false;
    if (op_ == CompareOp::kBitAnd) return (*a & *b) != 0;
    return Ordered(op_, *a, *b);
  }
  int cost() const override { return kCheap + lhs_->cost() + rhs_->cost(); }

 private:
  CompareOp op_;
  std::shared_ptr<const IntNode> lhs_;
  std::shared_ptr<const IntNode> rhs_;
};

class IntInSet : public BoolNode {
 public:
  IntInSet(std::shared_ptr<const IntNode> subject, std::shared_ptr<const ValueSet> set)
      : subject_(std::move(subject)), set_(std::move(set)) {}
  bool Test(Evaluation& evaluation) const override {
    std::optional<int64_t> v = subject_->Get(evaluation);
    return v && set_->ContainsInt(*v);
  }
  int cost() const override { return kCompare + subject_->cost(); }

 private:
  std::shared_ptr<const IntNode> subject_;
  std::shared_ptr<const ValueSet> set_;
};

// An Ip operand that is an Ip field (ip.src, cf.edge.server_ip) or a literal (cidr() results
// are interpreted).
struct IpOperand {
  bool is_field = false;
  FieldId field = FieldId::kIpSrc;
  IpAddress literal;
  const IpAddress* Get(Evaluation& evaluation) const {
    return is_field ? evaluation.Field(field).as_ip() : &literal;
  }
};

class IpCompare : public BoolNode {
 public:
  IpCompare(bool equal, IpOperand lhs, IpOperand rhs) : equal_(equal), lhs_(lhs), rhs_(rhs) {}
  bool Test(Evaluation& evaluation) const override {
    const IpAddress* a = lhs_.Get(evaluation);
    const IpAddress* b = rhs_.Get(evaluation);
    return a != nullptr && b != nullptr && SameAddress(*a, *b) == equal_;
  }
  int cost() const override { return kCheap; }

 private:
  bool equal_;
  IpOperand lhs_;
  IpOperand rhs_;
};

class IpInSet : public BoolNode {
 public:
  IpInSet(IpOperand subject, std::shared_ptr<const ValueSet> set) : subject_(subject), set_(std::move(set)) {}
  bool Test(Evaluation& evaluation) const override {
    const IpAddress* ip = subject_.Get(evaluation);
    return ip != nullptr && set_->ContainsIp(*ip);
  }
  int cost() const override { return kCompare; }

 private:
  IpOperand subject_;
  std::shared_ptr<const ValueSet> set_;
};

// --- Bytes nodes ------------------------------------------------------------------------------

class ConstBytes : public BytesNode {
 public:
  explicit ConstBytes(std::optional<std::string> value) : value_(std::move(value)) {}
  std::optional<std::string_view> Get(Evaluation&, std::string&) const override {
    if (!value_) return std::nullopt;
    return std::string_view(*value_);
  }
  int cost() const override { return 0; }
  bool is_constant() const override { return true; }

 private:
  std::optional<std::string> value_;
};

// A field, or a literal path into it (http.request.headers["x"][0]): a view into the field cache.
class PathBytes : public BytesNode {
 public:
  PathBytes(FieldId id, std::vector<const Expr*> steps, std::shared_ptr<const Expr> tree)
      : id_(id), steps_(std::move(steps)), tree_(std::move(tree)) {}
  std::optional<std::string_view> Get(Evaluation& evaluation, std::string&) const override {
    const Value* v = &evaluation.Field(id_);
    for (const Expr* key : steps_) {
      v = Step(*v, *key);
      if (v == nullptr) return std::nullopt;
    }
    const std::string* s = v->as_bytes();
    if (s == nullptr) return std::nullopt;
    return std::string_view(*s);
  }
  int cost() const override { return kCheap + static_cast<int>(steps_.size()); }

 private:
  static const Value* Step(const Value& v, const Expr& key) {
    if (const auto* a = v.as_array()) {
      if (key.int_value < 0 || static_cast<size_t>(key.int_value) >= a->size()) return nullptr;
      return &(*a)[static_cast<size_t>(key.int_value)];
    }
    if (const auto* m = v.as_map()) {
      for (const auto& [k, value] : *m) {
        if (k == key.text) return &value;
      }
    }
    return nullptr;
  }

  FieldId id_;
  std::vector<const Expr*> steps_;  // index literals, owned by tree_
  std::shared_ptr<const Expr> tree_;
};

// Evaluates an argument of a generic function call as a Value.
class ValueOperand {
 public:
  virtual ~ValueOperand() = default;
  virtual Value Get(Evaluation& evaluation) const = 0;
  virtual int cost() const = 0;
};

class BytesOperand : public ValueOperand {
 public:
  explicit BytesOperand(std::shared_ptr<const BytesNode> node) : node_(std::move(node)) {}
  Value Get(Evaluation& evaluation) const override {
    std::string scratch;
    std::optional<std::string_view> v = node_->Get(evaluation, scratch);
    return v ? Value::Bytes(std::string(*v)) : Value::Missing();
  }
  int cost() const override { return node_->cost(); }

 private:
  std::shared_ptr<const BytesNode> node_;
};

class IntOperand : public ValueOperand {
 public:
  explicit IntOperand(std::shared_ptr<const IntNode> node) : node_(std::move(node)) {}
  Value Get(Evaluation& evaluation) const override {
    std::optional<int64_t> v = node_->Get(evaluation);
    return v ? Value::Int(*v) : Value::Missing();
  }
  int cost() const override { return node_->cost(); }

 private:
  std::shared_ptr<const IntNode> node_;
};

class InterpretedOperand : public ValueOperand {
 public:
  explicit InterpretedOperand(Interpreted sub) : sub_(std::move(sub)) {}
  Value Get(Evaluation& evaluation) const override { return sub_.Run(evaluation); }
  int cost() const override { return kInterpreted; }

 private:
  Interpreted sub_;
};

// Any built-in function over planned arguments, through the same implementation the interpreter
// uses (functions.h), so the two cannot drift apart.
class CallValue {
 public:
  CallValue(std::shared_ptr<const Expr> tree, const Expr* call,
            std::vector<std::unique_ptr<const ValueOperand>> args)
      : tree_(std::move(tree)), call_(call), args_(std::move(args)) {
    for (const auto& a : args_) cost_ += a->cost();
  }
  Value Get(Evaluation& evaluation) const {
    std::vector<Value> values;
    values.reserve(args_.size());
    const FunctionDefinition& f = *call_->function;
    for (const auto& a : args_) {
      values.push_back(a->Get(evaluation));
      if (values.back().is_missing() && !f.missing_aware) return Value::Missing();
    }
    return f.evaluate(*call_, values);
  }
  int cost() const { return cost_; }

 private:
  std::shared_ptr<const Expr> tree_;
  const Expr* call_;
  std::vector<std::unique_ptr<const ValueOperand>> args_;
  int cost_ = kCall;
};

// A function returning Bytes; the result is memoised per request, so a derived form such as
// lower(http.request.uri.path) is computed once however many rules use it.
class CallBytes : public BytesNode {
 public:
  CallBytes(CallValue call, const void* owner, size_t slot)
      : call_(std::move(call)), owner_(owner), slot_(slot) {}
  std::optional<std::string_view> Get(Evaluation& evaluation, std::string&) const override {
    std::optional<std::optional<std::string>>* memo = &evaluation.BytesMemo(owner_, slot_);
    if (!memo->has_value()) {
      Value v = call_.Get(evaluation);
      std::optional<std::string> result;
      if (std::string* s = std::get_if<std::string>(&v.data)) result = std::move(*s);
      // Computing may have grown the memo; the deque keeps this slot where it was.
      memo = &evaluation.BytesMemo(owner_, slot_);
      *memo = std::move(result);
    }
    const std::optional<std::string>& result = **memo;
    if (!result) return std::nullopt;
    return std::string_view(*result);
  }
  int cost() const override { return call_.cost(); }

 private:
  CallValue call_;
  const void* owner_;
  size_t slot_;
};

class InterpretedBytes : public BytesNode {
 public:
  explicit InterpretedBytes(Interpreted sub) : sub_(std::move(sub)) {}
  std::optional<std::string_view> Get(Evaluation& evaluation, std::string& scratch) const override {
    Value v = sub_.Run(evaluation);
    std::string* s = std::get_if<std::string>(&v.data);
    if (s == nullptr) return std::nullopt;
    scratch = std::move(*s);
    return std::string_view(scratch);
  }
  int cost() const override { return kInterpreted; }

 private:
  Interpreted sub_;
};

// --- Int nodes --------------------------------------------------------------------------------

class ConstInt : public IntNode {
 public:
  explicit ConstInt(std::optional<int64_t> value) : value_(value) {}
  std::optional<int64_t> Get(Evaluation&) const override { return value_; }
  int cost() const override { return 0; }

 private:
  std::optional<int64_t> value_;
};

class FieldInt : public IntNode {
 public:
  explicit FieldInt(FieldId id) : id_(id) {}
  std::optional<int64_t> Get(Evaluation& evaluation) const override {
    const int64_t* v = evaluation.Field(id_).as_int();
    if (v == nullptr) return std::nullopt;
    return *v;
  }
  int cost() const override { return kCheap; }

 private:
  FieldId id_;
};

class LenBytes : public IntNode {
 public:
  explicit LenBytes(std::shared_ptr<const BytesNode> subject) : subject_(std::move(subject)) {}
  std::optional<int64_t> Get(Evaluation& evaluation) const override {
    std::string scratch;
    std::optional<std::string_view> s = subject_->Get(evaluation, scratch);
    if (!s) return std::nullopt;
    return static_cast<int64_t>(s->size());
  }
  int cost() const override { return kCheap + subject_->cost(); }

 private:
  std::shared_ptr<const BytesNode> subject_;
};

class CallInt : public IntNode {
 public:
  explicit CallInt(CallValue call) : call_(std::move(call)) {}
  std::optional<int64_t> Get(Evaluation& evaluation) const override {
    Value v = call_.Get(evaluation);
    if (const int64_t* i = v.as_int()) return *i;
    return std::nullopt;
  }
  int cost() const override { return call_.cost(); }

 private:
  CallValue call_;
};

class InterpretedInt : public IntNode {
 public:
  explicit InterpretedInt(Interpreted sub) : sub_(std::move(sub)) {}
  std::optional<int64_t> Get(Evaluation& evaluation) const override {
    Value v = sub_.Run(evaluation);
    if (const int64_t* i = v.as_int()) return *i;
    return std::nullopt;
  }
  int cost() const override { return kInterpreted; }

 private:
  Interpreted sub_;
};

// --- value expressions ------------------------------------------------------------------------

class PlanValueExpression : public ValueExpression {
 public:
  PlanValueExpression(std::shared_ptr<const BytesNode> bytes, std::shared_ptr<const IntNode> ints)
      : bytes_(std::move(bytes)), ints_(std::move(ints)) {}
  std::string Evaluate(Evaluation& evaluation) const override {
    if (bytes_ != nullptr) {
      std::string scratch;
      std::optional<std::string_view> v = bytes_->Get(evaluation, scratch);
      return v ? std::string(*v) : std::string();
    }
    std::optional<int64_t> v = ints_->Get(evaluation);
    return v ? Cat(*v) : std::string();
  }

 private:
  std::shared_ptr<const BytesNode> bytes_;
  std::shared_ptr<const IntNode> ints_;
};

bool HasField(const Expr& e) {
  if (e.kind == ExprKind::kField || e.kind == ExprKind::kError) return true;
  for (const auto& child : e.children) {
    if (HasField(*child)) return true;
  }
  return false;
}

}  // namespace

// Builds the plan of one expression inside a PlanCache (whose mutex the caller holds).
class PlanBuilder {
 public:
  PlanBuilder(PlanCache& cache, std::shared_ptr<const Expr> tree)
      : cache_(cache), tree_(std::move(tree)) {}

  std::shared_ptr<const BoolNode> Bool(const Expr& e) {
    std::string key = ExprToString(e);
    if (auto it = cache_.bools_.find(key); it != cache_.bools_.end()) return it->second;
    std::shared_ptr<const BoolNode> node = BuildBool(e);
    if (node->cost() >= kMemoCost && !node->constant()) {
      node = std::make_shared<MemoBool>(std::move(node), &cache_, cache_.bool_slots_++);
    }
    cache_.bools_.emplace(std::move(key), node);
    return node;
  }

  std::shared_ptr<const BytesNode> Bytes(const Expr& e) {
    std::string key = ExprToString(e);
    if (auto it = cache_.bytes_.find(key); it != cache_.bytes_.end()) return it->second;
    std::shared_ptr<const BytesNode> node = BuildBytes(e);
    cache_.bytes_.emplace(std::move(key), node);
    return node;
  }

  std::shared_ptr<const IntNode> Int(const Expr& e) {
    std::string key = ExprToString(e);
    if (auto it = cache_.ints_.find(key); it != cache_.ints_.end()) return it->second;
    std::shared_ptr<const IntNode> node = BuildInt(e);
    cache_.ints_.emplace(std::move(key), node);
    return node;
  }

 private:
  Interpreted Sub(const Expr& e) const { return Interpreted{tree_, &e}; }

  // Sub-trees without fields are evaluated now, once.
  static bool IsConstant(const Expr& e) { return !e.mapped && !HasField(e); }
  static Value Fold(const Expr& e) {
    static const RequestData* empty = new RequestData();
    Scratch scratch;  // folding is at link time: nothing to reuse
    Evaluation evaluation(*empty, scratch);
    return Interpret(e, evaluation);
  }

  std::shared_ptr<const re2::RE2> SharedRegex(const std::shared_ptr<const re2::RE2>& regex) {
    auto [it, inserted] = cache_.regexes_.emplace(regex->pattern(), regex);
    return it->second;
  }

  std::shared_ptr<const BoolNode> BuildBool(const Expr& e) {
    if (IsConstant(e)) return std::make_shared<ConstBool>(Fold(e).IsTrue());
    if (e.mapped) return std::make_shared<InterpretedBool>(Sub(e));
    switch (e.kind) {
      case ExprKind::kField:
        return std::make_shared<FieldBool>(e.field->id);
      case ExprKind::kNot: {
        auto operand = Bool(*e.children[0]);
        if (operand->constant()) return std::make_shared<ConstBool>(!*operand->constant());
        return std::make_shared<NotBool>(std::move(operand));
      }
      case ExprKind::kLogical:
        return BuildLogical(e);
      case ExprKind::kCompare:
        return BuildCompare(e);
      case ExprKind::kInSet:
      case ExprKind::kInList:
        return BuildIn(e);
      case ExprKind::kCall:
        if (e.function->name == "starts_with" || e.function->name == "ends_with") {
          return std::make_shared<AffixBool>(e.function->name == "starts_with",
                                             Bytes(*e.children[0]), Bytes(*e.children[1]));
        }
        break;
      default:
        break;
    }
    return std::make_shared<InterpretedBool>(Sub(e));
  }

  std::shared_ptr<const BoolNode> BuildLogical(const Expr& e) {
    std::vector<std::shared_ptr<const BoolNode>> operands;
    bool invert = false;
    for (const auto& child : e.children) {
      auto operand = Bool(*child);
      if (std::optional<bool> c = operand->constant()) {
        if (e.logical_op == LogicalOp::kAnd && !*c) return std::make_shared<ConstBool>(false);
        if (e.logical_op == LogicalOp::kOr && *c) return std::make_shared<ConstBool>(true);
        if (e.logical_op == LogicalOp::kXor) invert ^= *c;
        continue;  // true in and, false in or/xor: no effect
      }
      operands.push_back(std::move(operand));
    }
    if (operands.empty()) {
      return std::make_shared<ConstBool>(e.logical_op == LogicalOp::kAnd ? true : invert);
    }
    if (operands.size() == 1 && !invert) return operands[0];
    if (e.logical_op != LogicalOp::kXor) {
      std::stable_sort(operands.begin(), operands.end(),
                       [](const auto& a, const auto& b) { return a->cost() < b->cost(); });
    }
    return std::make_shared<LogicalBool>(e.logical_op, std::move(operands), invert);
  }

  static IpOperand Ip(const Expr& e) {
    IpOperand op;
    op.is_field = e.kind == ExprKind::kField;
    if (op.is_field) op.field = e.field->id;
    op.literal = e.ip;
    return op;
  }
  static bool IsIpOperand(const Expr& e) {
    return e.kind == ExprKind::kField || e.kind == ExprKind::kIpLiteral;
  }

  std::shared_ptr<const BoolNode> BuildCompare(const Expr& e) {
    const Expr& lhs = *e.children[0];
    const Expr& rhs = *e.children[1];
    CompareOp op = e.compare_op;
    switch (lhs.type.kind()) {
      case Type::Kind::kBytes:
        if (op == CompareOp::kMatches) {
          return std::make_shared<RegexBool>(Bytes(lhs), SharedRegex(e.regex));
        }
        if (op == CompareOp::kWildcard || op == CompareOp::kStrictWildcard) {
          return std::make_shared<WildcardBool>(Bytes(lhs), e.wildcard,
                                                op == CompareOp::kStrictWildcard);
        }
        return std::make_shared<BytesCompare>(op, Bytes(lhs), Bytes(rhs));
      case Type::Kind::kInt:
        return std::make_shared<IntCompare>(op, Int(lhs), Int(rhs));
      case Type::Kind::kIp:
        if (IsIpOperand(lhs) && IsIpOperand(rhs)) {
          return std::make_shared<IpCompare>(op == CompareOp::kEq, Ip(lhs), Ip(rhs));
        }
        break;
      default:
        break;  // Bool operands can be missing, which a BoolNode cannot say: interpret.
    }
    return std::make_shared<InterpretedBool>(Sub(e));
  }

  std::shared_ptr<const BoolNode> BuildIn(const Expr& e) {
    const Expr& lhs = *e.children[0];
    switch (lhs.type.kind()) {
      case Type::Kind::kBytes:
        return std::make_shared<BytesInSet>(Bytes(lhs), e.set);
      case Type::Kind::kInt:
        return std::make_shared<IntInSet>(Int(lhs), e.set);
      case Type::Kind::kIp:
        if (IsIpOperand(lhs)) return std::make_shared<IpInSet>(Ip(lhs), e.set);
        break;
      default:
        break;
    }
    return std::make_shared<InterpretedBool>(Sub(e));
  }

  // field, or field followed by literal [key] / [index] steps; nullptr otherwise.
  std::shared_ptr<const BytesNode> TryPath(const Expr& e) {
    std::vector<const Expr*> steps;
    const Expr* node = &e;
    while (node->kind == ExprKind::kIndex) {
      steps.push_back(node->children[1].get());
      node = node->children[0].get();
    }
    if (node->kind != ExprKind::kField) return nullptr;
    std::reverse(steps.begin(), steps.end());
    return std::make_shared<PathBytes>(node->field->id, std::move(steps), tree_);
  }

  std::optional<CallValue> TryCall(const Expr& e) {
    if (e.kind != ExprKind::kCall) return std::nullopt;
    std::vector<std::unique_ptr<const ValueOperand>> args;
    for (const auto& child : e.children) {
      if (child->mapped) return std::nullopt;
      if (child->type == Type::Bytes()) {
        args.push_back(std::make_unique<BytesOperand>(Bytes(*child)));
      } else if (child->type == Type::Int()) {
        args.push_back(std::make_unique<IntOperand>(Int(*child)));
      } else {
        args.push_back(std::make_unique<InterpretedOperand>(Sub(*child)));
      }
    }
    return CallValue(tree_, &e, std::move(args));
  }

  std::shared_ptr<const BytesNode> BuildBytes(const Expr& e) {
    if (IsConstant(e)) {
      Value v = Fold(e);
      std::optional<std::string> s;
      if (const std::string* b = v.as_bytes()) s = *b;
      return std::make_shared<ConstBytes>(std::move(s));
    }
    if (!e.mapped) {
      if (auto path = TryPath(e)) return path;
      if (std::optional<CallValue> call = TryCall(e)) {
        return std::make_shared<CallBytes>(*std::move(call), &cache_, cache_.bytes_slots_++);
      }
    }
    return std::make_shared<InterpretedBytes>(Sub(e));
  }

  std::shared_ptr<const IntNode> BuildInt(const Expr& e) {
    if (IsConstant(e)) {
      Value v = Fold(e);
      const int64_t* i = v.as_int();
      return std::make_shared<ConstInt>(i ? std::optional<int64_t>(*i) : std::nullopt);
    }
    if (!e.mapped) {
      if (e.kind == ExprKind::kField) return std::make_shared<FieldInt>(e.field->id);
      if (e.kind == ExprKind::kCall && e.function->name == "len" &&
          e.children[0]->type == Type::Bytes() && !e.children[0]->mapped) {
        return std::make_shared<LenBytes>(Bytes(*e.children[0]));
      }
      if (std::optional<CallValue> call = TryCall(e)) {
        return std::make_shared<CallInt>(*std::move(call));
      }
    }
    return std::make_shared<InterpretedInt>(Sub(e));
  }

  PlanCache& cache_;
  std::shared_ptr<const Expr> tree_;
};

std::shared_ptr<const BoolNode> PlanCache::BuildFilter(std::shared_ptr<const Expr> tree) {
  std::lock_guard<std::mutex> lock(mu_);
  PlanBuilder builder(*this, tree);
  return builder.Bool(*tree);
}

std::shared_ptr<const ValueExpression> PlanCache::BuildValue(std::shared_ptr<const Expr> tree) {
  std::lock_guard<std::mutex> lock(mu_);
  PlanBuilder builder(*this, tree);
  switch (tree->type.kind()) {
    case Type::Kind::kBytes:
      return std::make_shared<PlanValueExpression>(builder.Bytes(*tree), nullptr);
    case Type::Kind::kInt:
      return std::make_shared<PlanValueExpression>(nullptr, builder.Int(*tree));
    default:
      // A Bool value renders "" when missing, which a BoolNode cannot express; such value
      // expressions are rare, so the interpreter runs them.
      return std::make_shared<ValueExpressionImpl>(std::move(tree));
  }
}

}  // namespace gatehouse::rules

#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "rules/ast.h"
#include "rules/evaluation.h"
#include "rules/filter.h"

namespace re2 {
class RE2;
}

namespace gatehouse::rules {

// The optimised plan: a tree of typed, specialised nodes built from a checked expression, kept
// apart from the reference interpreter (which defines the semantics and is tested against it).
// What it does beyond the interpreter:
//   - constant folding (sub-expressions without fields are evaluated once, at compile time, and
//     and/or/xor/not over constants collapse);
//   - typed evaluation without copies: fields and header/argument lookups are views into the
//     per-request field cache;
//   - and/or test their cheapest operands first;
//   - identical sub-expressions, regexes and sets are built once per zone (PlanCache) and shared
//     by every rule; expensive shared results (regex and wildcard tests, function results such as
//     lower(http.request.uri.path)) are computed at most once per request.
// Shapes without a specialised node fall back to the interpreter for that sub-tree only.

class BoolNode {
 public:
  virtual ~BoolNode() = default;
  // Missing reads as false, as in the interpreter.
  virtual bool Test(Evaluation& evaluation) const = 0;
  // Rough relative cost; and/or evaluate cheap operands first.
  virtual int cost() const = 0;
  // Set for constants (after folding).
  virtual std::optional<bool> constant() const { return std::nullopt; }
};

class BytesNode {
 public:
  virtual ~BytesNode() = default;
  // The bytes, or nullopt if missing. The view points into the evaluation (its field cache or
  // memo) or into `scratch`, and stays valid while both do.
  virtual std::optional<std::string_view> Get(Evaluation& evaluation, std::string& scratch) const = 0;
  virtual int cost() const = 0;
  virtual bool is_constant() const { return false; }
};

class IntNode {
 public:
  virtual ~IntNode() = default;
  virtual std::optional<int64_t> Get(Evaluation& evaluation) const = 0;
  virtual int cost() const = 0;
};

// Builds plans for the expressions of one zone, sharing identical sub-plans between them.
// Thread-safe; plans built by it are immutable and thread-safe.
class PlanCache {
 public:
  std::shared_ptr<const BoolNode> BuildFilter(std::shared_ptr<const Expr> tree);
  // The value expression's plan as a ValueExpression.
  std::shared_ptr<const ValueExpression> BuildValue(std::shared_ptr<const Expr> tree);

 private:
  friend class PlanBuilder;

  std::mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const BoolNode>> bools_;
  absl::flat_hash_map<std::string, std::shared_ptr<const BytesNode>> bytes_;
  absl::flat_hash_map<std::string, std::shared_ptr<const IntNode>> ints_;
  absl::flat_hash_map<std::string, std::shared_ptr<const re2::RE2>> regexes_;
  size_t bool_slots_ = 0;
  size_t bytes_slots_ = 0;
};

// A Filter that runs a plan.
class PlanFilter : public Filter {
 public:
  explicit PlanFilter(std::shared_ptr<const BoolNode> root) : root_(std::move(root)) {}
  bool Matches(Evaluation& evaluation) const override { return root_->Test(evaluation); }
  const BoolNode& root() const { return *root_; }

 private:
  std::shared_ptr<const BoolNode> root_;
};

}  // namespace gatehouse::rules

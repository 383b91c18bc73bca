#pragma once

#include <memory>
#include <string>

namespace gatehouse::rules {

// A type of the rules language: a scalar, or an array or map of some element type.
// Small value type; element types are shared and immutable.
class Type {
 public:
  enum class Kind { kError, kBool, kInt, kBytes, kIp, kArray, kMap };

  // kError is the type of an expression that already failed to check; it converts to anything so
  // one mistake yields one diagnostic, not a cascade.
  Type() = default;
  static Type Error() { return Type(Kind::kError); }
  static Type Bool() { return Type(Kind::kBool); }
  static Type Int() { return Type(Kind::kInt); }
  static Type Bytes() { return Type(Kind::kBytes); }
  static Type Ip() { return Type(Kind::kIp); }
  static Type Array(Type element);
  static Type Map(Type element);

  Kind kind() const { return kind_; }
  bool is_error() const { return kind_ == Kind::kError; }
  bool is_container() const { return kind_ == Kind::kArray || kind_ == Kind::kMap; }
  // The element type of an array or map; Error for scalars.
  Type element() const { return element_ ? *element_ : Error(); }

  // "Bytes", "Array<Bytes>", "Map<Array<Bytes>>".
  std::string ToString() const;

  friend bool operator==(const Type& a, const Type& b);

 private:
  explicit Type(Kind kind) : kind_(kind) {}

  Kind kind_ = Kind::kError;
  std::shared_ptr<const Type> element_;
};

}  // namespace gatehouse::rules

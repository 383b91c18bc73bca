#include "rules/types.h"

namespace gatehouse::rules {

Type Type::Array(Type element) {
  Type t(Kind::kArray);
  t.element_ = std::make_shared<const Type>(std::move(element));
  return t;
}

Type Type::Map(Type element) {
  Type t(Kind::kMap);
  t.element_ = std::make_shared<const Type>(std::move(element));
  return t;
}

std::string Type::ToString() const {
  switch (kind_) {
    case Kind::kError:
      return "<error>";
    case Kind::kBool:
      return "Bool";
    case Kind::kInt:
      return "Int";
    case Kind::kBytes:
      return "Bytes";
    case Kind::kIp:
      return "Ip";
    case Kind::kArray:
      return "Array<" + element().ToString() + ">";
    case Kind::kMap:
      return "Map<" + element().ToString() + ">";
  }
  return "<unknown>";
}

bool operator==(const Type& a, const Type& b) {
  if (a.kind_ != b.kind_) return false;
  if (!a.is_container()) return true;
  return a.element() == b.element();
}

}  // namespace gatehouse::rules

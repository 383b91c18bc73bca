#include "rules/value.h"

#include "absl/strings/escaping.h"
#include "rules/ip_address.h"
#include "rules/strings.h"

namespace gatehouse::rules {

void AppendToMultiMap(Value::Map& map, std::string key, std::string value) {
  for (auto& [k, v] : map) {
    if (k == key) {
      std::get<Value::Array>(v.data).push_back(Value::Bytes(std::move(value)));
      return;
    }
  }
  Value::Array values;
  values.push_back(Value::Bytes(std::move(value)));
  map.emplace_back(std::move(key), Value::MakeArray(std::move(values)));
}

std::string ValueToString(const Value& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "missing"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return Cat(i); }
    std::string operator()(const std::string& s) const {
      return Cat("\"", absl::CHexEscape(s), "\"");
    }
    std::string operator()(const IpAddress& ip) const { return FormatIpAddress(ip); }
    std::string operator()(const Value::Array& a) const {
      std::string out = "[";
      for (size_t i = 0; i < a.size(); ++i) Append(&out, i ? ", " : "", ValueToString(a[i]));
      return out + "]";
    }
    std::string operator()(const Value::Map& m) const {
      std::string out = "{";
      for (size_t i = 0; i < m.size(); ++i) {
        Append(&out, i ? ", " : "", "\"", absl::CHexEscape(m[i].first), "\": ",
                        ValueToString(m[i].second));
      }
      return out + "}";
    }
  };
  return std::visit(Visitor{}, value.data);
}

}  // namespace gatehouse::rules

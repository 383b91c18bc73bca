#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rules/request_data.h"

namespace gatehouse::rules {

// A runtime value of the reference interpreter. The empty state is "missing" (an absent header,
// an index out of range, a failed decode): every comparison with a missing value is false.
struct Value {
  using Array = std::vector<Value>;
  // Keys are unique and kept in first-seen order.
  using Map = std::vector<std::pair<std::string, Value>>;

  std::variant<std::monostate, bool, int64_t, std::string, IpAddress, Array, Map> data;

  static Value Missing() { return Value(); }
  static Value Bool(bool b) { return Value{b}; }
  static Value Int(int64_t i) { return Value{i}; }
  static Value Bytes(std::string s) { return Value{std::move(s)}; }
  static Value Ip(const IpAddress& ip) { return Value{ip}; }
  static Value MakeArray(Array a) { return Value{std::move(a)}; }
  static Value MakeMap(Map m) { return Value{std::move(m)}; }

  bool is_missing() const { return std::holds_alternative<std::monostate>(data); }
  const bool* as_bool() const { return std::get_if<bool>(&data); }
  const int64_t* as_int() const { return std::get_if<int64_t>(&data); }
  const std::string* as_bytes() const { return std::get_if<std::string>(&data); }
  const IpAddress* as_ip() const { return std::get_if<IpAddress>(&data); }
  const Array* as_array() const { return std::get_if<Array>(&data); }
  const Map* as_map() const { return std::get_if<Map>(&data); }

  // True only for a present `true`; missing counts as false.
  bool IsTrue() const {
    const bool* b = as_bool();
    return b != nullptr && *b;
  }
};

// Appends `value` under `key`, creating the key's array if needed (Map<Array<Bytes>> builders).
void AppendToMultiMap(Value::Map& map, std::string key, std::string value);

// Debug rendering: "missing", "true", "42", "\"abc\"", "[...]", "{k: v}".
std::string ValueToString(const Value& value);

}  // namespace gatehouse::rules

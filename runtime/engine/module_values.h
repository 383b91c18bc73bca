#pragma once

#include <any>
#include <atomic>
#include <cstddef>
#include <vector>

namespace gatehouse::runtime {

// A per-request slot for each module value type. Modules exchange data only through these,
// and only where their phases declare it (module_api.h): one phase writes a value, later
// phases read it.
class ModuleValues {
 public:
  // A small integer per value type, assigned on first use.
  template <typename T>
  static size_t KeyOf() {
    static const size_t key = next_key_++;
    return key;
  }

  template <typename T>
  void Set(T value) {
    Slot(KeyOf<T>()) = std::move(value);
  }

  // Null when no earlier phase wrote it for this request.
  template <typename T>
  const T* Get() const {
    const size_t key = KeyOf<T>();
    return key < slots_.size() ? std::any_cast<T>(&slots_[key]) : nullptr;
  }

 private:
  std::any& Slot(size_t key) {
    if (slots_.size() <= key) slots_.resize(key + 1);
    return slots_[key];
  }

  static inline std::atomic<size_t> next_key_{0};
  std::vector<std::any> slots_;
};

}  // namespace gatehouse::runtime

#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::waf {

// The transaction's TX collection for one request. Starts from the program's initial values (a
// sorted list the program owns, never copied) plus the zone's settings; writes go to an overlay,
// so a request that sets nothing costs nothing. Names are lower case (TX names ignore case).
class TxStore {
 public:
  using Variable = std::pair<std::string, std::string>;

  // `initial` sorted by name; `zone` (a few names, any order) overrides it. Both must outlive
  // the store's use; neither is copied.
  void Reset(const std::vector<Variable>* initial, const std::vector<Variable>* zone = nullptr);

  // Find's initial_index when the caller does not know it.
  static constexpr int32_t kSearchInitial = -2;

  // nullptr when unset.
  const std::string* Find(std::string_view name) const;
  // The same for a name the caller knows to be initial variable `initial_index` (an index into
  // `initial`, or -1 for a name that is not initial): no search of the initial variables.
  // kSearchInitial searches them.
  const std::string* Find(std::string_view name, int32_t initial_index) const;
  void Set(std::string_view name, std::string_view value);
  void Delete(std::string_view name);

  // The variables a selector picks, in name order for the initial ones then the overlay's order:
  // fn(std::string_view name, std::string_view value). `initial_selected` holds the indices of
  // the initial variables the selector matches (known when the program is linked); `matches`
  // tests the names of the zone's and the overlay's.
  template <typename Matches, typename Fn>
  void ForEachSelected(std::span<const uint32_t> initial_selected, Matches&& matches,
                       Fn&& fn) const {
    for (const Variable& variable : *zone_) {
      if (matches(variable.first) && OverlayIndex(variable.first) < 0) {
        fn(variable.first, variable.second);
      }
    }
    for (const uint32_t index : initial_selected) {
      const Variable& variable = (*initial_)[index];
      if (OverlayIndex(variable.first) < 0 && ZoneValue(variable.first) == nullptr) {
        fn(variable.first, variable.second);
      }
    }
    for (size_t i = 0; i < overlay_size_; ++i) {
      if (!overlay_[i].deleted && matches(overlay_[i].name)) {
        fn(overlay_[i].name, overlay_[i].value);
      }
    }
  }

 private:
  struct Overlay {
    std::string name;
    std::string value;
    bool deleted = false;
  };
  int OverlayIndex(std::string_view name) const;
  const std::string* ZoneValue(std::string_view name) const;
  int32_t InitialIndex(std::string_view name) const;
  Overlay& Slot(std::string_view name);

  static const std::vector<Variable> kEmpty;
  const std::vector<Variable>* initial_ = &kEmpty;
  const std::vector<Variable>* zone_ = &kEmpty;
  // Small: CRS writes a few dozen variables per request at most, so a linear scan wins.
  std::vector<Overlay> overlay_;
  size_t overlay_size_ = 0;
};

}  // namespace gatehouse::waf

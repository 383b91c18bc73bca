#include "waf/tx_store.h"

#include <algorithm>

namespace gatehouse::waf {

const std::vector<TxStore::Variable> TxStore::kEmpty;

void TxStore::Reset(const std::vector<Variable>* initial, const std::vector<Variable>* zone) {
  initial_ = initial != nullptr ? initial : &kEmpty;
  zone_ = zone != nullptr ? zone : &kEmpty;
  // Keep the overlay's strings for their capacity; only the live size goes back to zero.
  overlay_size_ = 0;
}

int TxStore::OverlayIndex(std::string_view name) const {
  for (size_t i = 0; i < overlay_size_; ++i) {
    if (overlay_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

TxStore::Overlay& TxStore::Slot(std::string_view name) {
  if (int index = OverlayIndex(name); index >= 0) return overlay_[index];
  if (overlay_size_ == overlay_.size()) overlay_.emplace_back();
  Overlay& slot = overlay_[overlay_size_++];
  slot.name.assign(name);
  return slot;
}

const std::string* TxStore::ZoneValue(std::string_view name) const {
  for (const Variable& variable : *zone_) {
    if (variable.first == name) return &variable.second;
  }
  return nullptr;
}

const std::string* TxStore::Find(std::string_view name) const { return Find(name, kSearchInitial); }

const std::string* TxStore::Find(std::string_view name, int32_t initial_index) const {
  if (int index = OverlayIndex(name); index >= 0) {
    return overlay_[index].deleted ? nullptr : &overlay_[index].value;
  }
  if (const std::string* value = ZoneValue(name)) return value;
  if (initial_index == kSearchInitial) initial_index = InitialIndex(name);
  return initial_index >= 0 ? &(*initial_)[static_cast<size_t>(initial_index)].second : nullptr;
}

int32_t TxStore::InitialIndex(std::string_view name) const {
  auto it = std::lower_bound(initial_->begin(), initial_->end(), name,
                             [](const Variable& v, std::string_view n) { return v.first < n; });
  return it != initial_->end() && it->first == name ? static_cast<int32_t>(it - initial_->begin())
                                                    : -1;
}

void TxStore::Set(std::string_view name, std::string_view value) {
  Overlay& slot = Slot(name);
  slot.value.assign(value);  // the slot's memory is kept from request to request
  slot.deleted = false;
}

void TxStore::Delete(std::string_view name) {
  Overlay& slot = Slot(name);
  slot.value.clear();
  slot.deleted = true;
}

}  // namespace gatehouse::waf

#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <unordered_map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse {

// FNV-1a, 64 bits: the same on every platform and in every process, unlike std::hash. It picks
// a name's shard in a ShardedMap, and so a zone's bucket in the snapshot content hash
// (common/content_hash.h), on which the control plane, gatectl and proxies must agree.
constexpr uint64_t StableNameHash(std::string_view name) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// StableNameHash as a hasher that also looks up by std::string_view.
struct StableNameHasher {
  using is_transparent = void;
  size_t operator()(std::string_view name) const { return StableNameHash(name); }
};

// An immutable map from names to V that shares structure with the map it was edited from. The
// names are spread over kShards shards by StableNameHash; each shard is an immutable hash map
// held by shared_ptr. A copy copies kShards pointers; an edit copies only the shards it touches.
// So a snapshot that differs from the one before in one zone costs one shard's copy, never a
// copy of every zone (the founding design's first invariant). A lookup is one hash and one
// probe, as in one big hash map. Iteration goes shard by shard, in no particular order within
// a shard; Sorted() lists the entries in name order.
//
// Any number of threads may read one map; a map is made (or changed into a new one) only
// through an Editor.
template <typename V>
class ShardedMap {
 public:
  static constexpr size_t kShards = 256;
  using Shard = std::unordered_map<std::string, V, StableNameHasher, std::equal_to<>>;
  using value_type = typename Shard::value_type;

  static size_t ShardOf(std::string_view name) { return StableNameHash(name) % kShards; }

  class Editor;
  class const_iterator;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  const V* Find(std::string_view name) const {
    const Shard* shard = shards_[ShardOf(name)].get();
    if (shard == nullptr) return nullptr;
    const auto it = shard->find(name);
    return it == shard->end() ? nullptr : &it->second;
  }
  size_t count(std::string_view name) const { return Find(name) != nullptr ? 1 : 0; }
  // Throws std::out_of_range when absent (as std::map::at).
  const V& at(std::string_view name) const {
    const V* value = Find(name);
    if (value == nullptr) throw std::out_of_range("ShardedMap::at: no such name");
    return *value;
  }

  // Shard `index`, null when empty.
  const Shard* shard(size_t index) const { return shards_[index].get(); }
  // Whether `other` holds the very same shard `index` (then the two maps' entries there are
  // equal, without a look at them).
  bool SameShard(const ShardedMap& other, size_t index) const {
    return shards_[index] == other.shards_[index];
  }

  // Every entry, in name order: O(n log n), for what lists zones by name (a full snapshot).
  std::vector<const value_type*> Sorted() const {
    std::vector<const value_type*> out;
    out.reserve(size_);
    for (const value_type& entry : *this) out.push_back(&entry);
    std::sort(out.begin(), out.end(),
              [](const value_type* a, const value_type* b) { return a->first < b->first; });
    return out;
  }

  // The values of the shards no other map shares (a shard's use count of one is exact: no one
  // can take a reference to it without holding one). With them, an owner that goes away can
  // release what only it holds in an order of its choosing rather than shard by shard.
  std::vector<V> UnsharedValues() const {
    std::vector<V> out;
    for (const auto& shard : shards_) {
      if (shard == nullptr || shard.use_count() != 1) continue;
      for (const auto& [name, value] : *shard) out.push_back(value);
    }
    return out;
  }

  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, kShards); }

 private:
  std::array<std::shared_ptr<const Shard>, kShards> shards_;
  size_t size_ = 0;
};

template <typename V>
class ShardedMap<V>::const_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = typename ShardedMap<V>::value_type;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  const_iterator() = default;

  reference operator*() const { return *it_; }
  pointer operator->() const { return &*it_; }
  const_iterator& operator++() {
    ++it_;
    if (it_ == map_->shards_[shard_]->end()) {
      ++shard_;
      SkipEmpty();
    }
    return *this;
  }
  const_iterator operator++(int) {
    const_iterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const const_iterator& a, const const_iterator& b) {
    return a.shard_ == b.shard_ && (a.shard_ >= kShards || a.it_ == b.it_);
  }

 private:
  friend class ShardedMap<V>;
  const_iterator(const ShardedMap* map, size_t shard) : map_(map), shard_(shard) { SkipEmpty(); }
  // Moves to the first entry of the first non-empty shard from shard_ on.
  void SkipEmpty() {
    while (shard_ < kShards &&
           (map_->shards_[shard_] == nullptr || map_->shards_[shard_]->empty())) {
      ++shard_;
    }
    if (shard_ < kShards) it_ = map_->shards_[shard_]->begin();
  }

  const ShardedMap* map_ = nullptr;
  size_t shard_ = kShards;
  typename Shard::const_iterator it_;
};

// Makes a new map from an old one (or from nothing): the old map's shards are shared until a
// change touches one, which is then copied once. The old map is never changed.
template <typename V>
class ShardedMap<V>::Editor {
 public:
  Editor() = default;
  explicit Editor(const ShardedMap& base) : map_(base) {}

  const V* Find(std::string_view name) const {
    const size_t index = ShardOf(name);
    const Shard* shard = owned_[index] != nullptr ? owned_[index].get() : map_.shards_[index].get();
    if (shard == nullptr) return nullptr;
    const auto it = shard->find(name);
    return it == shard->end() ? nullptr : &it->second;
  }
  // The value of `name` to change in place; null when absent (then nothing is copied).
  V* FindMutable(std::string_view name) {
    const size_t index = ShardOf(name);
    if (owned_[index] == nullptr && Find(name) == nullptr) return nullptr;
    Shard& shard = Mutable(index);
    const auto it = shard.find(name);
    return it == shard.end() ? nullptr : &it->second;
  }
  // The value of `name`, and whether it was absent (then it is now `value`).
  std::pair<V*, bool> TryEmplace(std::string_view name, V value) {
    Shard& shard = Mutable(ShardOf(name));
    if (const auto it = shard.find(name); it != shard.end()) return {&it->second, false};
    ++map_.size_;
    return {&shard.emplace(std::string(name), std::move(value)).first->second, true};
  }
  // The value of `name`, default-made when absent.
  V& operator[](std::string_view name) { return *TryEmplace(name, V()).first; }
  void Set(std::string name, V value) {
    Shard& shard = Mutable(ShardOf(name));
    if (shard.insert_or_assign(std::move(name), std::move(value)).second) ++map_.size_;
  }
  // Returns whether `name` was there.
  bool Erase(std::string_view name) {
    if (Find(name) == nullptr) return false;
    Shard& shard = Mutable(ShardOf(name));
    shard.erase(shard.find(name));
    --map_.size_;
    return true;
  }

  size_t size() const { return map_.size_; }
  // The shards this editor changed (copied): in the finished map, the only ones that differ
  // from the base's.
  const std::bitset<kShards>& touched() const { return touched_; }

  ShardedMap Finish() && {
    for (size_t i = 0; i < kShards; ++i) {
      if (!touched_[i]) continue;
      if (owned_[i]->empty()) {
        map_.shards_[i] = nullptr;
      } else {
        map_.shards_[i] = std::move(owned_[i]);
      }
      owned_[i] = nullptr;
    }
    return std::move(map_);
  }

 private:
  Shard& Mutable(size_t index) {
    if (owned_[index] == nullptr) {
      owned_[index] = map_.shards_[index] != nullptr
                          ? std::make_shared<Shard>(*map_.shards_[index])
                          : std::make_shared<Shard>();
      touched_.set(index);
    }
    return *owned_[index];
  }

  ShardedMap map_;
  std::array<std::shared_ptr<Shard>, kShards> owned_;
  std::bitset<kShards> touched_;
};

}  // namespace gatehouse

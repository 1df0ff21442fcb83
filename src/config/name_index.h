#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

namespace ccsip::config {

// Finds the first entry of a vector with a given name in constant time (Config::findDn and its
// siblings: the cross-checks of a configuration look up every DN, agent and group mention,
// which a linear search made quadratic: about 10 s for 50,000 DNs and 50,000 agents).
//
// A cache of name -> position built on the first lookup and rebuilt when the vector has another
// size or buffer since; a hit is checked against the entry's name (so an entry renamed in place
// is never returned under its old name). The configuration vectors are appended to by the
// loader and replaced wholesale by a reload. Not for concurrent lookups (one thread owns a
// Config at a time).
template <class T, const std::string T::*Name>
class NameIndex {
 public:
  const T* find(const std::vector<T>& items, std::string_view name) const {
    if (items.data() != data_ || items.size() != size_) rebuild(items);
    auto it = positions_.find(name);
    if (it != positions_.end() && items[it->second].*Name != name) {
      rebuild(items);  // renamed in place since
      it = positions_.find(name);
    }
    return it == positions_.end() ? nullptr : &items[it->second];
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  void rebuild(const std::vector<T>& items) const {
    positions_.clear();
    positions_.reserve(items.size());
    // emplace keeps the first of duplicate names, as a linear search finds it.
    for (std::size_t i = 0; i < items.size(); ++i) positions_.emplace(items[i].*Name, i);
    data_ = items.data();
    size_ = items.size();
  }

  mutable boost::unordered_flat_map<std::string, std::size_t, Hash, std::equal_to<>> positions_;
  mutable const T* data_ = nullptr;
  mutable std::size_t size_ = 0;
};

}  // namespace ccsip::config

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/conn_id.h"

namespace ccsip::routing {

// The calls waiting for agents, one FIFO per agent group (every routing point targeting the
// group shares it). Removal by ConnId is O(1): callers hang up anywhere in the queue. A group
// whose queue empties is forgotten, so nothing outlives its calls.
class CallQueues {
 public:
  // A call already queued is moved. Recalled calls go to the front (they waited already).
  void pushBack(std::string_view group, model::ConnId id);
  void pushFront(std::string_view group, model::ConnId id);
  // False: the call was not queued.
  bool remove(model::ConnId id);

  bool contains(model::ConnId id) const { return index_.contains(id); }
  std::optional<model::ConnId> front(std::string_view group) const;
  // Orders the fronts of several groups: lower = waiting longer (recalled calls first). Only
  // meaningful for a queued call.
  std::int64_t rank(model::ConnId id) const;
  // Group names with a non-empty queue.
  std::vector<std::string> groups() const;
  std::vector<model::ConnId> calls(std::string_view group) const;  // front first
  std::size_t size() const { return index_.size(); }
  std::size_t size(std::string_view group) const;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Place {
    std::string group;
    std::list<model::ConnId>::iterator it;
    std::int64_t rank = 0;
  };
  void insert(std::string_view group, model::ConnId id, bool front);

  std::unordered_map<std::string, std::list<model::ConnId>, StringHash, std::equal_to<>> queues_;
  std::unordered_map<model::ConnId, Place> index_;
  std::int64_t nextBack_ = 1;   // ranks of pushBack: 1, 2, 3...
  std::int64_t nextFront_ = 0;  // ranks of pushFront: 0, -1, -2... (newest recall first)
};

}  // namespace ccsip::routing

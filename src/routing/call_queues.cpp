#include "routing/call_queues.h"

namespace ccsip::routing {

void CallQueues::pushBack(std::string_view group, model::ConnId id) {
  insert(group, id, false);
}

void CallQueues::pushFront(std::string_view group, model::ConnId id) {
  insert(group, id, true);
}

void CallQueues::insert(std::string_view group, model::ConnId id, bool front) {
  remove(id);
  auto it = queues_.find(group);
  if (it == queues_.end())
    it = queues_.emplace(std::string(group), std::list<model::ConnId>{}).first;
  std::list<model::ConnId>& queue = it->second;
  Place place;
  place.group = it->first;
  if (front) {
    queue.push_front(id);
    place.it = queue.begin();
    place.rank = nextFront_--;
  } else {
    queue.push_back(id);
    place.it = std::prev(queue.end());
    place.rank = nextBack_++;
  }
  index_.insert_or_assign(id, std::move(place));
}

bool CallQueues::remove(model::ConnId id) {
  auto placeIt = index_.find(id);
  if (placeIt == index_.end()) return false;
  auto queueIt = queues_.find(placeIt->second.group);
  if (queueIt != queues_.end()) {
    queueIt->second.erase(placeIt->second.it);
    if (queueIt->second.empty()) queues_.erase(queueIt);
  }
  index_.erase(placeIt);
  return true;
}

std::optional<model::ConnId> CallQueues::front(std::string_view group) const {
  auto it = queues_.find(group);
  if (it == queues_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::int64_t CallQueues::rank(model::ConnId id) const {
  auto it = index_.find(id);
  return it == index_.end() ? 0 : it->second.rank;
}

std::vector<std::string> CallQueues::groups() const {
  std::vector<std::string> out;
  out.reserve(queues_.size());
  for (const auto& [group, queue] : queues_) out.push_back(group);
  return out;
}

std::vector<model::ConnId> CallQueues::calls(std::string_view group) const {
  auto it = queues_.find(group);
  if (it == queues_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::size_t CallQueues::size(std::string_view group) const {
  auto it = queues_.find(group);
  return it == queues_.end() ? 0 : it->second.size();
}

}  // namespace ccsip::routing

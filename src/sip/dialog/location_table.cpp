#include "sip/dialog/location_table.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "sip/headers.h"
#include "sip/uri.h"

namespace ccsip::sip::dialog {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Delta-seconds (RFC 3261 25.1), saturating at 2^32-1 like RFC 3261 20.19 allows; nullopt when
// not a number.
std::optional<std::uint32_t> parseSeconds(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min<std::uint64_t>(value * 10 + static_cast<std::uint64_t>(c - '0'),
                                    std::numeric_limits<std::uint32_t>::max());
  }
  return static_cast<std::uint32_t>(value);
}

bool sameContact(const Binding& binding, const ContactUpdate& update) {
  // RFC 5626 4.2 / 6: with an instance and a reg-id on both, they name the binding (a phone
  // whose address changed replaces its old contact instead of adding a second one).
  if (!binding.instanceId.empty() && binding.regId && !update.instanceId.empty() && update.regId) {
    return binding.instanceId == update.instanceId && *binding.regId == *update.regId;
  }
  // RFC 3261 10.3 step 7: contact URIs compare with the URI comparison rules of 19.1.4.
  auto a = parseUri(binding.contact);
  auto b = parseUri(update.uri);
  if (a && b) return uriEquivalent(a.value(), b.value());
  return binding.contact == update.uri;
}

int findContact(const std::vector<Binding>& bindings, const ContactUpdate& update) {
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    if (sameContact(bindings[i], update)) return static_cast<int>(i);
  }
  return -1;
}

void sortBindings(std::vector<Binding>& bindings) {
  std::stable_sort(bindings.begin(), bindings.end(), [](const Binding& a, const Binding& b) {
    const int qa = a.q.value_or(1000);
    const int qb = b.q.value_or(1000);
    if (qa != qb) return qa > qb;
    return a.updatedAt > b.updatedAt;
  });
}

util::Error stale() {
  // RFC 3261 10.3 step 7: an out-of-order REGISTER of the same UA fails.
  return util::makeError(500, "Server Internal Error");
}

}  // namespace

LocationTable::LocationTable(util::TimerService& timers, LocationOptions options,
                             RegistrationHandler* handler)
    : timers_(timers), options_(options), handler_(handler) {
  scheduleSweep();
}

LocationTable::~LocationTable() {
  if (sweepTimer_) timers_.cancel(*sweepTimer_);
}

void LocationTable::scheduleSweep() {
  if (options_.sweepInterval <= util::Duration::zero()) return;
  sweepTimer_ = timers_.schedule(options_.sweepInterval, [this] {
    sweepTimer_.reset();
    sweep();
    scheduleSweep();
  });
}

util::Result<RegistrationUpdate> LocationTable::parseRegistration(
    const sip::Message& request, const transport::Peer& source) const {
  RegistrationUpdate out;
  out.callId = std::string(request.callId());
  out.cseq = request.cseq().number;
  out.source = source;

  bool wildcard = false;
  std::size_t items = 0;
  std::vector<NameAddr> contacts;
  for (const HeaderField& field : request.headers()) {
    if (field.id == HeaderId::Other && iequals(field.name, "Path")) {
      for (std::string_view value : splitList(field.value)) out.path.emplace_back(trim(value));
      continue;
    }
    if (field.id != HeaderId::Contact) continue;
    for (std::string_view item : splitList(field.value)) {
      item = trim(item);
      if (item.empty()) continue;
      ++items;
      if (item == "*") {
        wildcard = true;
        continue;
      }
      auto parsed = parseNameAddr(item);
      if (!parsed) return util::makeError(400, "Bad Contact");
      if (parsed->wildcard) {
        wildcard = true;
        continue;
      }
      contacts.push_back(parsed.value());
    }
  }

  if (wildcard) {
    // RFC 3261 10.3 step 6: "*" only alone and only with Expires: 0.
    if (items != 1) return util::makeError(400, "Contact * must be alone");
    if (!request.expires() || *request.expires() != 0) {
      return util::makeError(400, "Contact * requires Expires: 0");
    }
    out.removeAll = true;
    return out;
  }

  for (const NameAddr& contact : contacts) {
    ContactUpdate update;
    update.uri = std::string(contact.uri.text);
    // RFC 3261 10.2.1.1 / 10.3 step 7: the contact's expires param, else the Expires header,
    // else the registrar's default. A malformed value counts as absent (20.19).
    std::optional<std::uint32_t> seconds;
    if (auto param = contact.param("expires")) seconds = parseSeconds(*param);
    if (!seconds) seconds = request.expires();
    std::chrono::seconds expires =
        seconds ? std::chrono::seconds(*seconds) : options_.defaultExpires;
    if (expires.count() > 0 && expires < options_.minExpires) {
      return util::makeError(423, "Interval Too Brief");
    }
    update.expires = std::min(expires, options_.maxExpires);
    if (auto q = contact.param("q")) update.q = parseQValue(trim(*q));
    if (auto instance = contact.param("+sip.instance")) update.instanceId = std::string(*instance);
    if (auto regId = contact.param("reg-id")) update.regId = parseSeconds(*regId);
    out.contacts.push_back(std::move(update));
  }
  return out;
}

void LocationTable::purgeExpired(const std::string& aor, std::vector<Binding>& bindings,
                                 std::vector<Event>& events) {
  const util::TimePoint now = timers_.now();
  auto expired = std::stable_partition(bindings.begin(), bindings.end(),
                                       [now](const Binding& b) { return b.expiresAt > now; });
  for (auto it = expired; it != bindings.end(); ++it) {
    events.push_back({.aor = aor, .binding = std::move(*it), .reason = UnregisterReason::Expired});
  }
  bindings.erase(expired, bindings.end());
}

void LocationTable::notify(const std::vector<Event>& events) {
  if (handler_ == nullptr) return;
  for (const Event& event : events) {
    if (!event.registered) {
      handler_->onUnregistered(event.aor, event.binding, event.reason);
    } else if (event.refreshed) {
      handler_->onRefreshed(event.aor, event.binding);
    } else {
      handler_->onRegistered(event.aor, event.binding);
    }
  }
}

util::Result<std::vector<Binding>> LocationTable::apply(std::string_view aor,
                                                        const RegistrationUpdate& update) {
  const std::string key(aor);
  std::vector<Event> events;
  auto it = table_.find(key);
  std::vector<Binding> current;
  if (it != table_.end()) {
    purgeExpired(key, it->second, events);
    current = it->second;
  }
  // A failed request changes nothing, but the purge of expired bindings above stands.
  auto fail = [&](util::Error error) -> util::Result<std::vector<Binding>> {
    if (it != table_.end() && it->second.empty()) table_.erase(it);
    notify(events);
    return error;
  };

  // Pass 1 (RFC 3261 10.3 step 7: all updates or none): the Call-ID / CSeq ordering rule
  // against the bindings as they were before this request.
  if (update.removeAll) {
    for (const Binding& binding : current) {
      if (binding.callId == update.callId && update.cseq <= binding.cseq) {
        return fail(stale());
      }
    }
  } else {
    for (const ContactUpdate& contact : update.contacts) {
      const int index = findContact(current, contact);
      if (index < 0) continue;
      const Binding& binding = current[static_cast<std::size_t>(index)];
      if (binding.callId == update.callId && update.cseq <= binding.cseq) {
        return fail(stale());
      }
    }
  }

  // Pass 2: build the new list.
  const util::TimePoint now = timers_.now();
  std::vector<Event> changes;
  std::vector<Binding> next = current;
  if (update.removeAll) {
    for (Binding& binding : next) {
      changes.push_back({.aor = key, .binding = std::move(binding)});
    }
    next.clear();
  }
  for (const ContactUpdate& contact : update.contacts) {
    const int index = findContact(next, contact);
    if (contact.expires.count() == 0) {
      if (index >= 0) {
        changes.push_back({.aor = key, .binding = next[static_cast<std::size_t>(index)]});
        next.erase(next.begin() + index);
      }
      continue;
    }
    Binding fresh;
    if (index >= 0) fresh = next[static_cast<std::size_t>(index)];
    fresh.contact = contact.uri;
    fresh.expiresAt = now + contact.expires;
    fresh.q = contact.q;
    fresh.callId = update.callId;
    fresh.cseq = update.cseq;
    fresh.source = update.source;
    fresh.instanceId = contact.instanceId;
    fresh.regId = contact.regId;
    fresh.path = update.path;
    fresh.updatedAt = now;
    changes.push_back({.registered = true, .refreshed = index >= 0, .aor = key, .binding = fresh});
    if (index >= 0) {
      next[static_cast<std::size_t>(index)] = std::move(fresh);
    } else {
      next.push_back(std::move(fresh));
    }
  }

  if (next.size() > current.size() && next.size() > options_.maxBindingsPerAor) {
    return fail(util::makeError(503, "Too Many Registered Contacts"));
  }
  if (it == table_.end() && !next.empty() && table_.size() >= options_.maxAors) {
    return fail(util::makeError(503, "Registrar Full"));
  }

  // Commit.
  if (next.empty()) {
    if (it != table_.end()) table_.erase(it);
  } else if (it != table_.end()) {
    it->second = next;
  } else {
    table_.emplace(key, next);
  }
  events.insert(events.end(), std::make_move_iterator(changes.begin()),
                std::make_move_iterator(changes.end()));
  notify(events);
  sortBindings(next);
  return next;
}

std::vector<Binding> LocationTable::lookup(std::string_view aor) {
  const std::string key(aor);
  auto it = table_.find(key);
  if (it == table_.end()) return {};
  std::vector<Event> events;
  purgeExpired(key, it->second, events);
  std::vector<Binding> out = it->second;
  if (out.empty()) table_.erase(it);
  notify(events);
  sortBindings(out);
  return out;
}

bool LocationTable::removeAor(std::string_view aor) {
  auto it = table_.find(std::string(aor));
  if (it == table_.end()) return false;
  std::vector<Event> events;
  for (Binding& binding : it->second) {
    events.push_back(
        {.aor = it->first, .binding = std::move(binding), .reason = UnregisterReason::Removed});
  }
  table_.erase(it);
  notify(events);
  return true;
}

std::size_t LocationTable::sweep() {
  std::vector<Event> events;
  for (auto it = table_.begin(); it != table_.end();) {
    purgeExpired(it->first, it->second, events);
    if (it->second.empty()) {
      it = table_.erase(it);
    } else {
      ++it;
    }
  }
  // Handlers run after the walk: they may look AORs up (which would disturb the iteration).
  notify(events);
  return events.size();
}

std::size_t LocationTable::bindingCount() const {
  std::size_t count = 0;
  for (const auto& [aor, bindings] : table_) count += bindings.size();
  return count;
}

}  // namespace ccsip::sip::dialog

#include "sip/dialog/user_agent_core.h"

#include <algorithm>
#include <cctype>

#include "sip/dialog/invite_session.h"
#include "sip/dialog/notifier.h"
#include "sip/dialog/subscription.h"
#include "sip/dialog/subscription_state.h"
#include "sip/serializer.h"

namespace ccsip::sip::dialog {
namespace {

template <class V>
void eraseValue(std::vector<V>& values, const V& value) {
  values.erase(std::remove(values.begin(), values.end(), value), values.end());
}

util::Random makeRandom(const std::optional<std::uint64_t>& seed) {
  return seed ? util::Random(*seed) : util::Random();
}

}  // namespace

UserAgentCore::UserAgentCore(txn::TransactionLayer& layer, util::TimerService& timers,
                             UserAgentCoreOptions options)
    : layer_(layer),
      timers_(timers),
      options_(std::move(options)),
      random_(makeRandom(options_.randomSeed)) {}

UserAgentCore::~UserAgentCore() {
  if (reapTimer_ != 0) timers_.cancel(reapTimer_);
  for (const auto& txn : detached_) txn.detach();
  // Usages detach their own transactions and cancel their timers in their destructors; an
  // application still holding one keeps an inert object that must not be used any more.
  for (auto& [usage, entry] : usages_) usage->shutdown();
  for (auto& usage : graveyard_) usage->shutdown();
  dialogs_.clear();
  dialogSets_.clear();
  serverInvites_.clear();
  graveyard_.clear();
  usages_.clear();
}

template <class T, class... Args>
std::shared_ptr<T> UserAgentCore::adopt(Args&&... args) {
  auto usage = std::make_shared<T>(std::forward<Args>(args)...);
  usages_.emplace(usage.get(), Entry{usage, {}, {}, {}});
  return usage;
}

UserAgentCore::Entry* UserAgentCore::entryOf(DialogUsage& usage) {
  auto it = usages_.find(&usage);
  return it == usages_.end() ? nullptr : &it->second;
}

std::shared_ptr<InviteSession> UserAgentCore::invite(const InviteSessionOptions& options,
                                                     InviteSessionHandler& handler) {
  auto session = adopt<InviteSession>(*this, InviteSession::Role::Uac);
  session->setHandler(handler);
  if (!session->startUac(options)) {
    forget(*session);
    return nullptr;
  }
  return session;
}

std::shared_ptr<ClientSubscription> UserAgentCore::subscribe(const SubscriptionOptions& options,
                                                             ClientSubscriptionHandler& handler) {
  auto subscription = adopt<ClientSubscription>(*this, handler);
  if (!subscription->start(options)) {
    forget(*subscription);
    return nullptr;
  }
  return subscription;
}

// --- registrations

void UserAgentCore::registerDialog(const DialogId& id, DialogUsage& usage) {
  Entry* entry = entryOf(usage);
  if (entry == nullptr) return;
  auto [it, inserted] = dialogs_.emplace(id, &usage);
  const DialogId* key = &it->first;
  if (!inserted) {
    if (it->second == &usage) return;
    // Another usage held this id (cannot happen with fresh tags): the newest wins.
    if (Entry* other = entryOf(*it->second)) eraseValue(other->dialogs, key);
    it->second = &usage;
  }
  entry->dialogs.push_back(key);
}

void UserAgentCore::unregisterDialog(const DialogId& id) {
  auto it = dialogs_.find(id);
  if (it == dialogs_.end()) return;
  if (Entry* entry = entryOf(*it->second)) eraseValue(entry->dialogs, &it->first);
  dialogs_.erase(it);
}

void UserAgentCore::registerDialogSet(const std::string& callId, const std::string& localTag,
                                      DialogUsage& usage) {
  Entry* entry = entryOf(usage);
  if (entry == nullptr) return;
  auto [it, inserted] = dialogSets_.try_emplace(DialogSetKey(callId, localTag), &usage);
  const DialogSetKey* key = &it->first;
  if (!inserted) {
    if (it->second == &usage) return;
    if (Entry* other = entryOf(*it->second)) eraseValue(other->dialogSets, key);
    it->second = &usage;
  }
  entry->dialogSets.push_back(key);
}

void UserAgentCore::unregisterDialogSet(const std::string& callId, const std::string& localTag) {
  auto it = dialogSets_.find(DialogSetKey(callId, localTag));
  if (it == dialogSets_.end()) return;
  if (Entry* entry = entryOf(*it->second)) eraseValue(entry->dialogSets, &it->first);
  dialogSets_.erase(it);
}

void UserAgentCore::registerServerInvite(const txn::ServerTransactionHandle& txn,
                                         DialogUsage& usage) {
  Entry* entry = entryOf(usage);
  if (entry == nullptr) return;
  serverInvites_[txn.id()] = &usage;
  entry->serverInvites.push_back(txn.id());
}

void UserAgentCore::unregisterServerInvite(const txn::ServerTransactionHandle& txn) {
  auto it = serverInvites_.find(txn.id());
  if (it == serverInvites_.end()) return;
  if (Entry* entry = entryOf(*it->second)) eraseValue(entry->serverInvites, txn.id());
  serverInvites_.erase(it);
}

void UserAgentCore::retire(DialogUsage& usage) {
  Entry* entry = entryOf(usage);
  if (entry == nullptr) return;
  // Erased through iterators: the keys point into the nodes being erased.
  for (const DialogId* id : entry->dialogs) {
    if (auto it = dialogs_.find(*id); it != dialogs_.end()) dialogs_.erase(it);
  }
  for (const DialogSetKey* key : entry->dialogSets) {
    if (auto it = dialogSets_.find(*key); it != dialogSets_.end()) dialogSets_.erase(it);
  }
  for (std::uint64_t id : entry->serverInvites) serverInvites_.erase(id);
  entry->dialogs = {};
  entry->dialogSets = {};
  entry->serverInvites.clear();
  if (!usage.hasLiveClientTransactions()) release(usage);
}

void UserAgentCore::release(DialogUsage& usage) {
  auto it = usages_.find(&usage);
  if (it == usages_.end()) return;
  // Freed from a timer, never inside a callback the usage (or the layer) is still running.
  graveyard_.push_back(std::move(it->second.usage));
  usages_.erase(it);
  scheduleReap();
}

void UserAgentCore::forget(DialogUsage& usage) {
  retire(usage);
  auto it = usages_.find(&usage);
  if (it != usages_.end()) {
    graveyard_.push_back(std::move(it->second.usage));
    usages_.erase(it);
    scheduleReap();
  }
}

void UserAgentCore::scheduleReap() {
  if (reapTimer_ != 0) return;
  reapTimer_ = timers_.defer([this] {
    reapTimer_ = 0;
    auto dead = std::move(graveyard_);
    graveyard_.clear();
  });
}

DialogUsage* UserAgentCore::findDialog(const DialogId& id) const {
  auto it = dialogs_.find(id);
  return it == dialogs_.end() ? nullptr : it->second;
}

// --- responses and detached requests

void UserAgentCore::respond(const txn::ServerTransactionHandle& txn, const Message& request,
                            int status) {
  std::string tag;
  if (request.to().tag.empty() && status > 100) tag = random_.tag();
  Message response = sip::makeResponse(request, status, defaultReasonPhrase(status), tag);
  if (status == 405 || status == 501) response.addHeader(HeaderId::Allow, options_.allow);
  txn.respond(std::move(response));
}

void UserAgentCore::sendDetached(Message request) {
  auto hop = nextHopOf(request);
  if (!hop) return;
  if (!options_.userAgent.empty()) request.addHeader(HeaderId::UserAgent, options_.userAgent);
  auto txn = layer_.sendRequest(std::move(request), *hop, *this);
  if (txn.valid()) detached_.push_back(txn);
}

void UserAgentCore::onTerminated(const txn::ClientTransactionHandle& txn) {
  eraseValue(detached_, txn);
}

void UserAgentCore::ackAndByeUnwanted(const Message& response) {
  auto dialog = Dialog::createUacFromResponse(response, options_.contact);
  if (!dialog) return;
  Message ack = dialog->makeAck(response.cseq().number);
  if (auto hop = nextHopOf(ack)) layer_.sendStateless(ack, *hop);
  sendDetached(dialog->makeRequest(Method::Bye));
}

// --- txn::TransactionUser

void UserAgentCore::onRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                              const transport::Peer& from) {
  if (!request.to().tag.empty()) {
    dispatchInDialog(txn, request, from);
    return;
  }
  switch (request.method()) {
    case Method::Invite:
      newSession(txn, request, from);
      return;
    case Method::Subscribe:
      if (options_.subscriptions != nullptr) {
        newSubscription(txn, request, from);
        return;
      }
      break;
    case Method::Bye:
    case Method::Update:
    case Method::Prack:
    case Method::Info:
      // RFC 3261 15.1.2 (BYE) and its kin only exist within a dialog.
      respond(txn, request, 481);
      return;
    default:
      break;
  }
  if (options_.requests != nullptr) {
    options_.requests->onRequest(txn, request, from);
  } else {
    respond(txn, request, 405);
  }
}

void UserAgentCore::dispatchInDialog(const txn::ServerTransactionHandle& txn,
                                     const Message& request, const transport::Peer& from) {
  if (DialogUsage* usage = findDialog(dialogIdOfReceivedRequest(request))) {
    auto keep = usage->shared_from_this();
    usage->onDialogRequest(txn, request, from);
    return;
  }
  auto set = dialogSets_.find({std::string(request.callId()), std::string(request.to().tag)});
  if (set != dialogSets_.end()) {
    auto keep = set->second->shared_from_this();
    set->second->onDialogSetRequest(txn, request, from);
    return;
  }
  // RFC 3261 12.2.2: a request with a To tag that matches no dialog.
  respond(txn, request, 481);
}

void UserAgentCore::newSession(const txn::ServerTransactionHandle& txn, const Message& request,
                               const transport::Peer& from) {
  if (options_.sessions == nullptr) {
    respond(txn, request, 480);
    return;
  }
  auto session = adopt<InviteSession>(*this, InviteSession::Role::Uas);
  session->startUas(txn, request, from);
  if (session->terminated()) return;  // answered 400 already
  InviteSessionHandler* handler = options_.sessions->onNewSession(session, request);
  if (session->terminated()) return;
  if (handler == nullptr) {
    session->reject(480);
    return;
  }
  session->setHandler(*handler);
  session->announceUas();
}

void UserAgentCore::newSubscription(const txn::ServerTransactionHandle& txn, const Message& request,
                                    const transport::Peer& from) {
  const std::string_view eventName = eventPackageName(request.headerValue(HeaderId::Event));
  const EventPackage* package = nullptr;
  for (const EventPackage& candidate : options_.notifierPackages) {
    if (equalsIgnoreCase(candidate.name, eventName)) package = &candidate;
  }
  if (package == nullptr) {
    // RFC 6665 4.2.1.2: unknown package -> 489 with Allow-Events.
    Message response = sip::makeResponse(request, 489, "Bad Event", random_.tag());
    std::string allowEvents;
    for (const EventPackage& p : options_.notifierPackages) {
      if (!allowEvents.empty()) allowEvents += ", ";
      allowEvents += p.name;
    }
    if (!allowEvents.empty()) response.addHeader("Allow-Events", allowEvents);
    txn.respond(std::move(response));
    return;
  }
  auto subscription = adopt<ServerSubscription>(*this, *package);
  if (!subscription->start(txn, request, from)) return;  // answered (423, 400) and retired
  ServerSubscriptionHandler* handler =
      options_.subscriptions->onNewSubscription(subscription, request);
  if (subscription->terminated() || subscription->answered()) {
    if (handler != nullptr) subscription->setHandler(*handler);
    return;
  }
  if (handler == nullptr) {
    subscription->reject(403);
    return;
  }
  subscription->setHandler(*handler);
}

void UserAgentCore::onAck(const Message& ack, const transport::Peer& from,
                          const txn::ServerTransactionHandle&) {
  if (DialogUsage* usage = findDialog(dialogIdOfReceivedRequest(ack))) {
    auto keep = usage->shared_from_this();
    usage->onDialogAck(ack, from);
  }
  // RFC 3261 17.2.3: an ACK matching nothing is dropped.
}

void UserAgentCore::onCancel(const txn::ServerTransactionHandle& invite, const Message& cancel) {
  DialogUsage* usage = nullptr;
  if (auto it = serverInvites_.find(invite.id()); it != serverInvites_.end()) {
    usage = it->second;
  } else if (!cancel.to().tag.empty()) {
    usage = findDialog(dialogIdOfReceivedRequest(cancel));  // a re-INVITE being cancelled
  }
  if (usage != nullptr) {
    auto keep = usage->shared_from_this();
    usage->onServerCancel(invite);
    return;
  }
  // RFC 3261 9.2: nobody owns the INVITE any more; still, it must end with 487.
  if (const Message* request = invite.request()) respond(invite, *request, 487);
}

void UserAgentCore::onStrayResponse(const Message& response, const transport::Peer& from) {
  if (DialogUsage* usage = findDialog(dialogIdOfReceivedResponse(response))) {
    auto keep = usage->shared_from_this();
    usage->onStrayResponse(response, from);
    return;
  }
  // RFC 3261 13.2.2.4: a 2xx to INVITE that no dialog wants is ACKed and then ended with BYE.
  if (response.cseq().method == Method::Invite && response.statusCode() / 100 == 2) {
    ackAndByeUnwanted(response);
  }
}

void UserAgentCore::onServerTransactionFailure(const txn::ServerTransactionHandle& txn,
                                               txn::TransactionFailure failure) {
  DialogUsage* usage = nullptr;
  if (auto it = serverInvites_.find(txn.id()); it != serverInvites_.end()) {
    usage = it->second;
  } else if (const Message* request = txn.request(); request && !request->to().tag.empty()) {
    usage = findDialog(dialogIdOfReceivedRequest(*request));
  }
  if (usage != nullptr) {
    auto keep = usage->shared_from_this();
    usage->onServerFailure(txn, failure);
  }
}

}  // namespace ccsip::sip::dialog

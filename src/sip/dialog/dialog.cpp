#include "sip/dialog/dialog.h"

#include <algorithm>

namespace ccsip::sip::dialog {
namespace {

// RFC 3261 19.1.1 (table): URI headers ("?a=b") are not allowed in a Request-URI.
std::string requestUriFrom(std::string_view uriText) {
  auto uri = parseUri(uriText);
  if (!uri || uri->headers.empty()) return std::string(uriText);
  const auto cut = static_cast<std::size_t>(uri->headers.data() - uri->text.data());
  return std::string(uri->text.substr(0, cut > 0 ? cut - 1 : 0));
}

std::string withTag(std::string_view nameAddr, std::string_view existingTag, std::string_view tag) {
  std::string out(nameAddr);
  if (existingTag.empty() && !tag.empty()) {
    out += ";tag=";
    out += tag;
  }
  return out;
}

std::vector<std::string> recordRoutes(const Message& message, bool reversed) {
  std::vector<std::string> routes;
  for (const NameAddr& rr : message.recordRoutes()) routes.emplace_back(rr.text);
  if (reversed) std::reverse(routes.begin(), routes.end());
  return routes;
}

}  // namespace

std::string toString(const DialogId& id) {
  return id.callId + ";local=" + id.localTag + ";remote=" + id.remoteTag;
}

bool isTargetRefresh(Method method) {
  switch (method) {
    case Method::Invite:
    case Method::Update:
    case Method::Subscribe:
    case Method::Notify:
    case Method::Refer:
      return true;
    default:
      return false;
  }
}

std::string contactUri(const Message& message) {
  for (const NameAddr& contact : message.contacts()) {
    if (!contact.wildcard && !contact.uri.text.empty()) return std::string(contact.uri.text);
  }
  return {};
}

util::Result<Dialog> Dialog::createUac(const Message& request, const Message& response) {
  if (!response.isResponse() || response.to().tag.empty()) {
    return util::makeError(400, "response without To tag creates no dialog");
  }
  if (response.callId() != request.callId() || response.from().tag != request.from().tag) {
    return util::makeError(400, "response does not belong to the request");
  }
  Dialog d;
  d.role_ = DialogRole::Uac;
  d.state_ = response.statusCode() >= 200 ? DialogState::Confirmed : DialogState::Early;
  d.id_ = DialogId{std::string(request.callId()), std::string(request.from().tag),
                   std::string(response.to().tag)};
  d.localAddress_ = std::string(request.from().text);
  d.remoteAddress_ = withTag(request.to().text, request.to().tag, response.to().tag);
  // RFC 3261 12.1.2: remote target = Contact of the response; route set = Record-Route of the
  // response in reverse order.
  d.remoteTarget_ = contactUri(response);
  if (d.remoteTarget_.empty()) d.remoteTarget_ = std::string(request.requestUri().text);
  d.routeSet_ = recordRoutes(response, /*reversed=*/true);
  d.localContact_ = std::string(request.headerValue(HeaderId::Contact));
  d.localCSeq_ = request.cseq().number;
  return d;
}

util::Result<Dialog> Dialog::createUacFromResponse(const Message& response,
                                                   std::string_view localContact) {
  if (!response.isResponse() || response.to().tag.empty()) {
    return util::makeError(400, "response without To tag creates no dialog");
  }
  Dialog d;
  d.role_ = DialogRole::Uac;
  d.state_ = DialogState::Confirmed;
  d.id_ = DialogId{std::string(response.callId()), std::string(response.from().tag),
                   std::string(response.to().tag)};
  d.localAddress_ = std::string(response.from().text);
  d.remoteAddress_ = std::string(response.to().text);
  d.remoteTarget_ = contactUri(response);
  if (d.remoteTarget_.empty()) return util::makeError(400, "2xx without Contact");
  d.routeSet_ = recordRoutes(response, /*reversed=*/true);
  d.localContact_ = std::string(localContact);
  d.localCSeq_ = response.cseq().number;
  return d;
}

util::Result<Dialog> Dialog::createUas(const Message& request, std::string_view localTag,
                                       std::string_view localContact, bool confirmed) {
  if (!request.isRequest() || localTag.empty()) {
    return util::makeError(400, "a UAS dialog needs a request and a local tag");
  }
  if (!request.to().tag.empty()) {
    return util::makeError(400, "request already within a dialog");
  }
  Dialog d;
  d.role_ = DialogRole::Uas;
  d.state_ = confirmed ? DialogState::Confirmed : DialogState::Early;
  // RFC 3261 12.1.1: a missing From tag is kept as an empty remote tag (RFC 2543 peers).
  d.id_ = DialogId{std::string(request.callId()), std::string(localTag),
                   std::string(request.from().tag)};
  d.localAddress_ = withTag(request.to().text, request.to().tag, localTag);
  d.remoteAddress_ = std::string(request.from().text);
  // RFC 3261 12.1.1: remote target = Contact of the request; route set = Record-Route as
  // received.
  d.remoteTarget_ = contactUri(request);
  if (d.remoteTarget_.empty()) d.remoteTarget_ = std::string(request.from().uri.text);
  d.routeSet_ = recordRoutes(request, /*reversed=*/false);
  d.localContact_ = std::string(localContact);
  d.remoteCSeq_ = request.cseq().number;
  return d;
}

util::Result<Dialog> Dialog::createFromNotify(const Message& subscribe, const Message& notify) {
  if (!notify.isRequest() || notify.from().tag.empty()) {
    return util::makeError(400, "NOTIFY without From tag creates no dialog");
  }
  if (notify.callId() != subscribe.callId() || notify.to().tag != subscribe.from().tag) {
    return util::makeError(400, "NOTIFY does not belong to the SUBSCRIBE");
  }
  Dialog d;
  d.role_ = DialogRole::Uac;
  d.state_ = DialogState::Confirmed;
  d.id_ = DialogId{std::string(subscribe.callId()), std::string(subscribe.from().tag),
                   std::string(notify.from().tag)};
  d.localAddress_ = std::string(subscribe.from().text);
  d.remoteAddress_ = withTag(subscribe.to().text, subscribe.to().tag, notify.from().tag);
  d.remoteTarget_ = contactUri(notify);
  if (d.remoteTarget_.empty()) d.remoteTarget_ = std::string(subscribe.requestUri().text);
  // The NOTIFY is a request received: its Record-Route is used as received (RFC 3261 12.1.1).
  d.routeSet_ = recordRoutes(notify, /*reversed=*/false);
  d.localContact_ = std::string(subscribe.headerValue(HeaderId::Contact));
  d.localCSeq_ = subscribe.cseq().number;
  d.remoteCSeq_ = notify.cseq().number;
  return d;
}

bool Dialog::strictRouting() const {
  if (routeSet_.empty()) return false;
  auto first = parseNameAddr(routeSet_.front());
  return first && !first->uri.hasParam("lr");
}

Message Dialog::makeRequest(Method method) {
  const std::uint32_t cseq = localCSeq_ ? *localCSeq_ + 1 : 1;
  localCSeq_ = cseq;
  return buildRequest(method, cseq);
}

Message Dialog::makeAck(std::uint32_t inviteCSeq) const {
  return buildRequest(Method::Ack, inviteCSeq);
}

Message Dialog::buildRequest(Method method, std::uint32_t cseq) const {
  Message request;
  std::vector<std::string> routes;
  if (strictRouting()) {
    // RFC 3261 12.2.1.1: a strict router gets its URI as the Request-URI; the remote target
    // goes last in the Route set.
    auto first = parseNameAddr(routeSet_.front());
    request = Message::makeRequest(method, requestUriFrom(first->uri.text));
    routes.assign(routeSet_.begin() + 1, routeSet_.end());
    routes.push_back("<" + remoteTarget_ + ">");
  } else {
    request = Message::makeRequest(method, requestUriFrom(remoteTarget_));
    routes = routeSet_;
  }
  for (const std::string& route : routes) request.addHeader(HeaderId::Route, route);
  request.addHeader(HeaderId::MaxForwards, "70");
  request.addHeader(HeaderId::From, localAddress_);
  request.addHeader(HeaderId::To, remoteAddress_);
  request.addHeader(HeaderId::CallId, id_.callId);
  request.addHeader(HeaderId::CSeq, std::to_string(cseq) + " " + std::string(methodName(method)));
  if (isTargetRefresh(method) && !localContact_.empty()) {
    request.addHeader(HeaderId::Contact, localContact_);
  }
  return request;
}

bool Dialog::acceptRemoteCSeq(const Message& request) {
  if (request.method() == Method::Ack || request.method() == Method::Cancel) return true;
  const std::uint32_t number = request.cseq().number;
  if (remoteCSeq_ && number < *remoteCSeq_) return false;
  remoteCSeq_ = number;
  return true;
}

void Dialog::refreshRemoteTarget(const Message& message) {
  std::string target = contactUri(message);
  if (!target.empty()) remoteTarget_ = std::move(target);
}

void Dialog::confirmUac(const Message& response) {
  state_ = DialogState::Confirmed;
  routeSet_ = recordRoutes(response, /*reversed=*/true);
  refreshRemoteTarget(response);
}

}  // namespace ccsip::sip::dialog

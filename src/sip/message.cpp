#include "sip/message.h"

#include <algorithm>
#include <string>

#include "sip/header_parse.h"
#include "sip/message_storage.h"
#include "sip/serializer.h"
#include "sip/syntax.h"

namespace ccsip::sip {

Message::Message() = default;
Message::~Message() = default;
Message::Message(Message&&) noexcept = default;

// Not member-wise: the lists' memory may live in this message's storage, which must outlive
// them, and a pmr vector keeps its own allocator on assignment. Destroying and rebuilding in
// place moves the other message's storage and lists together.
Message& Message::operator=(Message&& other) noexcept {
  if (this != &other) {
    std::destroy_at(this);
    std::construct_at(this, std::move(other));
  }
  return *this;
}

Message::Storage& Message::storage() {
  if (!storage_) {
    // Default-initialised: the list room is raw memory, not worth zeroing.
    storage_ = std::make_unique_for_overwrite<Storage>();
    // Lists still empty (always so for parsed, built and cloned messages) move into it.
    std::pmr::memory_resource* lists = &storage_->lists;
    if (headers_.empty()) {
      std::destroy_at(&headers_);
      std::construct_at(&headers_, lists);
    }
    if (vias_.empty()) {
      std::destroy_at(&vias_);
      std::construct_at(&vias_, lists);
    }
  }
  return *storage_;
}

std::string_view Message::copyText(std::string_view text) {
  return storage().arena.copy(text);
}

void MessageAccess::appendCopy(Message& m, const HeaderField& field) {
  HeaderField copy = field;
  // Canonical names are static; a received name may be compact or oddly cased: copy it.
  if (field.id == HeaderId::Other || field.name != headerName(field.id)) {
    copy.name = m.copyText(field.name);
  } else {
    copy.name = headerName(field.id);  // equal text, but a parsed name points into its buffer
  }
  copy.value = m.copyText(field.value);
  m.headers_.push_back(copy);
}

Message Message::makeRequest(Method method, std::string_view requestUri) {
  Message m;
  m.storage();
  m.isRequest_ = true;
  m.method_ = method;
  m.methodName_ = sip::methodName(method);
  m.version_ = "SIP/2.0";
  m.headers_.reserve(12);
  m.setRequestUri(requestUri);
  return m;
}

Message Message::makeRequest(std::string_view name, std::string_view requestUri) {
  Method method = methodFromName(name);
  Message m = makeRequest(method, requestUri);
  if (method == Method::Unknown) m.methodName_ = m.copyText(name);
  return m;
}

Message Message::makeResponse(int statusCode, std::string_view reasonPhrase) {
  Message m;
  m.storage();
  m.isRequest_ = false;
  m.statusCode_ = statusCode;
  m.reasonPhrase_ =
      reasonPhrase.empty() ? defaultReasonPhrase(statusCode) : m.copyText(reasonPhrase);
  m.version_ = "SIP/2.0";
  m.headers_.reserve(12);
  return m;
}

Message Message::clone() const {
  Message m;
  Storage& s = m.storage();
  std::size_t total = methodName_.size() + requestUri_.text.size() + reasonPhrase_.size() +
                      version_.size() + body_.size();
  for (const HeaderField& f : headers_) total += f.name.size() + f.value.size();
  s.arena.reserve(total);
  m.isRequest_ = isRequest_;
  m.method_ = method_;
  m.methodName_ = method_ != Method::Unknown ? sip::methodName(method_) : m.copyText(methodName_);
  if (isRequest_) m.setRequestUri(requestUri_.text);
  m.statusCode_ = statusCode_;
  m.reasonPhrase_ = m.copyText(reasonPhrase_);
  m.version_ = m.copyText(version_);
  m.headers_.reserve(headers_.size());
  for (const HeaderField& f : headers_) MessageAccess::appendCopy(m, f);
  m.body_ = m.copyText(body_);
  for (HeaderId id :
       {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    m.reindex(id);
  }
  m.maxForwards_ = maxForwards_;
  m.expires_ = expires_;
  m.contentLength_ = contentLength_;
  return m;
}

const HeaderField* Message::findHeader(HeaderId id) const {
  for (const HeaderField& f : headers_) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const HeaderField* Message::findHeader(std::string_view name) const {
  HeaderId id = headerIdFromName(name);
  if (id != HeaderId::Other) return findHeader(id);
  for (const HeaderField& f : headers_) {
    if (f.id == HeaderId::Other && syntax::iequals(f.name, name)) return &f;
  }
  return nullptr;
}

std::string_view Message::headerValue(HeaderId id) const {
  std::string_view first;
  for (const HeaderField& f : headers_) {
    if (f.id != id) continue;
    bool found = false;
    detail::forEachValue(id, f.value, [&](std::string_view value) {
      first = value;
      found = true;
      return false;
    });
    if (found) return first;
  }
  return {};
}

std::string_view Message::headerValue(std::string_view name) const {
  HeaderId id = headerIdFromName(name);
  if (id != HeaderId::Other) return headerValue(id);
  const HeaderField* f = findHeader(name);
  return f ? f->value : std::string_view();
}

std::size_t Message::countHeaders(HeaderId id) const {
  std::size_t count = 0;
  for (const HeaderField& f : headers_) {
    if (f.id != id) continue;
    detail::forEachValue(id, f.value, [&count](std::string_view) {
      ++count;
      return true;
    });
  }
  return count;
}

std::vector<std::string_view> Message::headerValues(HeaderId id) const {
  std::vector<std::string_view> values;
  for (const HeaderField& f : headers_) {
    if (f.id != id) continue;
    detail::forEachValue(id, f.value, [&values](std::string_view value) {
      if (!value.empty()) values.push_back(value);
      return true;
    });
  }
  return values;
}

namespace {
// ";received=" and ";rport=65535", beyond the host: the rewritten top Via needs no reallocation.
constexpr std::size_t kReceivedParamsRoom = 32;

std::vector<NameAddr> nameAddrs(std::span<const HeaderField> headers, HeaderId id) {
  std::vector<NameAddr> out;
  for (const HeaderField& f : headers) {
    if (f.id != id) continue;
    NameAddr na;
    if (detail::parseNameAddrInto(f.value, na)) out.push_back(na);
  }
  return out;
}
}  // namespace

std::vector<NameAddr> Message::contacts() const {
  return nameAddrs(headers_, HeaderId::Contact);
}
std::vector<NameAddr> Message::routes() const {
  return nameAddrs(headers_, HeaderId::Route);
}
std::vector<NameAddr> Message::recordRoutes() const {
  return nameAddrs(headers_, HeaderId::RecordRoute);
}

void Message::insertValues(std::size_t index, HeaderId id, std::string_view name,
                           std::string_view value) {
  value = copyText(syntax::trim(value));
  index = std::min(index, headers_.size());
  if (!detail::splitOnParse(id)) {
    headers_.insert(headers_.begin() + static_cast<std::ptrdiff_t>(index),
                    HeaderField{name, value, id, false});
    return;
  }
  detail::ListSplitter splitter(value);
  std::string_view item;
  bool first = true;
  while (splitter.next(item)) {
    // An empty value keeps one field (as a parsed "Contact:" does, which then fails to parse).
    if (item.empty() && !(first && value.empty())) continue;
    headers_.insert(headers_.begin() + static_cast<std::ptrdiff_t>(index++),
                    HeaderField{name, item, id, !first});
    first = false;
  }
}

void Message::addHeader(HeaderId id, std::string_view value) {
  if (id == HeaderId::Other || id == HeaderId::Count_) return;
  insertValues(headers_.size(), id, headerName(id), value);
  reindex(id);
}

void Message::addHeader(std::string_view name, std::string_view value) {
  HeaderId id = headerIdFromName(name);
  std::string_view stored =
      id != HeaderId::Other && name == headerName(id) ? headerName(id) : copyText(name);
  insertValues(headers_.size(), id, stored, value);
  reindex(id);
}

void Message::prependHeader(HeaderId id, std::string_view value) {
  if (id == HeaderId::Other || id == HeaderId::Count_) return;
  std::size_t index = 0;
  while (index < headers_.size() && headers_[index].id != id) ++index;
  if (index == headers_.size()) index = 0;
  insertValues(index, id, headerName(id), value);
  reindex(id);
}

void Message::setHeader(HeaderId id, std::string_view value) {
  if (id == HeaderId::Other || id == HeaderId::Count_) return;
  std::size_t index = 0;
  while (index < headers_.size() && headers_[index].id != id) ++index;
  std::erase_if(headers_, [id](const HeaderField& f) { return f.id == id; });
  insertValues(index, id, headerName(id), value);
  reindex(id);
}

void Message::removeHeaders(HeaderId id) {
  std::erase_if(headers_, [id](const HeaderField& f) { return f.id == id; });
  reindex(id);
}

void Message::removeFirstHeader(HeaderId id) {
  auto it = std::find_if(headers_.begin(), headers_.end(),
                         [id](const HeaderField& f) { return f.id == id; });
  if (it == headers_.end()) return;
  it = headers_.erase(it);
  if (it != headers_.end() && it->id == id) it->sameLine = false;
  reindex(id);
}

void Message::setBody(std::string_view contentType, std::string_view body) {
  body_ = copyText(body);
  if (!contentType.empty()) {
    setHeader(HeaderId::ContentType, contentType);
  } else if (body.empty()) {
    removeHeaders(HeaderId::ContentType);
  }
  contentLength_ = body.size();
  if (findHeader(HeaderId::ContentLength) != nullptr) {
    setHeader(HeaderId::ContentLength, std::to_string(body.size()));
  }
}

void Message::setRequestUri(std::string_view uri) {
  std::string_view text = copyText(uri);
  auto parsed = parseUri(text);
  if (parsed) {
    requestUri_ = *parsed;
  } else {
    requestUri_ = Uri{};
    requestUri_.text = text;
  }
}

void Message::setTag(HeaderId id, std::string_view tag) {
  auto it = std::find_if(headers_.begin(), headers_.end(),
                         [id](const HeaderField& f) { return f.id == id; });
  if (it == headers_.end()) return;
  NameAddr na;
  detail::parseNameAddrInto(it->value, na);
  std::string value;
  if (!na.tag.empty()) {
    // The tag view points into the field's own value.
    auto offset = static_cast<std::size_t>(na.tag.data() - it->value.data());
    value.append(it->value.substr(0, offset));
    value.append(tag);
    value.append(it->value.substr(offset + na.tag.size()));
  } else {
    value.reserve(it->value.size() + tag.size() + 5);
    value.append(it->value);
    value.append(";tag=");
    value.append(tag);
  }
  it->value = copyText(value);
  reindex(id);
}

void Message::setToTag(std::string_view tag) {
  setTag(HeaderId::To, tag);
}
void Message::setFromTag(std::string_view tag) {
  setTag(HeaderId::From, tag);
}

void Message::setTopViaReceived(std::string_view receivedHost, std::optional<std::uint16_t> rport) {
  auto it = std::find_if(headers_.begin(), headers_.end(),
                         [](const HeaderField& f) { return f.id == HeaderId::Via; });
  if (it == headers_.end()) return;
  // The top Via is normally parsed already (vias_ holds the Via fields that parsed, in order):
  // every UDP request gets received=/rport= (RFC 3581 4), so it is not parsed twice.
  const bool indexed = !vias_.empty() && vias_.front().text.data() == it->value.data() &&
                       vias_.front().text.size() == it->value.size();
  Via via;
  if (indexed) {
    via = vias_.front();
  } else if (detail::parseViaInto(it->value, via) == detail::ViaStatus::Bad) {
    return;
  }
  std::string_view head = via.text;
  if (!via.params.empty()) head = via.text.substr(0, via.params.data() - via.text.data());
  while (!head.empty() && (syntax::isLws(head.back()) || head.back() == ';')) {
    head.remove_suffix(1);
  }
  std::string value;
  value.reserve(via.text.size() + receivedHost.size() + kReceivedParamsRoom);
  value.append(head);
  bool wroteReceived = false;
  bool wroteRport = false;
  auto writeReceived = [&] {
    value.append(";received=");
    value.append(receivedHost);
    wroteReceived = true;
  };
  auto writeRport = [&] {
    value.append(";rport=");
    value.append(std::to_string(*rport));
    wroteRport = true;
  };
  syntax::ParamReader reader(via.params);
  syntax::Param p;
  while (reader.next(p)) {
    if (syntax::iequals(p.name, "received") && !receivedHost.empty()) {
      if (!wroteReceived) writeReceived();
      continue;
    }
    if (syntax::iequals(p.name, "rport") && rport) {
      if (!wroteRport) writeRport();
      continue;
    }
    value.push_back(';');
    value.append(p.name);
    if (p.hasValue) {
      value.push_back('=');
      if (p.quoted) value.push_back('"');
      value.append(p.value);
      if (p.quoted) value.push_back('"');
    }
  }
  // RFC 3261 18.2.1: received is added to the top Via; RFC 3581 4: so is rport's value.
  if (!receivedHost.empty() && !wroteReceived) writeReceived();
  if (rport && !wroteRport) writeRport();
  it->value = copyText(value);
  // Only the top Via changed: re-derive it alone.
  if (Via top; indexed && detail::parseViaInto(it->value, top) != detail::ViaStatus::Bad) {
    vias_.front() = top;
    return;
  }
  reindex(HeaderId::Via);
}

bool Message::canBuildResponse() const {
  return isRequest_ && !vias_.empty() && !cseq_.methodText.empty();
}

void Message::reindex(HeaderId id) {
  switch (id) {
    case HeaderId::Via:
      vias_.clear();
      for (const HeaderField& f : headers_) {
        if (f.id != HeaderId::Via) continue;
        Via via;
        if (detail::parseViaInto(f.value, via) != detail::ViaStatus::Bad) vias_.push_back(via);
      }
      break;
    case HeaderId::From:
      from_ = NameAddr{};
      if (const HeaderField* f = findHeader(id)) detail::parseNameAddrInto(f->value, from_);
      break;
    case HeaderId::To:
      to_ = NameAddr{};
      if (const HeaderField* f = findHeader(id)) detail::parseNameAddrInto(f->value, to_);
      break;
    case HeaderId::CallId:
      callId_ = headerValue(id);
      break;
    case HeaderId::CSeq:
      cseq_ = CSeq{};
      if (const HeaderField* f = findHeader(id)) detail::parseCSeqInto(f->value, cseq_);
      break;
    case HeaderId::MaxForwards: {
      maxForwards_.reset();
      if (const HeaderField* f = findHeader(id)) {
        if (auto v = syntax::parseNumber(f->value, 255)) {
          maxForwards_ = static_cast<std::uint32_t>(*v);
        }
      }
      break;
    }
    case HeaderId::Expires: {
      expires_.reset();
      if (const HeaderField* f = findHeader(id)) {
        if (auto v = syntax::parseNumber(f->value, 0xffffffffULL)) {
          expires_ = static_cast<std::uint32_t>(*v);
        }
      }
      break;
    }
    case HeaderId::ContentLength: {
      if (const HeaderField* f = findHeader(id)) {
        if (auto v = syntax::parseNumber(f->value, 0xffffffffULL)) {
          contentLength_ = static_cast<std::size_t>(*v);
        }
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace ccsip::sip

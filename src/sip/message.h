#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sip/header_id.h"
#include "sip/headers.h"
#include "sip/method.h"
#include "sip/uri.h"

namespace ccsip::sip {

// One header line. Via, Contact, Route and Record-Route are split into one field per value
// ("Via: a, b" gives two fields); the other list headers (Allow, Supported, Require, ...) keep
// one field per line, whose value is the whole list: read their values with headerValues().
struct HeaderField {
  std::string_view name;   // as received (or canonical when built)
  std::string_view value;  // LWS-trimmed; folded lines already unfolded
  HeaderId id = HeaderId::Other;
  // This value shared the previous field's line on the wire ("Via: a, b": b has it). The
  // serializer writes it after a comma when the previous field has the same id.
  bool sameLine = false;
};

// A SIP request or response. Parsed messages are zero-copy: names, values and typed views point
// into a heap buffer the Message owns, so they stay valid when the Message is moved. Built or
// edited messages copy new text into the Message's own arena. The text of each header is the
// single source of truth; the typed views (vias, from, to, cseq, ...) are derived from it and
// re-derived by every mutation that touches one of those headers.
class Message {
 public:
  Message();
  ~Message();
  Message(Message&&) noexcept;
  Message& operator=(Message&&) noexcept;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  // A deep copy (e.g. to keep a request for retransmission or for building a CANCEL).
  Message clone() const;

  static Message makeRequest(Method method, std::string_view requestUri);
  static Message makeRequest(std::string_view methodName, std::string_view requestUri);
  static Message makeResponse(int statusCode, std::string_view reasonPhrase);

  // --- start line
  bool isRequest() const { return isRequest_; }
  bool isResponse() const { return !isRequest_; }
  Method method() const { return method_; }  // requests only
  std::string_view methodName() const { return methodName_; }
  const Uri& requestUri() const { return requestUri_; }
  int statusCode() const { return statusCode_; }  // responses only
  std::string_view reasonPhrase() const { return reasonPhrase_; }
  std::string_view sipVersion() const { return version_; }

  // --- headers, in wire order
  std::span<const HeaderField> headers() const { return headers_; }
  const HeaderField* findHeader(HeaderId id) const;
  const HeaderField* findHeader(std::string_view name) const;  // any header, case-insensitive
  // First value, or "" when absent. Values of list headers are their comma-separated elements
  // ("Allow: INVITE, ACK" gives "INVITE"), whether or not the fields are split.
  std::string_view headerValue(HeaderId id) const;
  std::string_view headerValue(std::string_view name) const;
  // The number of values (list elements counted one by one; a header present with an empty
  // value counts as one).
  std::size_t countHeaders(HeaderId id) const;
  // Every non-empty value of a header, in wire order, list headers split at top-level commas
  // (RFC 3261 7.3.1): "Require: a, b" + "Require: c" gives {a, b, c}. Views into the message.
  std::vector<std::string_view> headerValues(HeaderId id) const;

  // --- typed views of the essential headers
  std::span<const Via> vias() const { return vias_; }
  const Via* topVia() const { return vias_.empty() ? nullptr : &vias_.front(); }
  const NameAddr& from() const { return from_; }
  const NameAddr& to() const { return to_; }
  std::string_view callId() const { return callId_; }
  const CSeq& cseq() const { return cseq_; }
  std::optional<std::uint32_t> maxForwards() const { return maxForwards_; }
  std::optional<std::uint32_t> expires() const { return expires_; }
  std::optional<std::size_t> contentLength() const { return contentLength_; }
  std::string_view contentType() const { return headerValue(HeaderId::ContentType); }
  // Parsed on demand (not every message needs them).
  std::vector<NameAddr> contacts() const;
  std::vector<NameAddr> routes() const;
  std::vector<NameAddr> recordRoutes() const;

  std::string_view body() const { return body_; }

  // --- editing (copies the text; typed views of essential headers follow)
  void addHeader(HeaderId id, std::string_view value);
  void addHeader(std::string_view name, std::string_view value);
  void prependHeader(HeaderId id, std::string_view value);  // e.g. a new top Via
  void setHeader(HeaderId id, std::string_view value);      // replaces every value of id
  void removeHeaders(HeaderId id);
  void removeFirstHeader(HeaderId id);  // e.g. pop the top Via
  // Sets Content-Type (when not empty) and the body; Content-Length is always written by the
  // serializer from the body, never trusted from a header.
  void setBody(std::string_view contentType, std::string_view body);
  void setRequestUri(std::string_view uri);
  // Sets the tag param of To (responses from a UAS, RFC 3261 8.2.6.2).
  void setToTag(std::string_view tag);
  void setFromTag(std::string_view tag);
  // Adds or replaces received=/rport= of the top Via (RFC 3261 18.2.1, RFC 3581 4).
  void setTopViaReceived(std::string_view receivedHost, std::optional<std::uint16_t> rport);

  // True for a request whose top Via and CSeq (number may be out of range, method must parse)
  // were parsed, so that a response can be built and routed (RFC 3261 8.2.6.2, 18.2.2) even
  // for a request that failed other checks. From, To and Call-ID are copied into the response
  // as text, so a 400 can be answered even when one of them is malformed or missing (RFC 4475
  // 3.1.2.6 quotbal, 3.3.1 insuf).
  bool canBuildResponse() const;

  struct Storage;  // implementation detail (buffer + arena)

 private:
  friend class MessageParser;
  friend struct MessageAccess;
  void reindex(HeaderId id);  // re-derive typed views after an edit of id
  Storage& storage();
  std::string_view copyText(std::string_view text);
  // Inserts the value(s) of a header at `index` (Via, Contact, Route and Record-Route split
  // into one field per value).
  void insertValues(std::size_t index, HeaderId id, std::string_view name, std::string_view value);
  void setTag(HeaderId id, std::string_view tag);

  // Declared first, so destroyed last: headers_ and vias_ may allocate from it.
  std::unique_ptr<Storage> storage_;
  bool isRequest_ = false;
  Method method_ = Method::Unknown;
  std::string_view methodName_;
  Uri requestUri_;
  int statusCode_ = 0;
  std::string_view reasonPhrase_;
  std::string_view version_;
  // Allocated from the storage (one allocation holds the buffer's bookkeeping, the text arena
  // and room for the fields and Via of a typical message) once storage_ exists.
  std::pmr::vector<HeaderField> headers_;
  std::pmr::vector<Via> vias_;
  NameAddr from_;
  NameAddr to_;
  std::string_view callId_;
  CSeq cseq_;
  std::optional<std::uint32_t> maxForwards_;
  std::optional<std::uint32_t> expires_;
  std::optional<std::size_t> contentLength_;
  std::string_view body_;
};

}  // namespace ccsip::sip

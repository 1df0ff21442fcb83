#include "sip/serializer.h"

#include <charconv>

#include "sip/message_storage.h"

namespace ccsip::sip {

namespace {

void appendNumber(std::string& out, std::uint64_t value) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

}  // namespace

void serialize(const Message& message, std::string& out) {
  std::size_t estimate =
      64 + message.body().size() + message.requestUri().text.size() + message.reasonPhrase().size();
  for (const HeaderField& f : message.headers()) estimate += f.name.size() + f.value.size() + 4;
  out.reserve(out.size() + estimate);

  std::string_view version = message.sipVersion().empty() ? "SIP/2.0" : message.sipVersion();
  if (message.isRequest()) {
    out.append(message.methodName());
    out.push_back(' ');
    out.append(message.requestUri().text);
    out.push_back(' ');
    out.append(version);
  } else {
    out.append(version);
    out.push_back(' ');
    appendNumber(out, static_cast<std::uint64_t>(message.statusCode()));
    out.push_back(' ');
    out.append(message.reasonPhrase());
  }
  out.append("\r\n");

  bool lineOpen = false;
  HeaderId previous = HeaderId::Other;
  for (const HeaderField& f : message.headers()) {
    // Content-Length is written from the body, never copied (RFC 3261 18.3).
    if (f.id == HeaderId::ContentLength) continue;
    if (f.sameLine && lineOpen && f.id == previous && f.id != HeaderId::Other) {
      out.append(", ");
    } else {
      if (lineOpen) out.append("\r\n");
      out.append(f.name);
      out.append(": ");
      lineOpen = true;
    }
    out.append(f.value);
    previous = f.id;
  }
  if (lineOpen) out.append("\r\n");
  out.append("Content-Length: ");
  appendNumber(out, message.body().size());
  out.append("\r\n\r\n");
  out.append(message.body());
}

std::string toString(const Message& message) {
  std::string out;
  serialize(message, out);
  return out;
}

Message makeResponse(const Message& request, int statusCode, std::string_view reasonPhrase,
                     std::string_view toTag, bool copyRecordRoute) {
  Message response = Message::makeResponse(statusCode, reasonPhrase);
  auto copied = [&](HeaderId id) {
    switch (id) {
      case HeaderId::Via:
      case HeaderId::From:
      case HeaderId::To:
      case HeaderId::CallId:
      case HeaderId::CSeq:
        return true;
      case HeaderId::RecordRoute:
        return copyRecordRoute;
      case HeaderId::Timestamp:
        return statusCode == 100;  // RFC 3261 8.2.6.1
      default:
        return false;
    }
  };
  for (const HeaderField& f : request.headers()) {
    if (copied(f.id)) MessageAccess::appendCopy(response, f);
  }
  for (HeaderId id :
       {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    MessageAccess::reindex(response, id);
  }
  // RFC 3261 8.2.6.2: the UAS adds a To tag unless the request already had one.
  if (!toTag.empty() && request.to().tag.empty()) response.setToTag(toTag);
  return response;
}

std::string_view defaultReasonPhrase(int statusCode) {
  switch (statusCode) {
    // RFC 3261 21, plus the extensions a contact-center server meets.
    case 100:
      return "Trying";
    case 180:
      return "Ringing";
    case 181:
      return "Call Is Being Forwarded";
    case 182:
      return "Queued";
    case 183:
      return "Session Progress";
    case 199:
      return "Early Dialog Terminated";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 204:
      return "No Notification";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Moved Temporarily";
    case 305:
      return "Use Proxy";
    case 380:
      return "Alternative Service";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 412:
      return "Conditional Request Failed";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "Request-URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Unsupported URI Scheme";
    case 417:
      return "Unknown Resource-Priority";
    case 420:
      return "Bad Extension";
    case 421:
      return "Extension Required";
    case 422:
      return "Session Interval Too Small";
    case 423:
      return "Interval Too Brief";
    case 428:
      return "Use Identity Header";
    case 429:
      return "Provide Referrer Identity";
    case 433:
      return "Anonymity Disallowed";
    case 436:
      return "Bad Identity-Info";
    case 437:
      return "Unsupported Certificate";
    case 438:
      return "Invalid Identity Header";
    case 439:
      return "First Hop Lacks Outbound Support";
    case 440:
      return "Max-Breadth Exceeded";
    case 469:
      return "Bad Info Package";
    case 470:
      return "Consent Needed";
    case 480:
      return "Temporarily Unavailable";
    case 481:
      return "Call/Transaction Does Not Exist";
    case 482:
      return "Loop Detected";
    case 483:
      return "Too Many Hops";
    case 484:
      return "Address Incomplete";
    case 485:
      return "Ambiguous";
    case 486:
      return "Busy Here";
    case 487:
      return "Request Terminated";
    case 488:
      return "Not Acceptable Here";
    case 489:
      return "Bad Event";
    case 491:
      return "Request Pending";
    case 493:
      return "Undecipherable";
    case 494:
      return "Security Agreement Required";
    case 500:
      return "Server Internal Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Server Time-out";
    case 505:
      return "Version Not Supported";
    case 513:
      return "Message Too Large";
    case 580:
      return "Precondition Failure";
    case 600:
      return "Busy Everywhere";
    case 603:
      return "Decline";
    case 604:
      return "Does Not Exist Anywhere";
    case 606:
      return "Not Acceptable";
    case 607:
      return "Unwanted";
    case 608:
      return "Rejected";
    default:
      return "";
  }
}

}  // namespace ccsip::sip

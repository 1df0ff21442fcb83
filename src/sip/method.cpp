#include "sip/method.h"

namespace ccsip::sip {

Method methodFromName(std::string_view name) {
  // RFC 3261 7.1: case-sensitive. Dispatch on the length first: one comparison at most.
  switch (name.size()) {
    case 3:
      if (name == "ACK") return Method::Ack;
      if (name == "BYE") return Method::Bye;
      break;
    case 4:
      if (name == "INFO") return Method::Info;
      break;
    case 5:
      if (name == "PRACK") return Method::Prack;
      if (name == "REFER") return Method::Refer;
      break;
    case 6:
      if (name == "INVITE") return Method::Invite;
      if (name == "CANCEL") return Method::Cancel;
      if (name == "NOTIFY") return Method::Notify;
      if (name == "UPDATE") return Method::Update;
      break;
    case 7:
      if (name == "OPTIONS") return Method::Options;
      if (name == "MESSAGE") return Method::Message;
      if (name == "PUBLISH") return Method::Publish;
      break;
    case 8:
      if (name == "REGISTER") return Method::Register;
      break;
    case 9:
      if (name == "SUBSCRIBE") return Method::Subscribe;
      break;
    default:
      break;
  }
  return Method::Unknown;
}

std::string_view methodName(Method method) {
  switch (method) {
    case Method::Unknown:
      return "";
    case Method::Invite:
      return "INVITE";
    case Method::Ack:
      return "ACK";
    case Method::Bye:
      return "BYE";
    case Method::Cancel:
      return "CANCEL";
    case Method::Options:
      return "OPTIONS";
    case Method::Register:
      return "REGISTER";
    case Method::Subscribe:
      return "SUBSCRIBE";
    case Method::Notify:
      return "NOTIFY";
    case Method::Info:
      return "INFO";
    case Method::Update:
      return "UPDATE";
    case Method::Prack:
      return "PRACK";
    case Method::Refer:
      return "REFER";
    case Method::Message:
      return "MESSAGE";
    case Method::Publish:
      return "PUBLISH";
  }
  return "";
}

}  // namespace ccsip::sip

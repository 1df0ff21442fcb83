#include "cti/codec.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "cti/json_writer.h"
#include "model/conn_id.h"

namespace ccsip::cti {

namespace json = boost::json;

namespace {

using model::ErrorCode;

std::string fieldDetail(std::string_view field, std::string_view what) {
  std::string detail(field);
  if (!what.empty()) {
    detail += " (";
    detail += what;
    detail += ')';
  }
  return detail;
}

// Empty when the value has the type; otherwise the error to answer.
std::optional<util::Error> checkType(std::string_view field, const json::value& value,
                                     FieldType type) {
  bool typeOk = false;
  bool valueOk = true;
  switch (type) {
    case FieldType::String:
      typeOk = value.is_string();
      break;
    case FieldType::NonEmptyString:
      typeOk = value.is_string();
      valueOk = typeOk && !value.get_string().empty();
      break;
    case FieldType::ConnId:
      typeOk = value.is_string();
      valueOk = typeOk && model::ConnId::parse(value.get_string()).has_value();
      break;
    case FieldType::Integer:
      typeOk = value.is_int64() || value.is_uint64();
      break;
    case FieldType::Boolean:
      typeOk = value.is_bool();
      break;
    case FieldType::Object:
      typeOk = value.is_object();
      break;
    case FieldType::StringArray:
      typeOk = value.is_array();
      if (typeOk) {
        for (const auto& element : value.get_array()) {
          if (!element.is_string())
            return model::makeError(ErrorCode::BadFieldType,
                                    fieldDetail(field, "expected an array of strings"));
        }
      }
      break;
  }
  if (!typeOk) {
    return model::makeError(ErrorCode::BadFieldType,
                            fieldDetail(field, "expected " + std::string(toString(type))));
  }
  if (!valueOk) {
    return model::makeError(ErrorCode::BadFieldValue,
                            fieldDetail(field, "expected " + std::string(toString(type))));
  }
  return std::nullopt;
}

// Most events are 100-300 bytes: one allocation for the text.
constexpr std::size_t kEventTextReserve = 320;

}  // namespace

util::Result<json::object> parseMessage(std::string_view text, std::size_t maxBytes) {
  if (text.size() > maxBytes) {
    return model::makeError(
        ErrorCode::MessageTooLarge,
        std::to_string(text.size()) + " bytes, limit " + std::to_string(maxBytes));
  }
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, {}, options);
  if (ec) return model::makeError(ErrorCode::BadJson, ec.message());
  if (!value.is_object()) return model::makeError(ErrorCode::BadJson, "not a JSON object");
  return std::move(value.get_object());
}

util::Result<ReferenceId> readReferenceId(const json::object& message) {
  const auto* value = message.if_contains("referenceId");
  if (value == nullptr) return model::makeError(ErrorCode::MissingField, "referenceId");
  if (value->is_int64()) {
    const auto id = value->get_int64();
    if (id < 0 || id > kMaxReferenceId) {
      return model::makeError(ErrorCode::BadFieldValue, "referenceId (0 to 2^53-1)");
    }
    return ReferenceId{id};
  }
  if (value->is_uint64()) {  // only values above INT64_MAX parse as uint64
    return model::makeError(ErrorCode::BadFieldValue, "referenceId (0 to 2^53-1)");
  }
  return model::makeError(ErrorCode::BadFieldType, "referenceId (expected integer)");
}

util::Result<std::string_view> readRequestName(const json::object& message) {
  const auto* value = message.if_contains("request");
  if (value == nullptr) return model::makeError(ErrorCode::MissingField, "request");
  if (!value->is_string()) {
    return model::makeError(ErrorCode::BadFieldType, "request (expected string)");
  }
  const auto& name = value->get_string();
  return std::string_view(name.data(), name.size());
}

model::Status checkFields(const json::object& message, const RequestSpec& spec) {
  for (const auto& field : spec.fields) {
    const auto* value = message.if_contains(field.name);
    if (value == nullptr) {
      if (field.required) return model::makeError(ErrorCode::MissingField, field.name);
      continue;
    }
    if (auto error = checkType(field.name, *value, field.type)) return std::move(*error);
  }
  return model::ok();
}

std::string_view utf8Prefix(std::string_view text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  std::size_t cut = maxBytes;
  // RFC 3629 3: continuation bytes are 10xxxxxx; back up to the lead byte of the cut character.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::string errorEventText(int code, std::string_view message,
                           std::optional<ReferenceId> referenceId) {
  json::object event;
  event.reserve(4);
  event.emplace("event", "EventError");
  event.emplace("errorCode", code);
  event.emplace("errorMessage", message);
  if (referenceId) event.emplace("referenceId", *referenceId);
  return json::serialize(event);
}

std::string eventText(std::string_view name, const json::object& fields) {
  // An event goes to many clients but is written once, into one string, name first.
  std::string out;
  out.reserve(kEventTextReserve);
  out += "{\"event\":";
  appendJsonString(out, name);
  for (const auto& field : fields) {
    if (field.key() == "event") continue;  // the name is the model's
    out += ',';
    appendJsonString(out, std::string_view(field.key().data(), field.key().size()));
    out += ':';
    appendJson(out, field.value());
  }
  out += '}';
  return out;
}

std::string eventText(const model::TEvent& event) {
  return eventText(event.name, event.fields);
}

}  // namespace ccsip::cti

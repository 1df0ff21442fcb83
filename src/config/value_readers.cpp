#include "config/value_readers.h"

#include <algorithm>

namespace ccsip::config {

namespace {

constexpr std::size_t kMaxIdentifierBytes = 128;

constexpr std::string_view kOverflowForms =
    "expected voicemail, voicemail:<box>, recall, release, none, dn:<number> or a configured DN";

bool isUserChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-_.!~*'()&=+$,;?/").find(c) != std::string_view::npos;
}

}  // namespace

bool isSipUser(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), isUserChar);
}

std::optional<std::string> readSipUser(const Field& field, Diagnostics& diagnostics) {
  auto text = readString(field, diagnostics);
  if (!text) return std::nullopt;
  if (!isSipUser(*text)) {
    diagnostics.error(field.mark, field.path,
                      "expected a SIP user name (digits, letters, -_.!~*'()&=+$,;?/), got " +
                          describe(field.node));
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> readIdentifier(const Field& field, Diagnostics& diagnostics) {
  auto text = readString(field, diagnostics);
  if (!text) return std::nullopt;
  const bool printable = std::all_of(text->begin(), text->end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte != 0x7f;  // UTF-8 bytes (>= 0x80) are fine
  });
  if (!printable || text->size() > kMaxIdentifierBytes) {
    diagnostics.error(field.mark, field.path,
                      "expected a name without spaces or control characters, at most " +
                          std::to_string(kMaxIdentifierBytes) + " bytes, got " +
                          describe(field.node));
    return std::nullopt;
  }
  return text;
}

std::optional<bool> readBool(const Field& field, Diagnostics& diagnostics) {
  constexpr EnumName<bool> kBools[] = {{"true", true}, {"false", false}};
  return readEnum(field, diagnostics, kBools, /*ignoreCase=*/true);
}

std::optional<std::chrono::seconds> readSeconds(const Field& field, Diagnostics& diagnostics,
                                                std::int64_t min, std::int64_t max) {
  auto value = readInteger(field, diagnostics, min, max);
  if (!value) return std::nullopt;
  return std::chrono::seconds(*value);
}

std::optional<boost::asio::ip::address> readIpAddress(const Field& field,
                                                      Diagnostics& diagnostics) {
  auto text = readString(field, diagnostics);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(*text, ec);
  if (ec) {
    diagnostics.error(field.mark, field.path,
                      "expected an IPv4 or IPv6 address, got " + describe(field.node));
    return std::nullopt;
  }
  return address;
}

bool defineDn(const Field& field, const std::string& dn, SectionContext& context) {
  auto [it, inserted] = context.references.dnLines.emplace(dn, lineOf(field.mark));
  if (!inserted) {
    // Sections are read in a fixed order, so the one reported may sit above the other.
    const bool above = it->second > lineOf(field.mark);
    context.diagnostics.error(field.mark, field.path,
                              "duplicate dn \"" + dn + "\" (" + (above ? "also" : "first") +
                                  " defined at line " + std::to_string(it->second) + ")");
  }
  return inserted;
}

std::optional<TcpListenConfig> readTcpListen(const Field& field, Diagnostics& diagnostics,
                                             std::optional<Mention>& at) {
  MapReader map(field, diagnostics);
  if (!map.valid()) return std::nullopt;
  TcpListenConfig listen;
  bool ok = true;
  if (auto address = map.require("address")) {
    auto value = readIpAddress(*address, diagnostics);
    if (value) listen.address = *value;
    ok = ok && value.has_value();
  } else {
    ok = false;
  }
  if (auto port = map.require("port")) {
    auto value = readInteger(*port, diagnostics, 0, 65535);
    if (value) listen.port = static_cast<std::uint16_t>(*value);
    ok = ok && value.has_value();
  } else {
    ok = false;
  }
  if (!ok) return std::nullopt;
  at = Mention{field.path, field.mark, field.path};
  return listen;
}

std::optional<OverflowTarget> readOverflowTarget(const Field& field, SectionContext& context,
                                                 const OverflowOwner& owner) {
  Diagnostics& diagnostics = context.diagnostics;
  auto text = readString(field, diagnostics);
  if (!text) return std::nullopt;
  auto target = parseOverflowTarget(*text);
  if (!target) {
    diagnostics.error(field.mark, field.path,
                      std::string(kOverflowForms) + ", got " + describe(field.node));
    return std::nullopt;
  }
  References& references = context.references;
  switch (target->kind) {
    case OverflowKind::Recall:
    case OverflowKind::None:
      // The router has given up on the call: it cannot stay, nor go back where it is.
      if (owner.routingPoint) {
        diagnostics.error(field.mark, field.path,
                          "a call that found no agent must leave the routing point: expected "
                          "voicemail, voicemail:<box>, release or a DN, got " +
                              describe(field.node));
        return std::nullopt;
      }
      break;
    case OverflowKind::Voicemail:
      if (target->value.empty() && owner.routingPoint) {
        // The routing point's callers found no agent of its target group: the group's box,
        // known once the groups are read (cross_check.cpp).
        references.groupVoicemails.push_back(
            Mention{std::string(owner.dn), field.mark, field.path});
        break;
      }
      if (target->value.empty() && owner.known) {
        // A bare `voicemail` on a DN or agent means its own mailbox, known now.
        if (owner.mailbox.empty()) {
          diagnostics.error(field.mark, field.path,
                            "voicemail needs a mailbox here: set mailbox, or write "
                            "voicemail:<box>");
          return std::nullopt;
        }
        target->value = std::string(owner.mailbox);
      }
      if (!target->value.empty()) {
        references.voicemailBoxes.push_back(Mention{target->value, field.mark, field.path});
      }
      break;
    case OverflowKind::Dn:
      if (owner.known && target->value == owner.dn) {
        diagnostics.error(field.mark, field.path, "a DN cannot overflow to itself");
        return std::nullopt;
      }
      if (text->starts_with("dn:")) {
        references.overflowNumbers.push_back(Mention{target->value, field.mark, field.path});
      } else {
        references.overflowDns.push_back(Mention{target->value, field.mark, field.path});
      }
      break;
    case OverflowKind::Release:
      break;
  }
  return target;
}

void readNoAnswer(MapReader& map, SectionContext& context, const OverflowOwner& owner,
                  NoAnswerConfig& out) {
  if (auto timeout = map.get("no-answer-timeout")) {
    out.timeout = readSeconds(*timeout, context.diagnostics, 0, kMaxNoAnswerSeconds);
  }
  if (auto overflow = map.get("no-answer-overflow")) {
    out.overflow = readOverflowTarget(*overflow, context, owner);
  }
}

}  // namespace ccsip::config

#include "config/sections.h"
#include "config/value_readers.h"

// The `dns` section: every directory number of the call model (DESIGN.md "Call model").

namespace ccsip::config {

namespace {

constexpr EnumName<DnType> kTypes[] = {
    {"extension", DnType::Extension},
    {"routing-point", DnType::RoutingPoint},
    {"voicemail", DnType::Voicemail},
    {"trunk", DnType::Trunk},
};

constexpr EnumName<DnLocation> kLocations[] = {
    {"switch", DnLocation::Switch},
    {"ccsip", DnLocation::Ccsip},
};

// The embedded strategies a routing point may run (src/routing, the built-ins of its
// StrategyRegistry). One for now: the available member of the target group idle the longest,
// ties to the member listed first.
constexpr EnumName<std::string_view> kStrategies[] = {
    {"longest-idle", "longest-idle"},
};

// A call may wait at a routing point longer than a phone rings: up to a day.
constexpr std::int64_t kMaxQueueSeconds = 86'400;

// Reports a key written for a DN type it does not apply to.
void rejectKey(const std::optional<Field>& key, std::string_view appliesTo, DnType type,
               Diagnostics& diagnostics) {
  if (!key) return;
  diagnostics.error(key->mark, key->path,
                    std::string("applies to ") + std::string(appliesTo) + " only, this DN is " +
                        (type == DnType::Extension ? "an " : "a ") + std::string(toString(type)));
}

void readRoutingPoint(const Field& field, SectionContext& context, RoutingPointConfig& out) {
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  if (auto group = map.get("target-group")) {
    if (auto name = readIdentifier(*group, diagnostics)) {
      out.targetGroup = *name;
      context.references.targetGroups.push_back(Mention{*name, group->mark, group->path});
    }
  }
  if (auto strategy = map.get("strategy")) {
    auto name = readEnum(*strategy, diagnostics, kStrategies);
    if (name && out.targetGroup.empty()) {
      diagnostics.error(strategy->mark, strategy->path,
                        "a strategy needs a target-group to pick agents from");
    } else if (name) {
      out.strategy = std::string(*name);
    }
  }
  if (auto timeout = map.get("queue-timeout")) {
    if (auto value = readSeconds(*timeout, diagnostics, 0, kMaxQueueSeconds)) {
      out.queueTimeout = *value;
    }
  }
}

void readVoicemail(const Field& field, Diagnostics& diagnostics, VoicemailConfig& out) {
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  if (auto mailbox = map.get("mailbox")) {
    if (auto box = readSipUser(*mailbox, diagnostics)) out.mailbox = *box;
  }
  if (auto number = map.get("access-number")) {
    if (auto text = readSipUser(*number, diagnostics)) out.accessNumber = *text;
  }
}

// Where an extension lives, from `on` and `password`.
void readLocation(const Field& element, const std::optional<Field>& onField,
                  const std::optional<Field>& passwordField, Diagnostics& diagnostics,
                  DnConfig& dn) {
  std::optional<DnLocation> on;
  if (onField) on = readEnum(*onField, diagnostics, kLocations);
  if (passwordField) {
    if (auto text = readString(*passwordField, diagnostics)) dn.password = *text;
  }
  // Without `on`, a password says the phone registers here.
  dn.on = on.value_or(passwordField ? DnLocation::Ccsip : DnLocation::Switch);
  if (!on && onField) return;  // `on` itself was wrong: nothing more to say
  if (dn.on == DnLocation::Switch && passwordField) {
    diagnostics.error(passwordField->mark, passwordField->path,
                      "a password is for phones that register on ccsip (on: ccsip); this "
                      "extension is on the switch");
  } else if (dn.on == DnLocation::Ccsip && !passwordField) {
    diagnostics.error(element.mark, element.path + ".password",
                      "missing required field (an extension on ccsip registers with it)");
  }
}

void readDn(const Field& element, SectionContext& context) {
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(element, diagnostics);
  if (!map.valid()) return;
  DnConfig dn;
  std::optional<Field> numberField = map.require("dn");
  bool ok = false;
  if (numberField) {
    auto text = readSipUser(*numberField, diagnostics);
    ok = text && defineDn(*numberField, *text, context);
    if (ok) dn.dn = *text;
  }
  bool typeKnown = true;
  if (auto type = map.get("type")) {
    auto value = readEnum(*type, diagnostics, kTypes);
    typeKnown = value.has_value();
    if (value) dn.type = *value;
  }
  if (auto name = map.get("name")) {
    if (auto text = readString(*name, diagnostics, /*allowEmpty=*/true)) dn.name = *text;
  }
  auto onField = map.get("on");
  auto passwordField = map.get("password");
  auto mailboxField = map.get("mailbox");
  auto timeoutField = map.get("no-answer-timeout");
  auto overflowField = map.get("no-answer-overflow");
  auto routingField = map.get("routing-point");
  auto voicemailField = map.get("voicemail");
  if (!typeKnown) {
    // Which keys apply depends on the type: judge none of them. The DN still counts as
    // defined, so that references to it add no errors of their own.
    if (ok) context.config.dns.push_back(std::move(dn));
    return;
  }

  if (mailboxField && dn.type == DnType::Extension) {
    if (auto box = readSipUser(*mailboxField, diagnostics)) dn.mailbox = *box;
  }
  const OverflowOwner owner{/*known=*/true, dn.dn, dn.mailbox,
                            /*routingPoint=*/dn.type == DnType::RoutingPoint};
  switch (dn.type) {
    case DnType::Extension:
      readLocation(element, onField, passwordField, diagnostics, dn);
      if (timeoutField) {
        dn.noAnswer.timeout = readSeconds(*timeoutField, diagnostics, 0, kMaxNoAnswerSeconds);
      }
      break;
    case DnType::RoutingPoint:
      dn.on = DnLocation::Ccsip;
      if (timeoutField) {
        diagnostics.error(timeoutField->mark, timeoutField->path,
                          "a routing point does not ring: use routing-point.queue-timeout");
      }
      if (routingField) readRoutingPoint(*routingField, context, dn.routingPoint);
      break;
    case DnType::Voicemail:
      dn.on = DnLocation::Switch;
      if (voicemailField) readVoicemail(*voicemailField, diagnostics, dn.voicemail);
      if (dn.voicemail.accessNumber.empty()) dn.voicemail.accessNumber = dn.dn;
      break;
    case DnType::Trunk:
      dn.on = DnLocation::Switch;
      break;
  }
  if (overflowField && (dn.type == DnType::Extension || dn.type == DnType::RoutingPoint)) {
    dn.noAnswer.overflow = readOverflowTarget(*overflowField, context, owner);
  }
  if (dn.type != DnType::Extension) {
    rejectKey(onField, "extensions", dn.type, diagnostics);
    rejectKey(passwordField, "extensions", dn.type, diagnostics);
    rejectKey(mailboxField, "extensions (a voicemail DN names its box in voicemail.mailbox)",
              dn.type, diagnostics);
  }
  if (dn.type == DnType::Voicemail || dn.type == DnType::Trunk) {
    rejectKey(overflowField, "extensions and routing points", dn.type, diagnostics);
    rejectKey(timeoutField, "extensions", dn.type, diagnostics);
  }
  if (dn.type != DnType::RoutingPoint) {
    rejectKey(routingField, "routing points", dn.type, diagnostics);
  }
  if (dn.type != DnType::Voicemail)
    rejectKey(voicemailField, "voicemail DNs", dn.type, diagnostics);

  if (!ok) return;
  if (dn.on == DnLocation::Switch) {
    context.references.onSwitch.push_back(Mention{dn.dn, numberField->mark, numberField->path});
  }
  context.config.dns.push_back(std::move(dn));
}

}  // namespace

std::string_view toString(DnType type) {
  for (const auto& entry : kTypes) {
    if (entry.value == type) return entry.name;
  }
  return "extension";
}

std::string_view toString(DnLocation location) {
  return location == DnLocation::Ccsip ? "ccsip" : "switch";
}

void readDnsSection(const Field& field, SectionContext& context) {
  auto list = readList(field, context.diagnostics);
  if (!list) return;
  for (const auto& element : *list) readDn(element, context);
}

}  // namespace ccsip::config

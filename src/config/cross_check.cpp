#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "config/sections.h"
#include "config/value_readers.h"
#include "config/version.h"

// The checks that span sections: references by name (an agent's default DN, a group's
// members, a routing point's target group, overflow targets), DNs that need the switch, and
// TCP ports taken twice. Each error is reported where the reference was written.

namespace ccsip::config {

namespace {

using sip::transport::TransportKind;

// `extensions` entries are DNs too, and `dns` entries on ccsip register with credentials:
// both lists end up complete (see Config).
void mergeExtensions(Config& config) {
  const std::size_t fromSection = config.extensions.size();
  for (const DnConfig& dn : config.dns) {
    if (dn.type == DnType::Extension && dn.on == DnLocation::Ccsip) {
      config.extensions.push_back(ExtensionConfig{dn.dn, dn.password, dn.name});
    }
  }
  for (std::size_t i = 0; i < fromSection; ++i) {
    const ExtensionConfig& extension = config.extensions[i];
    DnConfig dn;
    dn.dn = extension.dn;
    dn.name = extension.name;
    dn.on = DnLocation::Ccsip;
    dn.password = extension.password;
    config.dns.push_back(std::move(dn));
  }
}

std::string article(DnType type) {
  return type == DnType::Extension ? "an " : "a ";
}

void checkSwitchDns(SectionContext& context) {
  if (context.config.pbx) return;
  for (const Mention& mention : context.references.onSwitch) {
    const DnConfig* dn = context.config.findDn(mention.name);
    if (dn == nullptr) continue;
    std::string why;
    switch (dn->type) {
      case DnType::Voicemail:
        why = "a voicemail DN is reached through the switch";
        break;
      case DnType::Trunk:
        why = "a trunk DN stands for the switch";
        break;
      case DnType::Extension:
      case DnType::RoutingPoint:
        why = "this extension is on the switch (on: switch, or no password)";
        break;
    }
    context.diagnostics.error(mention.mark, mention.path, why + ", but there is no switch section");
  }
}

void checkDefaultDns(SectionContext& context) {
  for (const Mention& mention : context.references.defaultDns) {
    const DnConfig* dn = context.config.findDn(mention.name);
    if (dn == nullptr) {
      context.diagnostics.error(mention.mark, mention.path, "unknown DN \"" + mention.name + "\"");
    } else if (dn->type != DnType::Extension) {
      context.diagnostics.error(mention.mark, mention.path,
                                "DN \"" + mention.name + "\" is " + article(dn->type) +
                                    std::string(toString(dn->type)) +
                                    ": an agent logs in on an extension");
    }
  }
}

void checkNames(SectionContext& context) {
  for (const Mention& mention : context.references.members) {
    if (context.config.findAgent(mention.name) == nullptr) {
      context.diagnostics.error(mention.mark, mention.path,
                                "unknown agent \"" + mention.name + "\"");
    }
  }
  for (const Mention& mention : context.references.targetGroups) {
    if (context.config.findGroup(mention.name) == nullptr) {
      context.diagnostics.error(mention.mark, mention.path,
                                "unknown group \"" + mention.name + "\"");
    }
  }
}

// An overflow may go to a person or a service, not to the trunk itself.
void checkOverflowDnType(SectionContext& context, const Mention& mention, const DnConfig& dn) {
  if (dn.type == DnType::Trunk) {
    context.diagnostics.error(mention.mark, mention.path,
                              "DN \"" + mention.name + "\" is a trunk: not an overflow target");
  }
}

// The boxes the voicemail DNs reach, gathered once: every agent may name a box.
struct ReachableBoxes {
  explicit ReachableBoxes(const Config& config) {
    for (const DnConfig& dn : config.dns) {
      if (dn.type != DnType::Voicemail) continue;
      if (dn.voicemail.mailbox.empty()) {
        any = true;
      } else {
        boxes.insert(dn.voicemail.mailbox);
      }
    }
  }
  bool contains(std::string_view box) const { return any || boxes.contains(box); }

  bool any = false;  // a voicemail DN without a mailbox takes any box
  std::unordered_set<std::string_view> boxes;
};

// DESIGN.md: mailboxes live on Asterisk; a voicemail DN is how a call gets there.
void checkBoxReachable(SectionContext& context, const ReachableBoxes& reachable,
                       const Mention& mention, const std::string& box) {
  if (!reachable.contains(box)) {
    context.diagnostics.error(mention.mark, mention.path,
                              "no voicemail DN reaches box \"" + box +
                                  "\": add a dns entry of type voicemail (voicemail.mailbox: " +
                                  box + ", or no mailbox to take any box)");
  }
}

// A bare `voicemail` on a routing point: the box of the group its callers wait for.
void checkGroupVoicemails(SectionContext& context, const ReachableBoxes& reachable) {
  const Config& config = context.config;
  for (const Mention& mention : context.references.groupVoicemails) {
    const DnConfig* dn = config.findDn(mention.name);
    if (dn == nullptr) continue;  // the DN itself had an error
    const std::string& groupName = dn->routingPoint.targetGroup;
    if (groupName.empty()) {
      context.diagnostics.error(mention.mark, mention.path,
                                "voicemail on a routing point means its target group's box, and "
                                "this one has no routing-point.target-group: set one, or write "
                                "voicemail:<box>");
      continue;
    }
    const GroupConfig* group = config.findGroup(groupName);
    if (group == nullptr) continue;  // reported at target-group
    if (group->mailbox.empty()) {
      const std::string why =
          "voicemail on a routing point means its target group's box, and "
          "group \"" +
          groupName + "\" has no mailbox: set its mailbox, or write voicemail:<box>";
      context.diagnostics.error(mention.mark, mention.path, why);
      continue;
    }
    checkBoxReachable(context, reachable, mention, group->mailbox);
  }
}

void checkOverflows(SectionContext& context) {
  const Config& config = context.config;
  for (const Mention& mention : context.references.overflowDns) {
    if (const DnConfig* dn = config.findDn(mention.name)) {
      checkOverflowDnType(context, mention, *dn);
    } else {
      context.diagnostics.error(mention.mark, mention.path,
                                "unknown DN \"" + mention.name +
                                    "\" (expected voicemail, voicemail:<box>, recall, release, "
                                    "none, dn:<number> or a configured DN)");
    }
  }
  for (const Mention& mention : context.references.overflowNumbers) {
    if (const DnConfig* dn = config.findDn(mention.name)) {
      checkOverflowDnType(context, mention, *dn);
    } else if (!config.pbx) {
      context.diagnostics.error(mention.mark, mention.path,
                                "\"" + mention.name +
                                    "\" is no configured DN, and with no switch section there "
                                    "is nothing to dial it through");
    }
  }
  const ReachableBoxes reachable(config);
  for (const Mention& mention : context.references.voicemailBoxes) {
    checkBoxReachable(context, reachable, mention, mention.name);
  }
  checkGroupVoicemails(context, reachable);
}

// Two listeners on one TCP port: the same address, or a wildcard that covers the other (an
// IPv6 wildcard also takes IPv4 on a dual-stack socket).
bool overlaps(const boost::asio::ip::address& a, const boost::asio::ip::address& b) {
  if (a == b) return true;
  auto covers = [](const auto& wildcard, const auto& other) {
    return wildcard.is_unspecified() && (wildcard.is_v6() || other.is_v4());
  };
  return covers(a, b) || covers(b, a);
}

void checkPorts(SectionContext& context) {
  struct Taken {
    std::string path;
    TcpListenConfig listen;
  };
  std::vector<Taken> taken;
  const Config& config = context.config;
  for (std::size_t i = 0; i < config.sip.listen.size(); ++i) {
    const ListenConfig& listen = config.sip.listen[i];
    if (std::find(listen.transports.begin(), listen.transports.end(), TransportKind::Tcp) !=
        listen.transports.end()) {
      taken.push_back(Taken{"sip.listen[" + std::to_string(i) + "] (tcp)",
                            TcpListenConfig{listen.address, listen.port}});
    }
  }
  auto claim = [&](const std::optional<Mention>& at, const std::optional<TcpListenConfig>& listen) {
    if (!at || !listen) return;
    for (const Taken& other : taken) {
      if (listen->port != 0 && listen->port == other.listen.port &&
          overlaps(listen->address, other.listen.address)) {
        context.diagnostics.error(at->mark, at->path,
                                  "address and port already used by " + other.path);
        return;
      }
    }
    taken.push_back(Taken{at->path, *listen});
  };
  claim(context.references.ctiListen, config.cti.listen);
  claim(context.references.httpListen, config.http.listen);
}

}  // namespace

void crossCheck(SectionContext& context) {
  Config& config = context.config;
  if (config.registrar.realm.empty()) config.registrar.realm = config.sip.domain;
  if (config.sip.userAgent.empty()) config.sip.userAgent = "ccsip/" + std::string(version());
  mergeExtensions(config);
  checkSwitchDns(context);
  checkDefaultDns(context);
  checkNames(context);
  checkOverflows(context);
  checkPorts(context);
}

}  // namespace ccsip::config

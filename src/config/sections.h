#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/yaml_reader.h"

// One reader per top-level section, each in its own <name>_section.cpp. A reader validates
// what it can see alone and notes the names it refers to in References; crossCheck
// (cross_check.cpp) checks those once every section is read, at the line they were written.

namespace ccsip::config {

// A name written somewhere in the file, kept with its position for later checks.
struct Mention {
  std::string name;
  YAML::Mark mark;
  std::string path;  // the field path, e.g. "agents[2].default-dn"
};

struct References {
  std::map<std::string, int, std::less<>> dnLines;  // every DN defined -> its line
  std::vector<Mention> defaultDns;                  // agents[].default-dn
  std::vector<Mention> members;                     // groups[].members[]
  std::vector<Mention> targetGroups;                // dns[].routing-point.target-group
  std::vector<Mention> overflowDns;      // a bare number as overflow target: must be a DN
  std::vector<Mention> overflowNumbers;  // dn:<number>: a DN, or dialled through the switch
  std::vector<Mention> voicemailBoxes;   // overflow boxes: need a voicemail DN to reach them
  std::vector<Mention> onSwitch;         // DNs that live on the switch: need a switch section
  // A bare `voicemail` overflow on a routing point (the name is the routing point): its target
  // group's box, which must exist and be reachable.
  std::vector<Mention> groupVoicemails;
  std::optional<Mention> ctiListen;
  std::optional<Mention> httpListen;
};

// What every section reader gets.
struct SectionContext {
  Config& config;
  Diagnostics& diagnostics;
  References& references;
};

void readSipSection(const Field& field, SectionContext& context);
void readLogSection(const Field& field, SectionContext& context);
void readRegistrarSection(const Field& field, SectionContext& context);
void readExtensionsSection(const Field& field, SectionContext& context);
void readSwitchSection(const Field& field, SectionContext& context);
void readDnsSection(const Field& field, SectionContext& context);
void readAgentsSection(const Field& field, SectionContext& context);
void readGroupsSection(const Field& field, SectionContext& context);
void readOptionsSection(const Field& field, SectionContext& context);
void readCtiSection(const Field& field, SectionContext& context);
void readHttpSection(const Field& field, SectionContext& context);

// Defaults that depend on other sections, and the checks that span sections. Runs once every
// section is read, also when some had errors.
void crossCheck(SectionContext& context);

}  // namespace ccsip::config

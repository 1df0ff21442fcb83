#include "events/pidf.h"

#include <algorithm>
#include <utility>

#include "events/text_util.h"
#include "events/xml_names.h"

namespace ccsip::events {
namespace {

constexpr std::string_view kPidfNs = "urn:ietf:params:xml:ns:pidf";
// RFC 4479 data model (<dm:person>, <dm:note>), written by chan_pjsip.
constexpr std::string_view kDataModelNs = "urn:ietf:params:xml:ns:pidf:data-model";
// The person element of the RPID drafts, written by chan_sip (<pp:person>).
constexpr std::string_view kDraftPersonNs = "urn:ietf:params:xml:ns:pidf:person";
// RFC 4480 RPID is urn:ietf:params:xml:ns:pidf:rpid; the drafts chan_sip follows used names
// below it (...:rpid:rpid-person for <ep:activities>, ...:rpid:status:rpid-status).
constexpr std::string_view kRpidNs = "urn:ietf:params:xml:ns:pidf:rpid";

// How deep below <presence> activities are looked for: person/activities (RFC 4480),
// person/status/activities (chan_sip), tuple/status/activities (RPID drafts).
constexpr int kActivitiesMaxDepth = 3;

util::Error pidfError(std::string message) {
  return util::makeError(400, "pidf: " + std::move(message));
}

bool isRpidNamespace(std::string_view ns) {
  return ns == kRpidNs || (ns.starts_with(kRpidNs) && ns[kRpidNs.size()] == ':');
}

bool isPerson(pugi::xml_node node) {
  return xml::is(node, kDataModelNs, "person") || xml::is(node, kDraftPersonNs, "person");
}

void addUnique(std::vector<std::string>& list, std::string_view value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

void collectActivities(pugi::xml_node activities, std::vector<std::string>& out) {
  for (pugi::xml_node activity : activities.children()) {
    if (activity.type() != pugi::node_element) continue;
    const std::string_view name = xml::localName(activity);
    if (!name.empty()) addUnique(out, name);
  }
}

// Walks the elements under root down to kActivitiesMaxDepth levels, without recursion (the
// body is untrusted: its nesting depth must not become stack depth).
void findActivities(pugi::xml_node root, std::vector<std::string>& out) {
  pugi::xml_node node = root.first_child();
  int depth = 1;
  while (node && depth > 0) {
    bool descend = false;
    if (node.type() == pugi::node_element) {
      if (xml::localName(node) == "activities" && isRpidNamespace(xml::namespaceUri(node))) {
        collectActivities(node, out);
      } else if (depth < kActivitiesMaxDepth && node.first_child()) {
        descend = true;
      }
    }
    if (descend) {
      node = node.first_child();
      ++depth;
      continue;
    }
    while (!node.next_sibling() && depth > 0) {
      node = node.parent();
      --depth;
    }
    if (depth > 0) node = node.next_sibling();
  }
}

util::Result<PidfTuple> parseTuple(pugi::xml_node tupleNode) {
  PidfTuple tuple;
  // RFC 3863 4.1.2: id is mandatory.
  tuple.id = tupleNode.attribute("id").value();
  if (tuple.id.empty()) return pidfError("<tuple> without id");

  // RFC 3863 4.1.2: a tuple MUST contain a <status>.
  pugi::xml_node status = xml::child(tupleNode, kPidfNs, "status");
  if (!status) return pidfError("tuple '" + tuple.id + "' has no <status>");
  if (pugi::xml_node basic = xml::child(status, kPidfNs, "basic")) {
    const std::string_view value = xml::text(basic);
    if (iequals(value, "open")) {
      tuple.basic = BasicStatus::Open;
    } else if (iequals(value, "closed")) {
      tuple.basic = BasicStatus::Closed;
    } else {
      return pidfError("tuple '" + tuple.id + "': <basic> must be open or closed, not '" +
                       std::string(value) + "'");
    }
  }
  if (pugi::xml_node contact = xml::child(tupleNode, kPidfNs, "contact")) {
    tuple.contact = std::string(xml::text(contact));
    if (pugi::xml_attribute priority = contact.attribute("priority")) {
      tuple.contactPriority = priority.value();
    }
  }
  for (pugi::xml_node child : tupleNode.children()) {
    if (xml::is(child, kPidfNs, "note")) tuple.notes.emplace_back(xml::text(child));
  }
  return tuple;
}

}  // namespace

bool PidfDocument::hasActivity(std::string_view activity) const {
  return std::find(activities.begin(), activities.end(), activity) != activities.end();
}

bool PidfDocument::hasNote(std::string_view note) const {
  auto matches = [note](const std::string& n) { return iequals(n, note); };
  if (std::any_of(notes.begin(), notes.end(), matches)) return true;
  return std::any_of(tuples.begin(), tuples.end(), [&](const PidfTuple& t) {
    return std::any_of(t.notes.begin(), t.notes.end(), matches);
  });
}

std::optional<BasicStatus> PidfDocument::basic() const {
  std::optional<BasicStatus> result;
  for (const auto& tuple : tuples) {
    if (tuple.basic == BasicStatus::Open) return BasicStatus::Open;
    if (tuple.basic) result = tuple.basic;
  }
  return result;
}

util::Result<PidfDocument> parsePidf(std::string_view body) {
  pugi::xml_document doc;
  auto loaded = xml::loadDocument(doc, body, "pidf");
  if (!loaded.ok()) return loaded.error();
  const pugi::xml_node root = *loaded;
  if (!xml::is(root, kPidfNs, "presence")) {
    return pidfError("root element is " + xml::describe(root) + ", not {" + std::string(kPidfNs) +
                     "}presence");
  }

  PidfDocument document;
  // RFC 3863 4.1.1: <presence> MUST carry the presentity URI in entity.
  document.entity = root.attribute("entity").value();
  if (document.entity.empty()) return pidfError("<presence> without entity");

  bool anyBasic = false;
  for (pugi::xml_node child : root.children()) {
    if (xml::is(child, kPidfNs, "tuple")) {
      auto tuple = parseTuple(child);
      if (!tuple.ok()) return tuple.error();
      anyBasic = anyBasic || tuple->basic.has_value();
      document.tuples.push_back(std::move(*tuple));
    } else if (xml::is(child, kPidfNs, "note")) {
      document.notes.emplace_back(xml::text(child));
    } else if (isPerson(child)) {
      for (pugi::xml_node personChild : child.children()) {
        if (xml::is(personChild, kDataModelNs, "note") || xml::is(personChild, kPidfNs, "note")) {
          document.notes.emplace_back(xml::text(personChild));
        }
      }
    }
  }
  if (!anyBasic) return pidfError("no <basic> status in any tuple");
  findActivities(root, document.activities);
  return document;
}

EndpointState endpointState(const PidfDocument& document) {
  if (document.hasActivity("on-the-phone") || document.hasActivity("busy")) {
    // Both drivers write the same activity for ringing and for a call; only the note differs.
    return document.hasNote("Ringing") ? EndpointState::Ringing : EndpointState::Busy;
  }
  const std::optional<BasicStatus> basic = document.basic();
  if (!basic) return EndpointState::Unknown;
  return *basic == BasicStatus::Open ? EndpointState::Idle : EndpointState::Offline;
}

}  // namespace ccsip::events

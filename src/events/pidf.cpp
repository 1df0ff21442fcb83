#include "events/pidf.h"

#include <algorithm>
#include <utility>

#include "events/fast_xml.h"
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

// The two trees parsePidf reads, behind one interface: pugixml's, and the quick reader's
// (fast_xml.h) for the plain documents Asterisk sends. The rules below are written once.
struct PugiTree {
  using Node = pugi::xml_node;
  static bool isElement(Node n) { return n.type() == pugi::node_element; }
  static std::string_view localName(Node n) { return xml::localName(n); }
  static std::string_view namespaceUri(Node n) { return xml::namespaceUri(n); }
  static std::string_view text(Node n) { return xml::text(n); }
  static bool hasAttribute(Node n, const char* name) {
    return static_cast<bool>(n.attribute(name));
  }
  static std::string_view attribute(Node n, const char* name) { return n.attribute(name).value(); }
  static Node firstChild(Node n) { return n.first_child(); }
  static Node nextSibling(Node n) { return n.next_sibling(); }
  static Node parent(Node n) { return n.parent(); }
};

struct FastTree {
  using Node = xml::FastNode;
  static bool isElement(Node n) { return static_cast<bool>(n); }  // it holds elements only
  static std::string_view localName(Node n) {
    const std::string_view name = n.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
  }
  static std::string_view namespaceUri(Node n) { return n.namespaceUri(); }
  static std::string_view text(Node n) { return trimXml(n.text()); }
  static bool hasAttribute(Node n, const char* name) { return n.hasAttribute(name); }
  static std::string_view attribute(Node n, const char* name) { return n.attribute(name); }
  static Node firstChild(Node n) { return n.firstChild(); }
  static Node nextSibling(Node n) { return n.nextSibling(); }
  static Node parent(Node n) { return n.parent(); }
};

template <class Tree>
bool is(typename Tree::Node node, std::string_view ns, std::string_view local) {
  return Tree::isElement(node) && Tree::localName(node) == local && Tree::namespaceUri(node) == ns;
}

// The first child element {ns}local, or an empty node.
template <class Tree>
typename Tree::Node child(typename Tree::Node parent, std::string_view ns, std::string_view local) {
  for (auto node = Tree::firstChild(parent); node; node = Tree::nextSibling(node)) {
    if (is<Tree>(node, ns, local)) return node;
  }
  return {};
}

// "{namespace}local" for error messages.
template <class Tree>
std::string describe(typename Tree::Node node) {
  return "{" + std::string(Tree::namespaceUri(node)) + "}" + std::string(Tree::localName(node));
}

template <class Tree>
bool isPerson(typename Tree::Node node) {
  return is<Tree>(node, kDataModelNs, "person") || is<Tree>(node, kDraftPersonNs, "person");
}

void addUnique(std::vector<std::string>& list, std::string_view value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

template <class Tree>
void collectActivities(typename Tree::Node activities, std::vector<std::string>& out) {
  for (auto activity = Tree::firstChild(activities); activity;
       activity = Tree::nextSibling(activity)) {
    if (!Tree::isElement(activity)) continue;
    const std::string_view name = Tree::localName(activity);
    if (!name.empty()) addUnique(out, name);
  }
}

// Walks the elements under root down to kActivitiesMaxDepth levels, without recursion (the
// body is untrusted: its nesting depth must not become stack depth).
template <class Tree>
void findActivities(typename Tree::Node root, std::vector<std::string>& out) {
  auto node = Tree::firstChild(root);
  int depth = 1;
  while (node && depth > 0) {
    bool descend = false;
    if (Tree::isElement(node)) {
      if (Tree::localName(node) == "activities" && isRpidNamespace(Tree::namespaceUri(node))) {
        collectActivities<Tree>(node, out);
      } else if (depth < kActivitiesMaxDepth && Tree::firstChild(node)) {
        descend = true;
      }
    }
    if (descend) {
      node = Tree::firstChild(node);
      ++depth;
      continue;
    }
    while (!Tree::nextSibling(node) && depth > 0) {
      node = Tree::parent(node);
      --depth;
    }
    if (depth > 0) node = Tree::nextSibling(node);
  }
}

template <class Tree>
util::Result<PidfTuple> parseTuple(typename Tree::Node tupleNode) {
  PidfTuple tuple;
  // RFC 3863 4.1.2: id is mandatory.
  tuple.id = Tree::attribute(tupleNode, "id");
  if (tuple.id.empty()) return pidfError("<tuple> without id");

  // RFC 3863 4.1.2: a tuple MUST contain a <status>.
  auto status = child<Tree>(tupleNode, kPidfNs, "status");
  if (!status) return pidfError("tuple '" + tuple.id + "' has no <status>");
  if (auto basic = child<Tree>(status, kPidfNs, "basic")) {
    const std::string_view value = Tree::text(basic);
    if (iequals(value, "open")) {
      tuple.basic = BasicStatus::Open;
    } else if (iequals(value, "closed")) {
      tuple.basic = BasicStatus::Closed;
    } else {
      return pidfError("tuple '" + tuple.id + "': <basic> must be open or closed, not '" +
                       std::string(value) + "'");
    }
  }
  if (auto contact = child<Tree>(tupleNode, kPidfNs, "contact")) {
    tuple.contact = std::string(Tree::text(contact));
    if (Tree::hasAttribute(contact, "priority")) {
      tuple.contactPriority = std::string(Tree::attribute(contact, "priority"));
    }
  }
  for (auto node = Tree::firstChild(tupleNode); node; node = Tree::nextSibling(node)) {
    if (is<Tree>(node, kPidfNs, "note")) tuple.notes.emplace_back(Tree::text(node));
  }
  return tuple;
}

template <class Tree>
util::Result<PidfDocument> readPidf(typename Tree::Node root) {
  if (!is<Tree>(root, kPidfNs, "presence")) {
    return pidfError("root element is " + describe<Tree>(root) + ", not {" + std::string(kPidfNs) +
                     "}presence");
  }

  PidfDocument document;
  // RFC 3863 4.1.1: <presence> MUST carry the presentity URI in entity.
  document.entity = Tree::attribute(root, "entity");
  if (document.entity.empty()) return pidfError("<presence> without entity");

  bool anyBasic = false;
  for (auto node = Tree::firstChild(root); node; node = Tree::nextSibling(node)) {
    if (is<Tree>(node, kPidfNs, "tuple")) {
      auto tuple = parseTuple<Tree>(node);
      if (!tuple.ok()) return tuple.error();
      anyBasic = anyBasic || tuple->basic.has_value();
      document.tuples.push_back(std::move(*tuple));
    } else if (is<Tree>(node, kPidfNs, "note")) {
      document.notes.emplace_back(Tree::text(node));
    } else if (isPerson<Tree>(node)) {
      for (auto personChild = Tree::firstChild(node); personChild;
           personChild = Tree::nextSibling(personChild)) {
        if (is<Tree>(personChild, kDataModelNs, "note") || is<Tree>(personChild, kPidfNs, "note")) {
          document.notes.emplace_back(Tree::text(personChild));
        }
      }
    }
  }
  if (!anyBasic) return pidfError("no <basic> status in any tuple");
  findActivities<Tree>(root, document.activities);
  return document;
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
  // Asterisk's documents take the quick reader (a presence NOTIFY is half of a switch's
  // traffic); anything it declines gets pugixml, with the same rules and the same errors.
  if (auto quick = detail::parsePidfQuick(body)) return std::move(*quick);
  return detail::parsePidfTree(body);
}

namespace detail {

std::optional<util::Result<PidfDocument>> parsePidfQuick(std::string_view body) {
  xml::FastDocument tree;
  if (!xml::readFast(body, tree)) return std::nullopt;
  return readPidf<FastTree>(xml::FastNode(&tree, 0));
}

util::Result<PidfDocument> parsePidfTree(std::string_view body) {
  pugi::xml_document doc;
  auto loaded = xml::loadDocument(doc, body, "pidf");
  if (!loaded.ok()) return loaded.error();
  return readPidf<PugiTree>(*loaded);
}

}  // namespace detail

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

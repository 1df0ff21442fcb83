#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "events/simple_message_summary.h"

namespace ccsip::pbx {

// The userData of the MWI EventUserEvent (the seed's "gsipmwi" list, docs/protocol.md):
//   {"gsipmwi": {"Mailbox": "1000", "Messages-Waiting": "yes", "Voice-Message": "1/0 (0/0)",
//                "NewMessages": 1, "OldMessages": 0}}
// Voice-Message as Asterisk writes it (urgent counts only when the body had them); the counts
// are 0 when the body has no Voice-Message line.
boost::json::object mwiUserData(std::string_view mailbox, const events::MessageSummary& summary);

}  // namespace ccsip::pbx

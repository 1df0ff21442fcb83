#include "pbx/mwi_user_data.h"

#include <string>

namespace ccsip::pbx {

boost::json::object mwiUserData(std::string_view mailbox, const events::MessageSummary& summary) {
  const events::MessageCounts* voice = summary.voice();
  const events::MessageCounts counts = voice != nullptr ? *voice : events::MessageCounts{};
  std::string voiceMessage =
      std::to_string(counts.newMessages) + "/" + std::to_string(counts.oldMessages);
  if (counts.urgentNew && counts.urgentOld) {
    voiceMessage +=
        " (" + std::to_string(*counts.urgentNew) + "/" + std::to_string(*counts.urgentOld) + ")";
  }
  // Built from initializer lists: each object is sized once (member by member it would be
  // reallocated on every insertion; one MWI NOTIFY makes one of these).
  const std::string_view waiting = summary.messagesWaiting ? "yes" : "no";
  boost::json::object mwi{{"Mailbox", mailbox},
                          {"Messages-Waiting", waiting},
                          {"Voice-Message", voiceMessage},
                          {"NewMessages", counts.newMessages},
                          {"OldMessages", counts.oldMessages}};
  return boost::json::object{{"gsipmwi", std::move(mwi)}};
}

}  // namespace ccsip::pbx

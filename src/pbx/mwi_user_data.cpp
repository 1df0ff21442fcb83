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
  boost::json::object mwi;
  mwi["Mailbox"] = mailbox;
  mwi["Messages-Waiting"] = summary.messagesWaiting ? "yes" : "no";
  mwi["Voice-Message"] = voiceMessage;
  mwi["NewMessages"] = counts.newMessages;
  mwi["OldMessages"] = counts.oldMessages;
  return boost::json::object{{"gsipmwi", std::move(mwi)}};
}

}  // namespace ccsip::pbx

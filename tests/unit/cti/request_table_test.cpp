#include "cti/request_table.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ccsip::cti {
namespace {

// DESIGN.md "CTI protocol": every request of the protocol.
const std::vector<std::string> kDesignRequests{"RegisterAddress",
                                               "UnregisterAddress",
                                               "AgentLogin",
                                               "AgentLogout",
                                               "AgentSetReady",
                                               "AgentSetNotReady",
                                               "AgentSetAfterCallWork",
                                               "MakeCall",
                                               "AnswerCall",
                                               "ReleaseCall",
                                               "ClearCall",
                                               "HoldCall",
                                               "RetrieveCall",
                                               "RedirectCall",
                                               "InitiateTransfer",
                                               "CompleteTransfer",
                                               "SingleStepTransfer",
                                               "MuteTransfer",
                                               "InitiateConference",
                                               "CompleteConference",
                                               "SingleStepConference",
                                               "DeleteFromConference",
                                               "AlternateCall",
                                               "ReconnectCall",
                                               "RouteCall",
                                               "ApplyTreatment",
                                               "CollectDigits",
                                               "AttachUserData",
                                               "UpdateUserData",
                                               "DeleteUserData",
                                               "DistributeUserEvent",
                                               "QueryAddress",
                                               "QueryCall",
                                               "QueryServer"};

TEST(RequestTable, KnowsEveryRequestOfTheDesignPlusOpenSession) {
  for (const auto& name : kDesignRequests) {
    const auto* spec = findRequest(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_EQ(spec->name, name);
  }
  EXPECT_NE(findRequest("OpenSession"), nullptr);
  EXPECT_EQ(allRequests().size(), kDesignRequests.size() + 1);
}

TEST(RequestTable, NamesAreCaseSensitive) {
  EXPECT_EQ(findRequest("makecall"), nullptr);
  EXPECT_EQ(findRequest(""), nullptr);
  EXPECT_EQ(findRequest("EventRinging"), nullptr);
}

TEST(RequestTable, EveryRequestButQueryServerAndOpenSessionNamesThisDn) {
  for (const auto& spec : allRequests()) {
    bool hasThisDn = false;
    for (const auto& field : spec.fields) {
      if (field.name == "thisDN") {
        hasThisDn = true;
        EXPECT_TRUE(field.required) << spec.name;
      }
    }
    const bool exempt = spec.name == "QueryServer" || spec.name == "OpenSession";
    EXPECT_EQ(hasThisDn, !exempt) << spec.name;
  }
}

TEST(RequestTable, FieldNamesAreUniquePerRequest) {
  for (const auto& spec : allRequests()) {
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
      for (std::size_t j = i + 1; j < spec.fields.size(); ++j) {
        EXPECT_NE(spec.fields[i].name, spec.fields[j].name) << spec.name;
      }
    }
  }
}

}  // namespace
}  // namespace ccsip::cti

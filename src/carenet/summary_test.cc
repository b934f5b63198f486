#include "carenet/summary.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace moyakko::carenet {
namespace {

std::string FieldOf(std::string_view section, const nlohmann::json& data) {
  try {
    ValidateSectionData(section, data);
  } catch (const Failure& f) {
    return f.error().field;
  }
  return "";
}

TEST(SummaryData, AcceptsAndNormalisesEachSection) {
  auto level = ValidateSectionData("care_level", {{"level", "要介護2"}, {"certified_on", "2026-04-01"}});
  EXPECT_EQ(level["level"], "要介護2");
  auto kin = ValidateSectionData("next_of_kin", {{"name", "鈴木 恵"}, {"phones", {"090-0000-0000"}}, {"order", 1}});
  EXPECT_EQ(kin["order"], 1);
  auto acp = ValidateSectionData("acp", {{"resuscitation", "not_wanted"}, {"confirmed_on", "2026-10-01"},
                                         {"place_of_death", "自宅"}});
  EXPECT_EQ(acp["place_of_death"], "自宅");
  EXPECT_EQ(acp.size(), 3u);
}

TEST(SummaryData, NamesTheBadField) {
  EXPECT_EQ(FieldOf("care_level", {{"level", "要介護6"}, {"certified_on", "2026-04-01"}}), "data.level");
  EXPECT_EQ(FieldOf("care_level", {{"level", "要介護1"}, {"certified_on", "2026-02-30"}}), "data.certified_on");
  EXPECT_EQ(FieldOf("history", {{"since", "2019"}}), "data.condition");
  EXPECT_EQ(FieldOf("history", {{"condition", "高血圧"}, {"diagnosis_code", "I10"}}), "data.diagnosis_code");
  EXPECT_EQ(FieldOf("prescriptions", {{"drug", std::string(201, 'x')}}), "data.drug");
  EXPECT_EQ(FieldOf("next_of_kin", {{"name", "恵"}, {"order", 0}}), "data.order");
  EXPECT_EQ(FieldOf("next_of_kin", {{"name", "恵"}, {"phones", "090"}}), "data.phones");
  EXPECT_EQ(FieldOf("allergies", nlohmann::json::array()), "data");
  EXPECT_THROW(ValidateSectionData("diagnoses", {{"x", 1}}), Failure);
}

TEST(SummaryData, SectionsHaveTheirCategories) {
  EXPECT_EQ(CategoryOf("prescriptions"), auth::Category::kClinical);
  EXPECT_EQ(CategoryOf("next_of_kin"), auth::Category::kContacts);
  EXPECT_EQ(CategoryOf("acp"), auth::Category::kAcp);
  EXPECT_EQ(CategoryOf("care_level"), auth::Category::kCareLevel);
  EXPECT_EQ(CategoryOf("nothing"), std::nullopt);
  EXPECT_EQ(SummarySections().size(), 7u);
}

}  // namespace
}  // namespace moyakko::carenet

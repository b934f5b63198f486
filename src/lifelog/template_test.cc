#include "lifelog/template.h"

#include <gtest/gtest.h>

#include <functional>

#include "common/error.h"

namespace moyakko::lifelog {
namespace {

using nlohmann::json;

// The error's slug and field, or "" when `work` does not fail.
template <class Work>
std::string ErrorOf(Work&& work) {
  try {
    work();
  } catch (const Failure& f) {
    return f.error().slug + " " + f.error().field;
  }
  return "";
}

TEST(Template, PresetsFollowAge) {
  EXPECT_EQ(PresetForAge(9).kind, "pediatric");
  EXPECT_EQ(PresetForAge(17).kind, "pediatric");
  EXPECT_EQ(PresetForAge(18).kind, "elderly");
  EXPECT_EQ(PresetForAge(std::nullopt).kind, "elderly");
  EXPECT_FALSE(Preset("adult"));
  for (const char* kind : {"elderly", "pediatric"}) {
    // A preset reads back as itself, quick entries included.
    Template t = *Preset(kind);
    EXPECT_EQ(TemplateJson(ParseTemplate(TemplateJson(t))), TemplateJson(t)) << kind;
  }
  Template child = *Preset("pediatric");
  for (const char* key : {"feeding_ml", "suction", "seizure_sec", "spo2", "pulse", "temperature", "medicine",
                          "ventilator", "school"}) {
    EXPECT_TRUE(child.Find(key)) << key;
  }
}

TEST(Template, ValuesOutOfRangeAreAcceptedAndListed) {
  Template t = *Preset("pediatric");
  CheckedValues checked = CheckValues(t, {{"spo2", 88}, {"temperature", 37.2}, {"seizure_sec", 150}, {"suction", nullptr}});
  EXPECT_EQ(checked.out_of_range, (std::vector<std::string>{"seizure_sec", "spo2"}));  // template order
  EXPECT_EQ(checked.values.size(), 3u);  // the null is left out
  EXPECT_TRUE(CheckValues(t, {{"spo2", 92}, {"temperature", 37.5}}).out_of_range.empty());  // bounds are inside
}

TEST(Template, BadValuesNameTheirField) {
  Template t = *Preset("elderly");
  EXPECT_EQ(ErrorOf([&] { CheckValues(t, {{"weight", 50}}); }), "unknown_field values.weight");
  EXPECT_EQ(ErrorOf([&] { CheckValues(t, {{"urine", 1.5}}); }), "invalid_value values.urine");
  EXPECT_EQ(ErrorOf([&] { CheckValues(t, {{"urine", -1}}); }), "invalid_value values.urine");
  EXPECT_EQ(ErrorOf([&] { CheckValues(t, {{"mood", "最高"}}); }), "invalid_value values.mood");
  EXPECT_EQ(ErrorOf([&] { CheckValues(t, {{"temperature", "36.5"}}); }), "invalid_value values.temperature");
  EXPECT_EQ(ErrorOf([&] { CheckValues(t, json::array()); }), "expected_object values");
  EXPECT_EQ(ErrorOf([&] { CheckValues(t, {{"mood", "良い"}, {"urine", 3}}); }), "");
}

TEST(Template, ParsingChecksFieldsAndQuickEntries) {
  json base = TemplateJson(*Preset("pediatric"));
  auto with = [&](const std::function<void(json&)>& change) {
    json body = base;
    change(body);
    return ErrorOf([&] { ParseTemplate(body); });
  };
  EXPECT_EQ(with([](json&) {}), "");
  EXPECT_EQ(with([](json& b) { b["fields"][1]["key"] = "spo2"; }), "duplicate_key fields[3].key");
  EXPECT_EQ(with([](json& b) { b["fields"][0]["key"] = "Feeding"; }), "invalid_key fields[0].key");
  EXPECT_EQ(with([](json& b) { b["fields"][3]["min"] = 101; }), "invalid_range fields[3].min");
  EXPECT_EQ(with([](json& b) { b["fields"][3]["type"] = "slider"; }), "invalid_type fields[3].type");
  EXPECT_EQ(with([](json& b) { b["fields"][3]["decimals"] = 3; }), "invalid_type fields[3].decimals");
  EXPECT_EQ(with([](json& b) { b["fields"] = json::array(); }), "invalid_fields fields");
  EXPECT_EQ(with([](json& b) { b["quick"][0]["values"] = {{"feeding_ml", "多め"}}; }), "invalid_value quick[0].values.feeding_ml");
  EXPECT_EQ(with([](json& b) { b["quick"][0]["values"] = json::object(); }), "missing quick[0].values");
  EXPECT_EQ(with([](json& b) { b["kind"] = "adult"; }), "invalid_type kind");
}

TEST(Template, ValuesReadAsPeopleWriteThem) {
  Template t = *Preset("pediatric");
  EXPECT_EQ(FormatValue(*t.Find("spo2"), 95), "95 %");
  EXPECT_EQ(FormatValue(*t.Find("temperature"), 37.84), "37.8 ℃");
  EXPECT_EQ(FormatValue(*t.Find("medicine"), "朝の薬"), "朝の薬");
  EXPECT_EQ(FormatWithRange(*t.Find("spo2"), 88), "88 %（基準 92–100 %）");
  EXPECT_EQ(FormatWithRange(*t.Find("seizure_sec"), 150), "150 秒（基準 120 秒以下）");
}

}  // namespace
}  // namespace moyakko::lifelog

#pragma once
// What a person's life records hold (ここのーと): a template of fields — numbers with units
// and normal ranges, counts, choices, free text — and quick entries that record preset
// values with one tap. The two presets (an older person at home; a child with medical care
// needs) are where every person starts; professionals adjust them per person. Pure: no
// storage, no clock.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace moyakko::lifelog {

enum class FieldType { kNumber, kCount, kChoice, kText };

struct Field {
  std::string key;  // [a-z][a-z0-9_]{0,31}
  std::string label, label_en;
  FieldType type = FieldType::kNumber;
  std::string unit;
  std::optional<double> min, max;  // the normal range; a value outside it is highlighted
  int decimals = 0;                // places shown for numbers
  std::vector<std::string> choices, choices_en;
  std::string chart;  // "mean", "sum", "count" or "" (not charted)
};

struct QuickEntry {
  std::string label, label_en;
  nlohmann::json values;  // an object of field keys, checked like a record's values
};

struct Template {
  std::string kind;  // "elderly", "pediatric" or "custom"
  bool notify_team = false;
  std::vector<Field> fields;
  std::vector<QuickEntry> quick;

  const Field* Find(std::string_view key) const;
};

// The preset of `kind` ("elderly" or "pediatric"); nullopt for any other.
std::optional<Template> Preset(std::string_view kind);
// The preset for a person of `age`: pediatric under 18; elderly otherwise, and when the age
// is unknown (the common case of the platform).
Template PresetForAge(std::optional<int> age);

// Reads a template from a request body (kind, notify_team, fields, quick). Throws Failure
// 400 naming the offending field ("fields[2].min", …).
Template ParseTemplate(const nlohmann::json& body);
// kind, notify_team, fields, quick — as ParseTemplate reads it back.
nlohmann::json TemplateJson(const Template& t);

struct CheckedValues {
  nlohmann::json values = nlohmann::json::object();  // nulls dropped, numbers as sent
  std::vector<std::string> out_of_range;               // keys, in template order
};
// Checks a record's values against the template: 400 unknown_field, invalid_value (naming
// `<prefix><key>`) or expected_object. Values outside a normal range are accepted and listed.
CheckedValues CheckValues(const Template& t, const nlohmann::json& values, const std::string& prefix = "values.");

// A value as people read it: "95 %", "37.8 ℃", "良い".
std::string FormatValue(const Field& field, const nlohmann::json& value);
// "88 %（基準 92–100 %）" for a notice about an out-of-range value.
std::string FormatWithRange(const Field& field, const nlohmann::json& value);

}  // namespace moyakko::lifelog

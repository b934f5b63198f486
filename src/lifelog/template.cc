#include "lifelog/template.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"

namespace moyakko::lifelog {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFields = 40;
constexpr std::size_t kMaxQuick = 12;
constexpr std::size_t kMaxChoices = 12;
constexpr std::size_t kMaxTextChars = 2000;
constexpr double kMaxNumber = 1e6;
constexpr std::int64_t kMaxCount = 10000;

[[noreturn]] void Invalid(const std::string& code, const std::string& field, const std::string& message) {
  Fail(ErrorCode::kInvalidArgument, code, fmt::format("{}: {}", field, message), field);
}

Field Number(std::string key, std::string label, std::string label_en, std::string unit, std::optional<double> min,
             std::optional<double> max, int decimals, std::string chart) {
  return {std::move(key), std::move(label), std::move(label_en), FieldType::kNumber, std::move(unit), min, max,
          decimals, {}, {}, std::move(chart)};
}
Field Count(std::string key, std::string label, std::string label_en, std::string unit, std::string chart) {
  return {std::move(key), std::move(label), std::move(label_en), FieldType::kCount, std::move(unit), std::nullopt,
          std::nullopt, 0, {}, {}, std::move(chart)};
}
Field Choice(std::string key, std::string label, std::string label_en, std::vector<std::string> choices,
             std::vector<std::string> choices_en) {
  return {std::move(key), std::move(label), std::move(label_en), FieldType::kChoice, "", std::nullopt, std::nullopt,
          0, std::move(choices), std::move(choices_en), ""};
}
Field Text(std::string key, std::string label, std::string label_en) {
  return {std::move(key), std::move(label), std::move(label_en), FieldType::kText, "", std::nullopt, std::nullopt,
          0, {}, {}, ""};
}

// Ranges are the usual reference values for adults and for school-age children; the team
// adjusts them to the person (a child on home oxygen may live at SpO2 90).
Template Elderly() {
  std::vector<std::string> meal = {"全量", "半分", "少し", "食べず"}, meal_en = {"All", "Half", "A little", "None"};
  Template t;
  t.kind = "elderly";
  t.fields = {
      Choice("breakfast", "朝食", "Breakfast", meal, meal_en),
      Choice("lunch", "昼食", "Lunch", meal, meal_en),
      Choice("dinner", "夕食", "Dinner", meal, meal_en),
      Number("fluids_ml", "水分", "Fluids", "mL", std::nullopt, std::nullopt, 0, "sum"),
      Number("sleep_h", "睡眠", "Sleep", "時間", 5, 10, 1, "mean"),
      Count("urine", "排尿", "Urination", "回", "sum"),
      Choice("stool", "排便", "Stool", {"普通", "硬い", "軟らかい", "下痢"}, {"Normal", "Hard", "Soft", "Diarrhoea"}),
      Choice("mood", "気分", "Mood", {"良い", "普通", "不安", "落ち込み"}, {"Good", "Fair", "Anxious", "Low"}),
      Number("temperature", "体温", "Temperature", "℃", 35.5, 37.4, 1, "mean"),
      Number("bp_systolic", "血圧（上）", "Blood pressure (systolic)", "mmHg", 90, 159, 0, "mean"),
      Number("bp_diastolic", "血圧（下）", "Blood pressure (diastolic)", "mmHg", 50, 99, 0, "mean"),
      Number("pulse", "脈拍", "Pulse", "回/分", 50, 100, 0, "mean"),
  };
  t.quick = {{"水分 200mL", "Fluids 200 mL", {{"fluids_ml", 200}}},
             {"朝食 全量", "Breakfast: all", {{"breakfast", "全量"}}},
             {"排尿 1回", "Urinated once", {{"urine", 1}}}};
  return t;
}

Template Pediatric() {
  Template t;
  t.kind = "pediatric";
  t.notify_team = true;
  t.fields = {
      Number("feeding_ml", "注入（経管栄養）", "Tube feeding", "mL", std::nullopt, std::nullopt, 0, "sum"),
      Count("suction", "吸引", "Suction", "回", "sum"),
      Number("seizure_sec", "発作（持続時間）", "Seizure (duration)", "秒", std::nullopt, 120, 0, "count"),
      Number("spo2", "SpO2", "SpO2", "%", 92, 100, 0, "mean"),
      Number("pulse", "脈拍", "Pulse", "回/分", 60, 140, 0, "mean"),
      Number("temperature", "体温", "Temperature", "℃", 36.0, 37.5, 1, "mean"),
      Text("medicine", "与薬", "Medicines given"),
      Text("ventilator", "人工呼吸器メモ", "Ventilator notes"),
      Text("school", "学校・デイの連絡", "School / day-care notes"),
  };
  t.quick = {{"注入 200mL", "Feed 200 mL", {{"feeding_ml", 200}}},
             {"吸引 1回", "Suction once", {{"suction", 1}}},
             {"朝の薬 済", "Morning medicines given", {{"medicine", "朝の薬"}}},
             {"夕の薬 済", "Evening medicines given", {{"medicine", "夕の薬"}}}};
  return t;
}

std::string_view TypeName(FieldType type) {
  switch (type) {
    case FieldType::kNumber: return "number";
    case FieldType::kCount: return "count";
    case FieldType::kChoice: return "choice";
    case FieldType::kText: return "text";
  }
  return "text";
}

std::optional<FieldType> ParseType(std::string_view name) {
  for (FieldType type : {FieldType::kNumber, FieldType::kCount, FieldType::kChoice, FieldType::kText}) {
    if (TypeName(type) == name) return type;
  }
  return std::nullopt;
}

bool IsKey(const std::string& key) {
  if (key.empty() || key.size() > 32 || key[0] < 'a' || key[0] > 'z') return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// A string member of `object`: required or "" when absent or null; 400 naming `name` otherwise.
std::string StringMember(const json& object, const char* member, const std::string& name, std::size_t max_chars,
                         bool required) {
  auto it = object.find(member);
  if (it == object.end() || it->is_null()) {
    if (required) Invalid("missing", name, "required");
    return "";
  }
  if (!it->is_string() || !IsValidUtf8(it->get_ref<const std::string&>()) ||
      Utf8Length(it->get_ref<const std::string&>()) > max_chars) {
    Invalid("invalid_type", name, fmt::format("a string of at most {} characters", max_chars));
  }
  std::string value = it->get<std::string>();
  if (required && value.find_first_not_of(" \t\r\n") == std::string::npos) Invalid("missing", name, "required");
  return value;
}

std::optional<double> NumberMember(const json& object, const char* member, const std::string& name) {
  auto it = object.find(member);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number() || !std::isfinite(it->get<double>()) || std::fabs(it->get<double>()) > kMaxNumber) {
    Invalid("invalid_type", name, "a number");
  }
  return it->get<double>();
}

std::vector<std::string> Strings(const json& object, const char* member, const std::string& name) {
  std::vector<std::string> out;
  auto it = object.find(member);
  if (it == object.end() || it->is_null()) return out;
  if (!it->is_array() || it->size() > kMaxChoices) Invalid("invalid_type", name, fmt::format("up to {} strings", kMaxChoices));
  for (std::size_t i = 0; i < it->size(); ++i) {
    json holder = {{"v", (*it)[i]}};
    out.push_back(StringMember(holder, "v", fmt::format("{}[{}]", name, i), 40, true));
  }
  return out;
}

Field ParseField(const json& f, const std::string& name) {
  if (!f.is_object()) Invalid("expected_object", name, "an object");
  Field field;
  field.key = StringMember(f, "key", name + ".key", 32, true);
  if (!IsKey(field.key)) Invalid("invalid_key", name + ".key", "a–z, 0–9 and _, starting with a letter, at most 32");
  field.label = StringMember(f, "label", name + ".label", 40, true);
  field.label_en = StringMember(f, "label_en", name + ".label_en", 60, false);
  auto type = ParseType(StringMember(f, "type", name + ".type", 10, true));
  if (!type) Invalid("invalid_type", name + ".type", "number, count, choice or text");
  field.type = *type;
  bool measured = field.type == FieldType::kNumber || field.type == FieldType::kCount;
  if (measured) {
    field.unit = StringMember(f, "unit", name + ".unit", 10, false);
    field.min = NumberMember(f, "min", name + ".min");
    field.max = NumberMember(f, "max", name + ".max");
    if (field.min && field.max && *field.min > *field.max) Invalid("invalid_range", name + ".min", "not above max");
    field.chart = StringMember(f, "chart", name + ".chart", 10, false);
    if (!field.chart.empty() && field.chart != "mean" && field.chart != "sum" && field.chart != "count") {
      Invalid("invalid_type", name + ".chart", "mean, sum or count");
    }
  }
  if (field.type == FieldType::kNumber) {
    auto decimals = NumberMember(f, "decimals", name + ".decimals").value_or(0);
    if (decimals != 0 && decimals != 1 && decimals != 2) Invalid("invalid_type", name + ".decimals", "0, 1 or 2");
    field.decimals = static_cast<int>(decimals);
  }
  if (field.type == FieldType::kChoice) {
    field.choices = Strings(f, "choices", name + ".choices");
    field.choices_en = Strings(f, "choices_en", name + ".choices_en");
    if (field.choices.empty()) Invalid("missing", name + ".choices", "at least one choice");
    if (!field.choices_en.empty() && field.choices_en.size() != field.choices.size()) {
      Invalid("invalid_type", name + ".choices_en", "as many as choices");
    }
  }
  return field;
}

}  // namespace

const Field* Template::Find(std::string_view key) const {
  for (const Field& field : fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::optional<Template> Preset(std::string_view kind) {
  if (kind == "elderly") return Elderly();
  if (kind == "pediatric") return Pediatric();
  return std::nullopt;
}

Template PresetForAge(std::optional<int> age) { return age && *age < 18 ? Pediatric() : Elderly(); }

Template ParseTemplate(const json& body) {
  Template t;
  t.kind = StringMember(body, "kind", "kind", 20, false);
  if (t.kind.empty()) t.kind = "custom";
  if (t.kind != "elderly" && t.kind != "pediatric" && t.kind != "custom") {
    Invalid("invalid_type", "kind", "elderly, pediatric or custom");
  }
  auto notify = body.find("notify_team");
  if (notify != body.end() && !notify->is_null()) {
    if (!notify->is_boolean()) Invalid("invalid_type", "notify_team", "true or false");
    t.notify_team = notify->get<bool>();
  }
  auto fields = body.find("fields");
  if (fields == body.end() || !fields->is_array() || fields->empty() || fields->size() > kMaxFields) {
    Invalid("invalid_fields", "fields", fmt::format("1–{} fields", kMaxFields));
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < fields->size(); ++i) {
    std::string name = fmt::format("fields[{}]", i);
    t.fields.push_back(ParseField((*fields)[i], name));
    if (!keys.insert(t.fields.back().key).second) Invalid("duplicate_key", name + ".key", "used twice");
  }
  auto quick = body.find("quick");
  if (quick != body.end() && !quick->is_null()) {
    if (!quick->is_array() || quick->size() > kMaxQuick) Invalid("invalid_quick", "quick", fmt::format("up to {} entries", kMaxQuick));
    for (std::size_t i = 0; i < quick->size(); ++i) {
      std::string name = fmt::format("quick[{}]", i);
      const json& q = (*quick)[i];
      if (!q.is_object()) Invalid("expected_object", name, "an object");
      QuickEntry entry;
      entry.label = StringMember(q, "label", name + ".label", 20, true);
      entry.label_en = StringMember(q, "label_en", name + ".label_en", 40, false);
      CheckedValues checked = CheckValues(t, q.contains("values") ? q["values"] : json(), name + ".values.");
      if (checked.values.empty()) Invalid("missing", name + ".values", "at least one value");
      entry.values = std::move(checked.values);
      t.quick.push_back(std::move(entry));
    }
  }
  return t;
}

json TemplateJson(const Template& t) {
  json fields = json::array(), quick = json::array();
  for (const Field& f : t.fields) {
    json field = {{"key", f.key}, {"label", f.label}, {"label_en", f.label_en}, {"type", TypeName(f.type)}};
    if (f.type == FieldType::kNumber || f.type == FieldType::kCount) {
      field["unit"] = f.unit;
      field["min"] = f.min ? json(*f.min) : json(nullptr);
      field["max"] = f.max ? json(*f.max) : json(nullptr);
      field["chart"] = f.chart.empty() ? json(nullptr) : json(f.chart);
    }
    if (f.type == FieldType::kNumber) field["decimals"] = f.decimals;
    if (f.type == FieldType::kChoice) {
      field["choices"] = f.choices;
      field["choices_en"] = f.choices_en;
    }
    fields.push_back(std::move(field));
  }
  for (const QuickEntry& q : t.quick) quick.push_back({{"label", q.label}, {"label_en", q.label_en}, {"values", q.values}});
  return {{"kind", t.kind}, {"notify_team", t.notify_team}, {"fields", fields}, {"quick", quick}};
}

CheckedValues CheckValues(const Template& t, const json& values, const std::string& prefix) {
  CheckedValues out;
  if (values.is_null()) return out;
  std::string object_name = prefix.empty() ? "values" : prefix.substr(0, prefix.size() - 1);
  if (!values.is_object()) Invalid("expected_object", object_name, "an object of field keys");
  for (const Field& field : t.fields) {
    auto it = values.find(field.key);
    if (it == values.end() || it->is_null()) continue;
    std::string name = prefix + field.key;
    const json& v = *it;
    switch (field.type) {
      case FieldType::kNumber:
        if (!v.is_number() || !std::isfinite(v.get<double>()) || std::fabs(v.get<double>()) > kMaxNumber) {
          Invalid("invalid_value", name, "a number");
        }
        break;
      case FieldType::kCount:
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > kMaxCount) {
          Invalid("invalid_value", name, fmt::format("a whole number 0–{}", kMaxCount));
        }
        break;
      case FieldType::kChoice:
        if (!v.is_string() || std::find(field.choices.begin(), field.choices.end(), v.get<std::string>()) == field.choices.end()) {
          Invalid("invalid_value", name, "one of the field's choices");
        }
        break;
      case FieldType::kText:
        if (!v.is_string() || !IsValidUtf8(v.get_ref<const std::string&>()) ||
            Utf8Length(v.get_ref<const std::string&>()) > kMaxTextChars) {
          Invalid("invalid_value", name, fmt::format("a text of at most {} characters", kMaxTextChars));
        }
        break;
    }
    out.values[field.key] = v;
    if (field.type == FieldType::kNumber || field.type == FieldType::kCount) {
      double x = v.get<double>();
      if ((field.min && x < *field.min) || (field.max && x > *field.max)) out.out_of_range.push_back(field.key);
    }
  }
  for (const auto& [key, v] : values.items()) {
    if (!t.Find(key) && !v.is_null()) Invalid("unknown_field", prefix + key, "not a field of this person's template");
  }
  return out;
}

std::string FormatValue(const Field& field, const json& value) {
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (field.type == FieldType::kNumber && value.is_number()) {
    text = fmt::format("{:.{}f}", value.get<double>(), field.decimals);
  } else {
    text = value.dump();
  }
  return field.unit.empty() ? text : text + " " + field.unit;
}

std::string FormatWithRange(const Field& field, const json& value) {
  std::string unit = field.unit.empty() ? "" : " " + field.unit;
  auto bound = [&](double x) { return fmt::format("{:.{}f}", x, field.type == FieldType::kNumber ? field.decimals : 0); };
  std::string range;
  if (field.min && field.max) range = bound(*field.min) + "–" + bound(*field.max) + unit;
  else if (field.min) range = bound(*field.min) + unit + "以上";
  else if (field.max) range = bound(*field.max) + unit + "以下";
  return range.empty() ? FormatValue(field, value) : fmt::format("{}（基準 {}）", FormatValue(field, value), range);
}

}  // namespace moyakko::lifelog

#include "disaster/events.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <regex>

#include <fmt/format.h>

#include "auth/guard.h"
#include "common/error.h"
#include "common/text.h"
#include "disaster/tenant_settings.h"
#include "registry/persons.h"

namespace moyakko::disaster {
namespace {

using nlohmann::json;

constexpr UnixMillis kHour = 3'600'000;
constexpr int kWindowHours = 120;

constexpr std::array<PhaseInfo, 6> kPhases = {{
    {"preparation", "準備", "Preparation", -120, -24},
    {"warning", "警戒", "Warning", -24, 0},
    {"onset", "発災", "Onset", 0, 6},
    {"safety_confirmation", "安否確認", "Safety confirmation", 6, 72},
    {"recovery", "復旧", "Recovery", 72, 120},
    {"back_to_normal", "平常化", "Back to normal", 120, std::nullopt},
}};

constexpr std::array<const char*, 8> kKinds = {"earthquake", "flood", "typhoon", "landslide",
                                               "heat_wave",  "heavy_snow", "fire", "other"};

// What a municipality's disaster team checks in each phase (内閣府「避難行動要支援者の避難
// 行動支援に関する取組指針」 in short); an event gets its own copy, which it can extend.
struct DefaultItem {
  const char* phase;
  const char* text;
};
constexpr std::array<DefaultItem, 16> kDefaultChecklist = {{
    {"preparation", "避難行動要支援者名簿を最新の台帳で確認する"},
    {"preparation", "指定避難所・福祉避難所の開設準備と受入れ可能人数を確認する"},
    {"preparation", "在宅酸素・人工呼吸器利用者の電源確保を事業者と確認する"},
    {"warning", "高齢者等避難の発令に合わせ、要支援者と避難支援者へ連絡する"},
    {"warning", "コールセンターの一斉同報の対象（地区・支援理由）を決める"},
    {"warning", "医療機関・介護事業所の稼働予定を確認する"},
    {"onset", "災害対策本部を設置し、この記録に経過を残す"},
    {"onset", "見守りセンサーの無通信世帯・停電の疑いのある地区を確認する"},
    {"onset", "同意のない要支援者の名簿情報を避難支援者と共有する（災害対策基本法）"},
    {"safety_confirmation", "全要支援者の安否を確認する（未確認ゼロまで）"},
    {"safety_confirmation", "避難所ごとの避難者数と必要な支援（電源・医療）を把握する"},
    {"safety_confirmation", "地区別の安否集計を市へ報告する"},
    {"recovery", "医療機関・薬局・介護事業所の再開状況を確認する"},
    {"recovery", "避難所の要支援者の帰宅・入所先を調整する"},
    {"back_to_normal", "訓練・対応の振り返りを行い、名簿と計画を更新する"},
    {"back_to_normal", "名簿情報の共有範囲を平常時に戻したことを確認する"},
}};

const SafetySettings& DefaultSafetySettings() {
  static const SafetySettings defaults{{{"red", "#d32f2f", "要支援", "Needs help"},
                                        {"blue", "#1565c0", "無事", "Safe"},
                                        {"yellow", "#f9a825", "未確認", "Unconfirmed"}},
                                       "yellow"};
  return defaults;
}

json UserRef(store::Session& s, std::optional<std::int64_t> user_id) {
  if (!user_id) return nullptr;
  auto row = s.QueryOne("SELECT display_name FROM users WHERE id = $1", {*user_id});
  return {{"id", *user_id}, {"name", row ? row->Text(0) : ""}};
}

// A user's id and name read along with the row (columns `id_column` and the one after it).
json UserRefIn(const store::Row& row, std::size_t id_column) {
  if (row.IsNull(id_column)) return nullptr;
  return {{"id", row.Int(id_column)}, {"name", row.OptText(id_column + 1).value_or("")}};
}

json ChecklistItemJson(const store::Row& row) {
  return {{"id", row.Int(0)},
          {"phase", row.Text(1)},
          {"text", row.Text(2)},
          {"done_at", row.IsNull(3) ? json(nullptr) : json(FormatRfc3339(row.Int(3)))},
          {"done_by", UserRefIn(row, 4)}};
}

constexpr const char* kChecklistColumns =
    "SELECT c.id, c.phase, c.text, c.done_at, c.done_by, u.display_name FROM disaster_checklist c "
    "LEFT JOIN users u ON u.id = c.done_by";

const char* kEventColumns =
    "SELECT e.id, e.tenant_id, e.kind, e.title, e.area, e.drill, e.onset_at, e.declared_at, e.declared_by, "
    "u.display_name, e.ended_at FROM disaster_events e JOIN users u ON u.id = e.declared_by";

Event EventFromRow(const store::Row& row) {
  Event e;
  e.id = row.Int(0);
  e.tenant_id = row.Int(1);
  e.kind = row.Text(2);
  e.title = row.Text(3);
  e.area = json::parse(row.Text(4)).get<std::vector<std::string>>();
  e.drill = row.Int(5) != 0;
  e.onset_at = row.Int(6);
  e.declared_at = row.Int(7);
  e.declared_by = row.Int(8);
  e.declared_by_name = row.Text(9);
  e.ended_at = row.OptInt(10);
  return e;
}

void FillLedgerRelation(store::Session& s, const auth::Principal&, auth::PersonContext& context) {
  auto row = s.QueryOne("SELECT l.consent, p.district FROM ledger_entries l JOIN persons p ON p.id = l.person_id "
                        "WHERE l.person_id = $1",
                        {context.person_id});
  if (!row) return;
  context.in_ledger = true;
  context.ledger_consent = row->Int(0) != 0;
  context.disaster_declared = DisasterDeclared(s, context.tenant_id, row->Text(1));
}

}  // namespace

std::span<const PhaseInfo> Phases() { return kPhases; }

bool IsPhase(const std::string& key) {
  return std::any_of(kPhases.begin(), kPhases.end(), [&](const PhaseInfo& p) { return key == p.key; });
}

bool Event::Covers(const std::string& district) const {
  return area.empty() || std::find(area.begin(), area.end(), district) != area.end();
}

std::string Event::PhaseAt(UnixMillis now) const {
  if (ended_at) return "ended";
  std::string phase = kPhases.front().key;
  for (const PhaseInfo& p : kPhases) {
    if (now >= onset_at + p.starts_hours * kHour) phase = p.key;
  }
  return phase;
}

Event Declare(store::Session& s, std::int64_t tenant_id, std::int64_t user_id, const NewEvent& event, UnixMillis now) {
  if (std::find_if(kKinds.begin(), kKinds.end(), [&](const char* k) { return event.kind == k; }) == kKinds.end()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_kind",
         "kind: earthquake, flood, typhoon, landslide, heat_wave, heavy_snow, fire or other", "kind");
  }
  std::string title = Trim(event.title);
  if (title.empty() || Utf8Length(title) > 100) {
    Fail(ErrorCode::kInvalidArgument, "invalid_title", "title: 1–100 characters", "title");
  }
  if (event.area.size() > 200 || std::any_of(event.area.begin(), event.area.end(), [](const std::string& d) {
        return d.empty() || Utf8Length(d) > 50;
      })) {
    Fail(ErrorCode::kInvalidArgument, "invalid_area", "area: at most 200 districts of 1–50 characters", "area");
  }
  if (std::abs(event.onset_at - now) > kWindowHours * kHour) {
    Fail(ErrorCode::kInvalidArgument, "invalid_onset", "onset_at: within 120 hours of now", "onset_at");
  }
  std::int64_t id = s.QueryOne("INSERT INTO disaster_events (tenant_id, kind, title, area, drill, onset_at, "
                               "declared_at, declared_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                               {tenant_id, event.kind, title, json(event.area).dump(), std::int64_t{event.drill},
                                event.onset_at, now, user_id})
                       ->Int(0);
  for (std::size_t i = 0; i < kDefaultChecklist.size(); ++i) {
    s.Execute("INSERT INTO disaster_checklist (event_id, phase, position, text) VALUES ($1, $2, $3, $4)",
              {id, std::string(kDefaultChecklist[i].phase), static_cast<std::int64_t>(i),
               std::string(kDefaultChecklist[i].text)});
  }
  Event stored = LoadEvent(s, id, tenant_id);
  AppendLog(s, stored, "declared",
            fmt::format("{}を宣言: {}（発災 {}）", event.drill ? "訓練" : "災害", title,
                        FormatLocalMinute(event.onset_at, registry::TenantTimeZone(s, tenant_id))),
            user_id, now);
  return stored;
}

Event LoadEvent(store::Session& s, std::int64_t event_id, std::int64_t tenant_id) {
  auto row = s.QueryOne(std::string(kEventColumns) + " WHERE e.id = $1 AND e.tenant_id = $2", {event_id, tenant_id});
  if (!row) Fail(ErrorCode::kNotFound, "no_such_event", "no such disaster event");
  return EventFromRow(*row);
}

void RequireOpen(const Event& event) {
  if (event.ended_at) Fail(ErrorCode::kConflict, "event_ended", "this event has ended");
}

void EndEvent(store::Session& s, const Event& event, std::int64_t user_id, UnixMillis now) {
  if (event.ended_at) Fail(ErrorCode::kConflict, "already_ended", "this event has already ended");
  s.Execute("UPDATE disaster_events SET ended_at = $1, ended_by = $2 WHERE id = $3", {now, user_id, event.id});
  AppendLog(s, event, "ended", event.drill ? "訓練を終了" : "災害対応を終了", user_id, now);
}

std::vector<Event> ListEvents(store::Session& s, std::int64_t tenant_id) {
  std::vector<Event> events;
  for (const auto& row : s.Query(std::string(kEventColumns) +
                                     " WHERE e.tenant_id = $1 ORDER BY e.ended_at IS NOT NULL, e.onset_at DESC, e.id DESC "
                                     "LIMIT 200",
                                 {tenant_id})) {
    events.push_back(EventFromRow(row));
  }
  return events;
}

json EventJson(const Event& e, UnixMillis now) {
  return {{"id", e.id},
          {"kind", e.kind},
          {"title", e.title},
          {"area", e.area},
          {"drill", e.drill},
          {"onset_at", FormatRfc3339(e.onset_at)},
          {"declared_at", FormatRfc3339(e.declared_at)},
          {"ended_at", e.ended_at ? json(FormatRfc3339(*e.ended_at)) : json(nullptr)},
          {"phase", e.PhaseAt(now)},
          {"declared_by", {{"id", e.declared_by}, {"name", e.declared_by_name}}}};
}

json EventDetailJson(store::Session& s, const Event& e, UnixMillis now) {
  json out = EventJson(e, now);
  std::map<std::string, json> checklists;
  for (const auto& row : s.Query(std::string(kChecklistColumns) + " WHERE c.event_id = $1 ORDER BY c.position, c.id", {e.id})) {
    checklists[row.Text(1)].push_back(ChecklistItemJson(row));
  }
  json phases = json::array();
  for (const PhaseInfo& p : kPhases) {
    json checklist = checklists.contains(p.key) ? checklists[p.key] : json::array();
    phases.push_back({{"key", p.key},
                      {"name", p.name},
                      {"name_en", p.name_en},
                      {"starts_at", FormatRfc3339(e.onset_at + p.starts_hours * kHour)},
                      {"ends_at", p.ends_hours ? json(FormatRfc3339(e.onset_at + *p.ends_hours * kHour)) : json(nullptr)},
                      {"checklist", checklist}});
  }
  out["phases"] = phases;
  json log = json::array();
  for (const auto& row : s.Query("SELECT l.id, l.at, l.kind, l.phase, l.text, l.author_user_id, u.display_name "
                                 "FROM disaster_log l LEFT JOIN users u ON u.id = l.author_user_id "
                                 "WHERE l.event_id = $1 ORDER BY l.id DESC LIMIT 500",
                                 {e.id})) {
    log.push_back({{"id", row.Int(0)},
                   {"at", FormatRfc3339(row.Int(1))},
                   {"kind", row.Text(2)},
                   {"phase", row.Text(3)},
                   {"text", row.Text(4)},
                   {"author", UserRefIn(row, 5)}});
  }
  out["log"] = log;
  return out;
}

json AppendLog(store::Session& s, const Event& event, const std::string& kind, const std::string& text,
               std::optional<std::int64_t> author, UnixMillis now) {
  std::string phase = event.PhaseAt(now);
  std::int64_t id = s.QueryOne("INSERT INTO disaster_log (event_id, at, kind, phase, text, author_user_id) "
                               "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                               {event.id, now, kind, phase, text, store::Opt(author)})
                        ->Int(0);
  return {{"id", id},   {"at", FormatRfc3339(now)}, {"kind", kind},
          {"phase", phase}, {"text", text},          {"author", UserRef(s, author)}};
}

json AddChecklistItem(store::Session& s, const Event& event, const std::string& phase, const std::string& text,
                      std::int64_t user_id, UnixMillis now) {
  if (!IsPhase(phase)) Fail(ErrorCode::kInvalidArgument, "invalid_phase", "phase: one of the six phases", "phase");
  auto last = s.QueryOne("SELECT COALESCE(MAX(position), 0) + 1 FROM disaster_checklist WHERE event_id = $1", {event.id});
  std::int64_t id = s.QueryOne("INSERT INTO disaster_checklist (event_id, phase, position, text) "
                               "VALUES ($1, $2, $3, $4) RETURNING id",
                               {event.id, phase, last->Int(0), text})
                        ->Int(0);
  AppendLog(s, event, "checklist", "チェック項目を追加: " + text, user_id, now);
  return ChecklistItemJson(*s.QueryOne(std::string(kChecklistColumns) + " WHERE c.id = $1", {id}));
}

json SetChecklistDone(store::Session& s, const Event& event, std::int64_t item_id, bool done, std::int64_t user_id,
                      UnixMillis now) {
  auto row = s.QueryOne(std::string(kChecklistColumns) + " WHERE c.id = $1 AND c.event_id = $2", {item_id, event.id});
  if (!row) Fail(ErrorCode::kNotFound, "no_such_item", "no such checklist item");
  bool was_done = !row->IsNull(3);
  if (was_done != done) {
    if (done) {
      s.Execute("UPDATE disaster_checklist SET done_at = $1, done_by = $2 WHERE id = $3", {now, user_id, item_id});
    } else {
      s.Execute("UPDATE disaster_checklist SET done_at = NULL, done_by = NULL WHERE id = $1", {item_id});
    }
    AppendLog(s, event, "checklist", (done ? "完了: " : "未完了に戻す: ") + row->Text(2), user_id, now);
  }
  return ChecklistItemJson(*s.QueryOne(std::string(kChecklistColumns) + " WHERE c.id = $1", {item_id}));
}

bool DisasterDeclared(store::Session& s, std::int64_t tenant_id, const std::string& district) {
  for (const auto& row : s.Query("SELECT area FROM disaster_events WHERE tenant_id = $1 AND drill = 0 "
                                 "AND ended_at IS NULL",
                                 {tenant_id})) {
    auto area = json::parse(row.Text(0)).get<std::vector<std::string>>();
    if (area.empty() || std::find(area.begin(), area.end(), district) != area.end()) return true;
  }
  return false;
}

void InstallRelations() {
  static std::once_flag once;
  std::call_once(once, [] { auth::AddRelationSource(FillLedgerRelation); });
}

const SafetyLabel* SafetySettings::Find(const std::string& key) const {
  auto found = std::find_if(labels.begin(), labels.end(), [&](const SafetyLabel& l) { return l.key == key; });
  return found == labels.end() ? nullptr : &*found;
}

SafetySettings LoadSafetySettings(store::Session& s, const std::string& tenant_code) {
  auto saved = LoadTenantSetting(s, "safety_labels", tenant_code);
  return saved ? ParseSafetySettings(*saved) : DefaultSafetySettings();
}

SafetySettings ParseSafetySettings(const json& body) {
  auto labels = body.find("labels");
  if (labels == body.end() || !labels->is_array() || labels->size() < 2 || labels->size() > 6) {
    Fail(ErrorCode::kInvalidArgument, "invalid_labels", "labels: 2–6 labels", "labels");
  }
  static const std::regex key_pattern("[a-z0-9_]{1,20}"), color_pattern("#[0-9a-fA-F]{6}");
  SafetySettings settings;
  for (std::size_t i = 0; i < labels->size(); ++i) {
    const json& item = (*labels)[i];
    std::string field = fmt::format("labels[{}]", i);
    auto text = [&](const char* name) {
      auto value = item.is_object() ? item.find(name) : item.end();
      if (!item.is_object() || value == item.end() || !value->is_string()) {
        Fail(ErrorCode::kInvalidArgument, "invalid_label", field + "." + name + ": required", field + "." + name);
      }
      return value->get<std::string>();
    };
    SafetyLabel label{text("key"), text("color"), Trim(text("name")), Trim(text("name_en"))};
    bool names_ok = !label.name.empty() && IsValidUtf8(label.name) && Utf8Length(label.name) <= 20 &&
                    IsValidUtf8(label.name_en) && Utf8Length(label.name_en) <= 40;
    if (!std::regex_match(label.key, key_pattern) || !std::regex_match(label.color, color_pattern) || !names_ok ||
        settings.Find(label.key)) {
      Fail(ErrorCode::kInvalidArgument, "invalid_label",
           field + ": a unique key [a-z0-9_], a colour #rrggbb and a name of 1–20 characters", field);
    }
    settings.labels.push_back(std::move(label));
  }
  auto fallback = body.find("default_label");
  settings.default_label = fallback != body.end() && fallback->is_string() ? fallback->get<std::string>() : "";
  if (!settings.Find(settings.default_label)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_default", "default_label: one of the labels' keys", "default_label");
  }
  return settings;
}

void SaveSafetySettings(store::Session& s, const std::string& tenant_code, const SafetySettings& settings) {
  SaveTenantSetting(s, "safety_labels", tenant_code, LabelsJson(settings));
}

json LabelsJson(const SafetySettings& settings) {
  json labels = json::array();
  for (const SafetyLabel& l : settings.labels) {
    labels.push_back({{"key", l.key}, {"color", l.color}, {"name", l.name}, {"name_en", l.name_en}});
  }
  return {{"labels", labels}, {"default_label", settings.default_label}};
}

}  // namespace moyakko::disaster

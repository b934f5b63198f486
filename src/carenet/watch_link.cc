#include "carenet/watch_link.h"

#include <map>
#include <mutex>

#include <fmt/format.h>

#include "carenet/timeline.h"
#include "watch/alert_steps.h"

namespace moyakko::carenet {
namespace {

std::string Label(const std::map<std::string, std::string>& labels, const std::string& key) {
  auto it = labels.find(key);
  return it == labels.end() ? key : it->second;
}

// The post's text, or nothing for steps that mean nothing to the care team (a claim, a
// reminder to the call centre).
std::optional<std::string> PostText(const watch::AlertStepEvent& e) {
  static const std::map<std::string, std::string> actions = {
      {"call_resident", "本人へ電話"}, {"call_family", "家族へ電話"},   {"handover_city", "市へ引き継ぎ"},
      {"city_visit", "市職員が訪問"},  {"call_119", "119番通報"},       {"note", "メモ"}};
  static const std::map<std::string, std::string> outcomes = {
      {"fine", "無事"},           {"needs_help", "支援が必要"},   {"no_answer", "応答なし"},
      {"reached", "連絡がついた"}, {"not_home", "不在"},           {"resident_fine", "本人無事"},
      {"family_handled", "家族が対応"}, {"city_handled", "市が対応"}, {"transported", "救急搬送"},
      {"false_alarm", "誤報"},    {"other", "その他"}};
  auto with_note = [&](std::string text) { return e.note.empty() ? text : text + "\n" + e.note; };
  if (e.action == "opened") return "【見守りアラート】" + e.alert_text;
  if (e.action == "close") return with_note("【見守り】対応終了: " + Label(outcomes, e.outcome));
  if (e.action == "escalate") return fmt::format("【見守り】対応が第{}段階に進みました", e.target);
  if (!actions.contains(e.action)) return std::nullopt;
  std::string text = "【見守り】" + Label(actions, e.action);
  if (!e.outcome.empty()) text += ": " + Label(outcomes, e.outcome);
  return with_note(text);
}

}  // namespace

void LinkWatchAlerts() {
  static std::once_flag once;
  std::call_once(once, [] {
    watch::ObserveAlertSteps([](store::Session& s, const watch::AlertStepEvent& e) {
      auto text = PostText(e);
      if (!text) return;
      bool important = e.action == "opened" || e.action == "call_119";
      AddSystemPost(s, e.person_id, "watch_alert", *text, important, e.alert_id, e.at);
    });
  });
}

}  // namespace moyakko::carenet

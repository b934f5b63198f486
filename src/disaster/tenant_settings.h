#pragma once
// A municipality's own settings of the disaster part (header mapping, safety labels), kept
// as JSON in the settings table under "<name>:<tenant code>".
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace moyakko::disaster {

inline std::optional<nlohmann::json> LoadTenantSetting(store::Session& s, const std::string& name,
                                                       const std::string& tenant_code) {
  auto row = s.QueryOne("SELECT value FROM settings WHERE key = $1", {name + ":" + tenant_code});
  if (!row) return std::nullopt;
  return nlohmann::json::parse(row->Text(0));
}

inline void SaveTenantSetting(store::Session& s, const std::string& name, const std::string& tenant_code,
                              const nlohmann::json& value) {
  std::string key = name + ":" + tenant_code;
  s.Execute("DELETE FROM settings WHERE key = $1", {key});
  s.Execute("INSERT INTO settings (key, value) VALUES ($1, $2)", {key, value.dump()});
}

}  // namespace moyakko::disaster

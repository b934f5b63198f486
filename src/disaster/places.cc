#include "disaster/places.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"

namespace moyakko::disaster {
namespace {

using nlohmann::json;

constexpr const char* kPhotoOwner = "facility_report";

// The directory's kinds that are care facilities (not the city, the fire brigade, a school).
constexpr const char* kFacilityKinds =
    "('clinic', 'hospital', 'dental_clinic', 'pharmacy', 'visiting_nursing', 'care_management', 'care_service', "
    "'day_care', 'care_home')";

std::vector<std::string> Words(const json& body, const char* field, const char* code) {
  std::vector<std::string> words;
  auto value = body.find(field);
  if (value == body.end() || value->is_null()) return words;
  bool ok = value->is_array() && value->size() <= 20 && std::all_of(value->begin(), value->end(), [](const json& v) {
              return v.is_string() && !Trim(v.get<std::string>()).empty() && Utf8Length(v.get<std::string>()) <= 40;
            });
  if (!ok) Fail(ErrorCode::kInvalidArgument, code, std::string(field) + ": at most 20 words of 1–40 characters", field);
  for (const json& v : *value) words.push_back(Trim(v.get<std::string>()));
  return words;
}

std::string Message(const json& body) {
  auto value = body.find("message");
  if (value == body.end() || value->is_null()) return "";
  if (!value->is_string() || Utf8Length(value->get<std::string>()) > 1000) {
    Fail(ErrorCode::kInvalidArgument, "invalid_message", "message: at most 1000 characters", "message");
  }
  return Trim(value->get<std::string>());
}

json RealOrNull(const store::Row& row, std::size_t column) {
  return row.IsNull(column) ? json(nullptr) : json(row.Real(column));
}

const char* const kShelterColumns =
    "SELECT id, name, address, district, lat, lon, capacity, accessibility FROM shelters";

json ShelterJson(const store::Row& row) {
  return {{"id", row.Int(0)},          {"name", row.Text(1)},      {"address", row.Text(2)},
          {"district", row.Text(3)},   {"lat", RealOrNull(row, 4)}, {"lon", RealOrNull(row, 5)},
          {"capacity", row.Int(6)},    {"accessibility", json::parse(row.Text(7))}};
}

json ReportAuthor(const store::Row& row, std::size_t at) {
  return {{"at", FormatRfc3339(row.Int(at))}, {"by", {{"id", row.Int(at + 1)}, {"name", row.Text(at + 2)}}}};
}

json PlaceOf(const json& places, const char* list, std::int64_t id) {
  for (const json& place : places.at(list)) {
    if (place["id"] == id) return place;
  }
  return nullptr;
}

}  // namespace

NewShelter ParseShelter(const json& body) {
  NewShelter shelter;
  auto text = [&](const char* field, std::size_t max, bool required) {
    auto value = body.find(field);
    std::string out = value != body.end() && value->is_string() ? Trim(value->get<std::string>()) : "";
    if ((required && out.empty()) || (value != body.end() && !value->is_null() && !value->is_string()) ||
        Utf8Length(out) > max) {
      Fail(ErrorCode::kInvalidArgument, std::string("invalid_") + field,
           fmt::format("{}: text of {}–{} characters", field, required ? 1 : 0, max), field);
    }
    return out;
  };
  shelter.name = text("name", 100, true);
  shelter.address = text("address", 200, false);
  shelter.district = text("district", 50, false);
  auto capacity = body.find("capacity");
  if (capacity == body.end() || !capacity->is_number_integer() || capacity->get<std::int64_t>() < 0 ||
      capacity->get<std::int64_t>() > 100000) {
    Fail(ErrorCode::kInvalidArgument, "invalid_capacity", "capacity: a whole number of people, 0–100000", "capacity");
  }
  shelter.capacity = capacity->get<int>();
  auto lat = body.find("lat"), lon = body.find("lon");
  bool has_lat = lat != body.end() && !lat->is_null(), has_lon = lon != body.end() && !lon->is_null();
  if (has_lat || has_lon) {
    bool ok = has_lat && has_lon && lat->is_number() && lon->is_number() && std::abs(lat->get<double>()) <= 90 &&
              std::abs(lon->get<double>()) <= 180;
    if (!ok) Fail(ErrorCode::kInvalidArgument, "invalid_position", "lat and lon: both, in degrees", "lat");
    shelter.lat = lat->get<double>();
    shelter.lon = lon->get<double>();
  }
  shelter.accessibility = Words(body, "accessibility", "invalid_accessibility");
  return shelter;
}

json AddShelter(store::Session& s, std::int64_t tenant_id, const NewShelter& shelter, UnixMillis now) {
  if (s.QueryOne("SELECT 1 FROM shelters WHERE tenant_id = $1 AND name = $2", {tenant_id, shelter.name})) {
    Fail(ErrorCode::kConflict, "shelter_exists", "the municipality already has a shelter of this name", "name");
  }
  std::int64_t id = s.QueryOne("INSERT INTO shelters (tenant_id, name, address, district, lat, lon, capacity, "
                               "accessibility, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                               {tenant_id, shelter.name, shelter.address, shelter.district, store::Opt(shelter.lat),
                                store::Opt(shelter.lon), std::int64_t{shelter.capacity},
                                json(shelter.accessibility).dump(), now})
                        ->Int(0);
  return ShelterJson(*s.QueryOne(std::string(kShelterColumns) + " WHERE id = $1", {id}));
}

json SheltersJson(store::Session& s, std::int64_t tenant_id) {
  json out = json::array();
  for (const auto& row : s.Query(std::string(kShelterColumns) + " WHERE tenant_id = $1 ORDER BY name", {tenant_id})) {
    out.push_back(ShelterJson(row));
  }
  return {{"shelters", out}};
}

json PlacesJson(store::Session& s, const Event& event) {
  json shelters = json::array();
  for (const auto& row : s.Query(
           "SELECT sh.id, sh.name, sh.address, sh.district, sh.lat, sh.lon, sh.capacity, sh.accessibility, "
           "r.open, r.occupancy, r.message, r.at, u.id, u.display_name FROM shelters sh "
           "LEFT JOIN shelter_reports r ON r.id = (SELECT MAX(id) FROM shelter_reports WHERE event_id = $2 "
           "AND shelter_id = sh.id) LEFT JOIN users u ON u.id = r.author_user_id "
           "WHERE sh.tenant_id = $1 ORDER BY sh.name",
           {event.tenant_id, event.id})) {
    json shelter = ShelterJson(row);
    json report = nullptr;
    if (!row.IsNull(8)) {
      report = ReportAuthor(row, 11);
      report["open"] = row.Int(8) != 0;
      report["occupancy"] = row.Int(9);
      report["message"] = row.Text(10);
    }
    shelter["report"] = report;
    shelters.push_back(std::move(shelter));
  }
  json facilities = json::array();
  for (const auto& row : s.Query(
           std::string("SELECT o.id, o.name, o.kind, o.address, o.phone, o.lat, o.lon, r.status, r.services, "
                       "r.message, r.at, u.id, u.display_name, r.id FROM organizations o "
                       "LEFT JOIN facility_reports r ON r.id = (SELECT MAX(id) FROM facility_reports WHERE "
                       "event_id = $2 AND organization_id = o.id) LEFT JOIN users u ON u.id = r.author_user_id "
                       "WHERE o.tenant_id = $1 AND o.kind IN ") + kFacilityKinds + " ORDER BY o.kind, o.name",
           {event.tenant_id, event.id})) {
    json report = nullptr;
    if (!row.IsNull(7)) {
      report = ReportAuthor(row, 10);
      report["status"] = row.Text(7);
      report["services"] = json::parse(row.Text(8));
      report["message"] = row.Text(9);
      auto photos = carenet::AttachmentsOf(s, kPhotoOwner, {row.Int(13)});
      report["photos"] = photos.contains(row.Int(13)) ? photos[row.Int(13)] : json::array();
    }
    facilities.push_back({{"id", row.Int(0)},
                          {"name", row.Text(1)},
                          {"kind", row.Text(2)},
                          {"address", row.Text(3)},
                          {"phone", row.Text(4)},
                          {"lat", RealOrNull(row, 5)},
                          {"lon", RealOrNull(row, 6)},
                          {"report", report}});
  }
  return {{"shelters", shelters}, {"facilities", facilities}};
}

ShelterReport ParseShelterReport(const json& body) {
  ShelterReport report;
  auto open = body.find("open");
  if (open == body.end() || !open->is_boolean()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_open", "open: true or false", "open");
  }
  report.open = open->get<bool>();
  auto occupancy = body.find("occupancy");
  if (occupancy == body.end() || !occupancy->is_number_integer() || occupancy->get<std::int64_t>() < 0 ||
      occupancy->get<std::int64_t>() > 100000) {
    Fail(ErrorCode::kInvalidArgument, "invalid_occupancy", "occupancy: a whole number of people", "occupancy");
  }
  report.occupancy = occupancy->get<int>();
  report.message = Message(body);
  return report;
}

json ReportShelter(store::Session& s, const auth::Principal& principal, const Event& event, std::int64_t shelter_id,
                   const ShelterReport& report, UnixMillis now) {
  auto shelter = s.QueryOne("SELECT name FROM shelters WHERE id = $1 AND tenant_id = $2", {shelter_id, event.tenant_id});
  if (!shelter) Fail(ErrorCode::kNotFound, "no_such_shelter", "no such shelter");
  RequireOpen(event);
  s.Execute("INSERT INTO shelter_reports (event_id, shelter_id, open, occupancy, message, author_user_id, at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {event.id, shelter_id, std::int64_t{report.open}, std::int64_t{report.occupancy}, report.message,
             principal.user_id, now});
  AppendLog(s, event, "note",
            fmt::format("避難所 {}: {}（{}人）{}", shelter->Text(0), report.open ? "開設" : "閉鎖", report.occupancy,
                        report.message.empty() ? "" : " " + report.message),
            principal.user_id, now);
  return PlaceOf(PlacesJson(s, event), "shelters", shelter_id);
}

FacilityReport ParseFacilityReport(const json& body) {
  FacilityReport report;
  auto status = body.find("status");
  report.status = status != body.end() && status->is_string() ? status->get<std::string>() : "";
  if (std::none_of(std::begin(kFacilityStatuses), std::end(kFacilityStatuses),
                   [&](const char* s) { return report.status == s; })) {
    Fail(ErrorCode::kInvalidArgument, "invalid_status", "status: open, partly or closed", "status");
  }
  report.services = Words(body, "services", "invalid_services");
  report.message = Message(body);
  report.photos = carenet::ReadAttachments(body, "photos");
  return report;
}

std::optional<carenet::StoredFile> FacilityPhoto(store::Session& s, const Event& event, std::int64_t organization_id,
                                                 std::int64_t photo_id) {
  auto file = carenet::LoadAttachment(s, photo_id);
  if (!file || file->owner_kind != kPhotoOwner) return std::nullopt;
  bool ours = s.QueryOne("SELECT 1 FROM facility_reports WHERE id = $1 AND event_id = $2 AND organization_id = $3",
                         {file->owner_id, event.id, organization_id}).has_value();
  if (!ours) return std::nullopt;
  return file;
}

std::int64_t FacilityTenant(store::Session& s, const Event& event, std::int64_t organization_id) {
  auto row = s.QueryOne(std::string("SELECT tenant_id FROM organizations WHERE id = $1 AND tenant_id = $2 AND kind IN ") +
                            kFacilityKinds,
                        {organization_id, event.tenant_id});
  if (!row) Fail(ErrorCode::kNotFound, "no_such_facility", "no such care facility in the municipality");
  return row->Int(0);
}

json ReportFacility(store::Session& s, const auth::Principal& principal, const Event& event,
                    std::int64_t organization_id, const FacilityReport& report, UnixMillis now) {
  RequireOpen(event);
  std::int64_t id = s.QueryOne("INSERT INTO facility_reports (event_id, organization_id, status, services, message, "
                               "author_user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                               {event.id, organization_id, report.status, json(report.services).dump(), report.message,
                                principal.user_id, now})
                        ->Int(0);
  carenet::SaveAttachments(s, event.tenant_id, kPhotoOwner, id, report.photos, principal.user_id, now);
  return PlaceOf(PlacesJson(s, event), "facilities", organization_id);
}

}  // namespace moyakko::disaster

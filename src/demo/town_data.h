#pragma once
// Demo seed data for the moyakko community-care platform (Seto city and
// Owariasahi city, Aichi). All people, organisations (except public bodies),
// phone numbers and street numbers are fictional.
#include <span>
#include <string_view>
namespace moyakko::demo {
struct TenantSeed { std::string_view code, name, name_kana, time_zone; };
// kind: clinic, hospital, dental_clinic, pharmacy, visiting_nursing,
// care_management, care_service, city_department, call_centre,
// fire_department, school, day_care. tenant is a TenantSeed::code.
struct OrganizationSeed { std::string_view code, tenant, kind, name, phone, address; double lat, lon; };
// role: doctor, dentist, pharmacist, nurse, care_manager, care_staff, therapist, city_officer, call_operator, paramedic, school_staff, admin
// organization is an OrganizationSeed::code.
struct StaffSeed { std::string_view username, display_name, display_kana, role, organization; };
// district is the town name (町名) of the address without 丁目/番地/小字,
// e.g. "陶本町", "菱野台", "東大道町".
struct ResidentSeed { std::string_view tenant, family_name, given_name, family_kana, given_kana, sex /*female|male*/, birth_date /*YYYY-MM-DD*/, postal_code, address, district, phone; double lat, lon; };
// A family user who may see one resident (index into Residents()).
struct FamilySeed { std::string_view username, display_name, display_kana, relationship; int resident_index; };
std::span<const TenantSeed> Tenants();
std::span<const OrganizationSeed> Organizations();
std::span<const StaffSeed> Staff();
std::span<const ResidentSeed> Residents();
std::span<const FamilySeed> Families();
}  // namespace moyakko::demo

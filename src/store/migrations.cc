#include "store/migrations.h"

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace moyakko::store {
namespace {

struct Migration {
  int version;
  const char* name;
  const char* sql;  // {{pk}} = auto-increment primary key, {{real}} = double precision
  const char* sqlite_sql = nullptr;  // when set, SQLite runs this instead of `sql`
};

// Instants are BIGINT Unix milliseconds (UTC); dates are TEXT YYYY-MM-DD; flags are INTEGER 0/1.
// Append new migrations; never edit one that has shipped.
const std::vector<Migration>& All() {
  static const std::vector<Migration> migrations = {
      {1, "foundation", R"SQL(
CREATE TABLE tenants (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_kana TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'Asia/Tokyo',
  created_at BIGINT NOT NULL
);
-- Wide-area sharing: people of from_tenant visible to to_tenant's users within scope.
CREATE TABLE tenant_shares (
  from_tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  to_tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  scope TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (from_tenant_id, to_tenant_id, scope)
);
CREATE TABLE organizations (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  lat {{real}},
  lon {{real}},
  created_at BIGINT NOT NULL
);
CREATE TABLE persons (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  family_name TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_kana TEXT NOT NULL DEFAULT '',
  given_kana TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL DEFAULT 'unknown',
  birth_date TEXT,
  postal_code TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  district TEXT NOT NULL DEFAULT '',
  lat {{real}},
  lon {{real}},
  phones TEXT NOT NULL DEFAULT '[]',
  resident_number TEXT,
  search_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, resident_number)
);
CREATE INDEX persons_tenant ON persons (tenant_id, family_kana, given_kana);
CREATE TABLE users (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  organization_id BIGINT REFERENCES organizations(id),
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  display_kana TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  totp_secret TEXT,
  totp_enrolled INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- Failed logins by the name typed, existing or not, so lockout tells nothing about which exist.
CREATE TABLE login_failures (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_failure_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE family_links (
  user_id BIGINT NOT NULL REFERENCES users(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  relationship TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, person_id)
);
CREATE TABLE sessions (
  id {{pk}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  stage TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ended_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);
-- Append-only, hash-chained. seq has no gaps; audit_head holds the newest link so that
-- removing the last entries is detected too.
CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor_username TEXT NOT NULL DEFAULT '',
  actor_role TEXT NOT NULL DEFAULT '',
  tenant_code TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  person_id BIGINT,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_events_actor ON audit_events (actor_username, seq);
CREATE INDEX audit_events_person ON audit_events (person_id, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL"},
      {2, "watch", R"SQL(
-- A household is a person at home with a watch-over sensor; one per person.
CREATE TABLE households (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  person_id BIGINT NOT NULL UNIQUE REFERENCES persons(id),
  plan_name TEXT NOT NULL DEFAULT '',
  plan_monthly_yen INTEGER,
  plan_started_on TEXT,
  created_at BIGINT NOT NULL
);
-- Whom the call centre phones, in this order, after the resident.
CREATE TABLE household_contacts (
  household_id BIGINT NOT NULL REFERENCES households(id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  relationship TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL,
  PRIMARY KEY (household_id, position)
);
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  household_id BIGINT NOT NULL REFERENCES households(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX devices_household ON devices (household_id);
-- kind: 1 door (value 1 open, 0 close), 2 temperature °C, 3 humidity %RH, 4 battery %.
-- Unique on (device, seq): a retried batch inserts nothing twice.
CREATE TABLE readings (
  device_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  household_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (device_id, seq)
){{without_rowid}};
CREATE INDEX readings_household_at ON readings (household_id, at);
-- Door openings per household and UTC hour, kept at ingest in the same transaction.
CREATE TABLE door_hourly (
  household_id BIGINT NOT NULL,
  hour_at BIGINT NOT NULL,
  openings INTEGER NOT NULL,
  PRIMARY KEY (household_id, hour_at)
){{without_rowid}};
-- The newest of everything, for the status list (by reading time, not arrival).
CREATE TABLE household_state (
  household_id BIGINT PRIMARY KEY REFERENCES households(id),
  last_upload_at BIGINT,
  last_door_at BIGINT,
  door_open INTEGER NOT NULL DEFAULT 0,
  temperature DOUBLE PRECISION,
  temperature_at BIGINT,
  humidity DOUBLE PRECISION,
  humidity_at BIGINT,
  battery DOUBLE PRECISION,
  battery_at BIGINT
);
)SQL"},
      {3, "watch_alerts", R"SQL(
ALTER TABLE household_state ADD COLUMN last_opening_at BIGINT;
-- When the time-based rules of a household must next be evaluated if nothing arrives.
CREATE TABLE watch_deadlines (
  household_id BIGINT PRIMARY KEY REFERENCES households(id),
  due_at BIGINT NOT NULL
);
CREATE INDEX watch_deadlines_due ON watch_deadlines (due_at);
-- One open alert per household and kind (open_key is NULL once closed); steps only append.
-- level: 1 resident, 2 family, 3 city, 4 emergency (119). state: open, claimed, city, closed.
CREATE TABLE alerts (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL,
  urgency INTEGER NOT NULL,
  text TEXT NOT NULL,
  evidence TEXT NOT NULL,
  state TEXT NOT NULL,
  level INTEGER NOT NULL DEFAULT 1,
  open_key TEXT UNIQUE,
  opened_at BIGINT NOT NULL,
  claimed_by BIGINT REFERENCES users(id),
  claimed_at BIGINT,
  closed_at BIGINT,
  outcome TEXT,
  timer_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX alerts_tenant_state ON alerts (tenant_id, state, urgency);
CREATE INDEX alerts_timer ON alerts (timer_at);
CREATE INDEX alerts_household ON alerts (household_id, opened_at);
CREATE TABLE alert_steps (
  alert_id BIGINT NOT NULL REFERENCES alerts(id),
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (alert_id, seq)
);
)SQL"},
      {4, "watch_thresholds", R"SQL(
-- Rule thresholds: household_id 0 holds the municipality's settings, others override them.
CREATE TABLE watch_thresholds (
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  household_id BIGINT NOT NULL DEFAULT 0,
  settings TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, household_id)
);
)SQL"},
      {5, "notify", R"SQL(
CREATE TABLE outbox (
  id {{pk}},
  tenant_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  dedup_key TEXT NOT NULL UNIQUE,
  secret TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  delivered_at BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE delivered_at IS NULL;
-- Each user chooses where their notifications go.
CREATE TABLE notify_preferences (
  user_id BIGINT NOT NULL REFERENCES users(id),
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  PRIMARY KEY (user_id, channel)
);
-- Systems of the city or the call centre that receive signed webhooks.
CREATE TABLE notify_webhooks (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
)SQL"},
      {6, "watch_rhythm", R"SQL(
-- Each person's usual door openings per local hour of the week (JSON array of 168 means),
-- recomputed once a day by the monitor; for_day is the local midnight it was computed for.
CREATE TABLE household_rhythm (
  household_id BIGINT PRIMARY KEY REFERENCES households(id),
  for_day BIGINT NOT NULL,
  days INTEGER NOT NULL,
  hourly TEXT NOT NULL
);
-- The situation an alert is about (see watch::Finding::episode): no second alert for it.
ALTER TABLE alerts ADD COLUMN episode TEXT NOT NULL DEFAULT '';
CREATE INDEX alerts_episode ON alerts (household_id, kind, episode);
)SQL"},
      {7, "carenet", R"SQL(
-- A patient is a person registered in the care network. De-registration keeps every row
-- and closes the team's access.
CREATE TABLE patients (
  person_id BIGINT PRIMARY KEY REFERENCES persons(id),
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  status TEXT NOT NULL,
  registered_at BIGINT NOT NULL,
  registered_by BIGINT NOT NULL REFERENCES users(id),
  deregistered_at BIGINT,
  deregistered_by BIGINT REFERENCES users(id),
  deregister_reason TEXT NOT NULL DEFAULT '',
  last_post_at BIGINT
);
CREATE INDEX patients_tenant ON patients (tenant_id, status);
-- Consent to share; the newest row not withdrawn is the one in force.
CREATE TABLE patient_consents (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES patients(person_id),
  given_by TEXT NOT NULL,
  relationship TEXT NOT NULL,
  given_on TEXT NOT NULL,
  scope TEXT NOT NULL,
  recorded_by BIGINT NOT NULL REFERENCES users(id),
  recorded_at BIGINT NOT NULL,
  withdrawn_at BIGINT,
  withdrawn_by BIGINT REFERENCES users(id)
);
CREATE INDEX patient_consents_person ON patient_consents (person_id, id);
-- The summary: every change is a new version of an entry; data NULL marks a removal.
CREATE TABLE summary_entries (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES patients(person_id),
  section TEXT NOT NULL,
  current_version INTEGER NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX summary_entries_person ON summary_entries (person_id, section);
CREATE TABLE summary_versions (
  entry_id BIGINT NOT NULL REFERENCES summary_entries(id),
  version INTEGER NOT NULL,
  data TEXT,
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (entry_id, version)
);
CREATE TABLE care_team_members (
  person_id BIGINT NOT NULL REFERENCES patients(person_id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  membership TEXT NOT NULL,
  status TEXT NOT NULL,
  invited_by BIGINT REFERENCES users(id),
  invited_at BIGINT NOT NULL,
  accepted_at BIGINT,
  ended_at BIGINT,
  unread INTEGER NOT NULL DEFAULT 0,  -- timeline posts since joining that this member has not read
  PRIMARY KEY (person_id, user_id)
);
CREATE INDEX care_team_members_user ON care_team_members (user_id, status);
CREATE TABLE timeline_posts (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES patients(person_id),
  kind TEXT NOT NULL,
  author_user_id BIGINT REFERENCES users(id),
  body TEXT NOT NULL,
  important INTEGER NOT NULL DEFAULT 0,
  alert_id BIGINT,
  created_at BIGINT NOT NULL,
  edited_at BIGINT
);
CREATE INDEX timeline_posts_person ON timeline_posts (person_id, id);
CREATE TABLE timeline_post_versions (
  post_id BIGINT NOT NULL REFERENCES timeline_posts(id),
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  important INTEGER NOT NULL,
  editor_user_id BIGINT REFERENCES users(id),
  edited_at BIGINT NOT NULL,
  PRIMARY KEY (post_id, version)
);
CREATE TABLE timeline_comments (
  id {{pk}},
  post_id BIGINT NOT NULL REFERENCES timeline_posts(id),
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX timeline_comments_post ON timeline_comments (post_id, id);
CREATE TABLE timeline_mentions (
  post_id BIGINT NOT NULL REFERENCES timeline_posts(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (post_id, user_id)
);
CREATE TABLE timeline_reads (
  post_id BIGINT NOT NULL REFERENCES timeline_posts(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  read_at BIGINT NOT NULL,
  PRIMARY KEY (post_id, user_id)
);
CREATE INDEX timeline_reads_user ON timeline_reads (user_id, post_id);
-- Files of timeline posts and board posts. The bytes (base64) sit in a table of their own so
-- that listing attachments never reads them.
CREATE TABLE attachments (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  owner_kind TEXT NOT NULL,
  owner_id BIGINT NOT NULL,
  filename TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id);
CREATE TABLE attachment_content (
  attachment_id BIGINT PRIMARY KEY REFERENCES attachments(id),
  base64 TEXT NOT NULL
);
CREATE TABLE boards (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_activity_at BIGINT NOT NULL
);
CREATE TABLE board_members (
  board_id BIGINT NOT NULL REFERENCES boards(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  owner INTEGER NOT NULL DEFAULT 0,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (board_id, user_id)
);
CREATE INDEX board_members_user ON board_members (user_id);
CREATE TABLE board_threads (
  id {{pk}},
  board_id BIGINT NOT NULL REFERENCES boards(id),
  title TEXT NOT NULL,
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_post_at BIGINT NOT NULL
);
CREATE INDEX board_threads_board ON board_threads (board_id, last_post_at);
CREATE TABLE board_posts (
  id {{pk}},
  thread_id BIGINT NOT NULL REFERENCES board_threads(id),
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX board_posts_thread ON board_posts (thread_id, id);
-- The directory: what an organisation offers, and how to reach a professional.
ALTER TABLE organizations ADD COLUMN fax TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN services TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organizations ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
)SQL"},
      // Searching 100,000 people by any part of name, kana, address or phone: SQLite keeps a
      // trigram index of persons.search_key (FTS5, kept by triggers). PostgreSQL scans.
      {8, "person_search", R"SQL(
CREATE INDEX persons_birth ON persons (tenant_id, birth_date);
{{patient_search}}
)SQL", R"SQL(
CREATE INDEX persons_birth ON persons (tenant_id, birth_date);
{{patient_search}}
CREATE VIRTUAL TABLE persons_fts USING fts5(search_key, content='persons', content_rowid='id', tokenize='trigram');
CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
  INSERT INTO persons_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
  INSERT INTO persons_fts (persons_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER persons_fts_update AFTER UPDATE OF search_key ON persons BEGIN
  INSERT INTO persons_fts (persons_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
  INSERT INTO persons_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO persons_fts (persons_fts) VALUES ('rebuild');
)SQL"},
      // The emergency link: paramedics' break-glass grants (and the receiving hospital's),
      // the fridge kits' QR codes, transports.
      {9, "emergency", R"SQL(
ALTER TABLE tenants ADD COLUMN break_glass_minutes INTEGER NOT NULL DEFAULT 120;
-- kind 'paramedic': opens the person to user_id; kind 'hospital': to the staff of
-- organization_id, given when a paramedic records a transport there. Access ends at
-- expires_at by itself; ended_at records when the end was written down (early end, or the
-- sweep after expiry), so every grant has an audited start and end.
CREATE TABLE emergency_grants (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  organization_id BIGINT REFERENCES organizations(id),
  opened_by BIGINT NOT NULL REFERENCES users(id),
  reason_code TEXT NOT NULL,
  note TEXT NOT NULL,
  via_kit INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ended_at BIGINT,
  end_reason TEXT,
  sheet_reads INTEGER NOT NULL DEFAULT 0,
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  review_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX emergency_grants_user ON emergency_grants (user_id, person_id, expires_at);
CREATE INDEX emergency_grants_organization ON emergency_grants (organization_id, person_id, expires_at);
CREATE INDEX emergency_grants_open ON emergency_grants (expires_at) WHERE ended_at IS NULL;
CREATE INDEX emergency_grants_tenant ON emergency_grants (tenant_id, created_at);
-- The code printed as a QR in the fridge kit, stored hashed; a new kit revokes the old.
CREATE TABLE emergency_kits (
  id {{pk}},
  person_id BIGINT NOT NULL REFERENCES persons(id),
  code_hash TEXT NOT NULL UNIQUE,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX emergency_kits_person ON emergency_kits (person_id);
CREATE TABLE emergency_transports (
  id {{pk}},
  grant_id BIGINT NOT NULL REFERENCES emergency_grants(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  recorded_by BIGINT NOT NULL REFERENCES users(id),
  departed_at BIGINT NOT NULL,
  hospital_organization_id BIGINT REFERENCES organizations(id),
  hospital_name TEXT NOT NULL,
  condition TEXT NOT NULL,
  hospital_grant_id BIGINT REFERENCES emergency_grants(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX emergency_transports_person ON emergency_transports (person_id, departed_at);
)SQL"},
      // Life-rhythm analytics: door openings per hour summed per district, kept at ingest so
      // that a cohort of 10,000 households is read from a few thousand rows (in time order
      // within a municipality, so that one range read serves it and any district); named groups
      // of households; the findings of the daily analysis and their discussion.
      {10, "insight", R"SQL(
CREATE TABLE cohort_hourly (
  tenant_id BIGINT NOT NULL,
  district TEXT NOT NULL,
  hour_at BIGINT NOT NULL,
  openings INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, hour_at, district)
){{without_rowid}};
INSERT INTO cohort_hourly (tenant_id, district, hour_at, openings)
  SELECT h.tenant_id, p.district, dh.hour_at, SUM(dh.openings) FROM door_hourly dh
  JOIN households h ON h.id = dh.household_id JOIN persons p ON p.id = h.person_id
  GROUP BY h.tenant_id, p.district, dh.hour_at;
-- The whole municipality's, the default cohort: a year is 8,760 rows, not one per district.
CREATE TABLE tenant_hourly (
  tenant_id BIGINT NOT NULL,
  hour_at BIGINT NOT NULL,
  openings INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, hour_at)
){{without_rowid}};
INSERT INTO tenant_hourly (tenant_id, hour_at, openings)
  SELECT tenant_id, hour_at, SUM(openings) FROM cohort_hourly GROUP BY tenant_id, hour_at;
-- Cohorts are counted by municipality and district.
CREATE INDEX households_tenant ON households (tenant_id);
CREATE INDEX persons_district ON persons (tenant_id, district);
CREATE TABLE insight_groups (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE insight_group_members (
  group_id BIGINT NOT NULL REFERENCES insight_groups(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  PRIMARY KEY (group_id, household_id)
);
CREATE TABLE insight_findings (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  code TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  text TEXT NOT NULL,
  text_en TEXT NOT NULL,
  suggestion TEXT NOT NULL,
  suggestion_en TEXT NOT NULL,
  evidence TEXT NOT NULL,
  found_at BIGINT NOT NULL,
  post_id BIGINT,
  discussed_at BIGINT,
  discussed_by BIGINT REFERENCES users(id),
  discussed_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX insight_findings_household ON insight_findings (household_id, code, found_at);
-- The local date each municipality's daily analysis last ran for.
CREATE TABLE insight_runs (
  tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id),
  last_date TEXT NOT NULL
);
)SQL"},
      // ここのーと: what each person's family records (the template, every version kept; the
      // newest is in force), the records with every version and their comments. A record is
      // named by the id its phone made, so that a resent record is recognised.
      {11, "lifelog", R"SQL(
CREATE TABLE lifelog_templates (
  person_id BIGINT NOT NULL REFERENCES persons(id),
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (person_id, version)
);
CREATE TABLE lifelog_records (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  client_id TEXT NOT NULL UNIQUE,
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  recorded_at BIGINT NOT NULL,
  record_values TEXT NOT NULL,
  note TEXT NOT NULL,
  out_of_range TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX lifelog_records_person ON lifelog_records (person_id, recorded_at);
CREATE TABLE lifelog_record_versions (
  record_id BIGINT NOT NULL REFERENCES lifelog_records(id),
  version INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL,
  record_values TEXT NOT NULL,
  note TEXT NOT NULL,
  out_of_range TEXT NOT NULL,
  editor_user_id BIGINT NOT NULL REFERENCES users(id),
  edited_at BIGINT NOT NULL,
  PRIMARY KEY (record_id, version)
);
CREATE TABLE lifelog_comments (
  id {{pk}},
  record_id BIGINT NOT NULL REFERENCES lifelog_records(id),
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX lifelog_comments_record ON lifelog_comments (record_id, id);
)SQL"},
      // The disaster ledger (避難行動要支援者名簿): one entry per person who needs help to
      // evacuate, as the municipality's latest import says (identity and address live in
      // persons), and the imported records that only looked like someone known.
      {12, "disaster_ledger", R"SQL(
CREATE TABLE ledger_entries (
  person_id BIGINT PRIMARY KEY REFERENCES persons(id),
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  care_level TEXT NOT NULL,
  needs TEXT NOT NULL,
  supporter_name TEXT NOT NULL,
  supporter_phone TEXT NOT NULL,
  shelter TEXT NOT NULL,
  consent INTEGER NOT NULL,
  imported_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ledger_entries_tenant ON ledger_entries (tenant_id);
CREATE TABLE ledger_reviews (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  resident_number TEXT NOT NULL,
  record TEXT NOT NULL,
  candidate_person_id BIGINT NOT NULL REFERENCES persons(id),
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  resolved_at BIGINT
);
CREATE INDEX ledger_reviews_tenant ON ledger_reviews (tenant_id, resolved_at);
)SQL"},
      // Disaster events (real or drill, never mixed: everything hangs off its event), their
      // phase checklists and log, and the safety confirmations made during them.
      {13, "disaster_events", R"SQL(
CREATE TABLE disaster_events (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  area TEXT NOT NULL,
  drill INTEGER NOT NULL,
  onset_at BIGINT NOT NULL,
  declared_at BIGINT NOT NULL,
  declared_by BIGINT NOT NULL REFERENCES users(id),
  ended_at BIGINT,
  ended_by BIGINT REFERENCES users(id)
);
CREATE INDEX disaster_events_tenant ON disaster_events (tenant_id, ended_at);
CREATE TABLE disaster_checklist (
  id {{pk}},
  event_id BIGINT NOT NULL REFERENCES disaster_events(id),
  phase TEXT NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  done_at BIGINT,
  done_by BIGINT REFERENCES users(id)
);
CREATE INDEX disaster_checklist_event ON disaster_checklist (event_id, position);
CREATE TABLE disaster_log (
  id {{pk}},
  event_id BIGINT NOT NULL REFERENCES disaster_events(id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  phase TEXT NOT NULL,
  text TEXT NOT NULL,
  author_user_id BIGINT REFERENCES users(id)
);
CREATE INDEX disaster_log_event ON disaster_log (event_id, id);
-- Every confirmation kept; safety_status holds the latest per person and event.
CREATE TABLE safety_posts (
  id {{pk}},
  event_id BIGINT NOT NULL REFERENCES disaster_events(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  client_id TEXT,
  label TEXT NOT NULL,
  location TEXT NOT NULL,
  shelter TEXT NOT NULL,
  note TEXT NOT NULL,
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL,
  UNIQUE (event_id, client_id)
);
CREATE INDEX safety_posts_person ON safety_posts (event_id, person_id, id);
CREATE INDEX safety_posts_at ON safety_posts (event_id, at);
CREATE TABLE safety_status (
  event_id BIGINT NOT NULL REFERENCES disaster_events(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  post_id BIGINT NOT NULL REFERENCES safety_posts(id),
  label TEXT NOT NULL,
  location TEXT NOT NULL,
  shelter TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (event_id, person_id)
);
)SQL"},
      // Broadcasts (一斉同報) of an event: the message and whom it is for, and the call list the
      // call centre works through; the municipality's shelters and what facilities and
      // shelters report during an event; how ledger reviews were settled.
      {14, "disaster_broadcasts_places", R"SQL(
CREATE TABLE broadcasts (
  id {{pk}},
  event_id BIGINT NOT NULL REFERENCES disaster_events(id),
  message TEXT NOT NULL,
  audience TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX broadcasts_event ON broadcasts (event_id, id);
CREATE TABLE broadcast_calls (
  id {{pk}},
  broadcast_id BIGINT NOT NULL REFERENCES broadcasts(id),
  position INTEGER NOT NULL,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  phone TEXT NOT NULL,
  outcome TEXT,
  note TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  called_by BIGINT REFERENCES users(id),
  called_at BIGINT,
  UNIQUE (broadcast_id, person_id)
);
CREATE INDEX broadcast_calls_list ON broadcast_calls (broadcast_id, position);
CREATE TABLE shelters (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  district TEXT NOT NULL,
  lat {{real}},
  lon {{real}},
  capacity INTEGER NOT NULL,
  accessibility TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE shelter_reports (
  id {{pk}},
  event_id BIGINT NOT NULL REFERENCES disaster_events(id),
  shelter_id BIGINT NOT NULL REFERENCES shelters(id),
  open INTEGER NOT NULL,
  occupancy INTEGER NOT NULL,
  message TEXT NOT NULL,
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX shelter_reports_event ON shelter_reports (event_id, shelter_id, id);
CREATE TABLE facility_reports (
  id {{pk}},
  event_id BIGINT NOT NULL REFERENCES disaster_events(id),
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  status TEXT NOT NULL,
  services TEXT NOT NULL,
  message TEXT NOT NULL,
  author_user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX facility_reports_event ON facility_reports (event_id, organization_id, id);
-- How a record waiting for review was settled (link, create, dismiss) and by whom.
ALTER TABLE ledger_reviews ADD COLUMN resolution TEXT;
ALTER TABLE ledger_reviews ADD COLUMN resolved_by BIGINT REFERENCES users(id);
)SQL"},
      // A ledger entry remembers a fingerprint of the record it came from, so that importing
      // the same file again leaves unchanged people alone. SQLite re-indexes a person's search
      // key only when it really changed (the trigger fired on every update naming the column).
      {15, "ledger_fingerprint", R"SQL(
ALTER TABLE ledger_entries ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
)SQL", R"SQL(
ALTER TABLE ledger_entries ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
DROP TRIGGER persons_fts_update;
CREATE TRIGGER persons_fts_update AFTER UPDATE OF search_key ON persons
WHEN old.search_key IS NOT new.search_key BEGIN
  INSERT INTO persons_fts (persons_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
  INSERT INTO persons_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
)SQL"},
      // Other systems reading through FHIR: their client credentials (the secret stored as
      // argon2id), the access tokens issued to them (stored as SHA-256), and bulk exports,
      // whose NDJSON files live in the database so that every app node can serve them.
      {16, "fhir_clients", R"SQL(
CREATE TABLE api_clients (
  id {{pk}},
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  organization_id BIGINT REFERENCES organizations(id),
  client_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES api_clients(id),
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);
-- state: queued → running → done | failed (or cancelled); a running export whose node died
-- is claimed again once claimed_at is old.
CREATE TABLE fhir_exports (
  id {{pk}},
  client_id BIGINT NOT NULL REFERENCES api_clients(id),
  request TEXT NOT NULL,
  types TEXT NOT NULL,
  since BIGINT,
  state TEXT NOT NULL,
  claimed_at BIGINT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fhir_exports_state ON fhir_exports (state, id);
CREATE TABLE fhir_export_files (
  export_id BIGINT NOT NULL REFERENCES fhir_exports(id),
  resource_type TEXT NOT NULL,
  resources INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (export_id, resource_type)
);
)SQL"},
      // SQLite: the register writes new people's search keys into persons_fts itself, one
      // statement per batch (registry/persons.cc). A trigger made FTS5 flush its pending terms
      // at every row, which tripled the time of a 100,000-person ledger import.
      {17, "person_search_batched", "SELECT 1;", R"SQL(
DROP TRIGGER persons_fts_insert;
)SQL"},
      // Whether the ledgers' people changed since the map last read them
      // (disaster::LedgerPeopleCache). PostgreSQL counts each statement; SQLite, which has
      // only row triggers, counts updates and deletes and leaves new entries to the count of
      // entries. A person leaves the ledger only by deleting the entry (the foreign key).
      {18, "ledger_version", R"SQL(
CREATE TABLE ledger_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO ledger_version (id, version) VALUES (1, 0);
CREATE FUNCTION count_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ledger_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER ledger_entries_changed AFTER INSERT OR UPDATE OR DELETE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION count_ledger_change();
CREATE TRIGGER persons_changed AFTER UPDATE ON persons FOR EACH STATEMENT EXECUTE FUNCTION count_ledger_change();
)SQL", R"SQL(
CREATE TABLE ledger_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO ledger_version (id, version) VALUES (1, 0);
CREATE TRIGGER ledger_entries_updated AFTER UPDATE ON ledger_entries BEGIN UPDATE ledger_version SET version = version + 1; END;
CREATE TRIGGER ledger_entries_deleted AFTER DELETE ON ledger_entries BEGIN UPDATE ledger_version SET version = version + 1; END;
CREATE TRIGGER persons_updated AFTER UPDATE ON persons BEGIN UPDATE ledger_version SET version = version + 1; END;
)SQL"},
  };
  return migrations;
}

std::string ForDialect(std::string sql, Dialect dialect) {
  auto replace_all = [&](const std::string& token, const std::string& with) {
    for (std::size_t at = sql.find(token); at != std::string::npos; at = sql.find(token, at + with.size())) {
      sql.replace(at, token.size(), with);
    }
  };
  bool pg = dialect == Dialect::kPostgres;
  // The municipality's patients in list order, narrow enough that a search reads a few pages
  // and stops at the first page of results (kept by carenet::RegisterPatient).
  replace_all("{{patient_search}}", R"SQL(CREATE TABLE patient_search (
  tenant_id BIGINT NOT NULL,
  sort_key TEXT NOT NULL,
  person_id BIGINT NOT NULL REFERENCES patients(person_id),
  search_key TEXT NOT NULL,
  birth_date TEXT,
  phone_digits TEXT NOT NULL,
  PRIMARY KEY (tenant_id, sort_key, person_id)
){{without_rowid}};
CREATE UNIQUE INDEX patient_search_person ON patient_search (person_id);
CREATE INDEX patient_search_birth ON patient_search (tenant_id, birth_date);)SQL");
  replace_all("{{pk}}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replace_all("{{real}}", pg ? "DOUBLE PRECISION" : "REAL");
  replace_all("{{without_rowid}}", pg ? "" : " WITHOUT ROWID");
  return sql;
}

}  // namespace

int LatestSchemaVersion() { return All().back().version; }

int Migrate(Database& db) {
  auto lock = [](Session& s) {
    // Serialises nodes that start together; released at commit.
    if (s.dialect() == Dialect::kPostgres) s.Query("SELECT pg_advisory_xact_lock(7243501)");
  };
  db.Write([&](Session& s) {
    lock(s);
    s.ExecuteScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  });
  std::int64_t current = db.Read([](Session& s) {
    return s.QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")->Int(0);
  });
  if (current > LatestSchemaVersion()) {
    throw Failure(Error{ErrorCode::kConflict, "schema_too_new",
                        "the database was migrated by a newer moyakko; upgrade this binary", "db", {}});
  }
  int applied = 0;
  for (const Migration& migration : All()) {
    bool done = db.Write([&](Session& s) {
      lock(s);
      if (s.QueryOne("SELECT 1 FROM schema_migrations WHERE version = $1",
                     {std::int64_t{migration.version}})) {
        return false;
      }
      bool sqlite = s.dialect() == Dialect::kSqlite && migration.sqlite_sql;
      s.ExecuteScript(ForDialect(sqlite ? migration.sqlite_sql : migration.sql, s.dialect()));
      s.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {std::int64_t{migration.version}, std::string(migration.name), SystemClock().Now()});
      return true;
    });
    applied += done;
  }
  return applied;
}

}  // namespace moyakko::store

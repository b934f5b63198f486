// Life-rhythm analytics fixtures: the demo town's household with short stays on Friday and
// Saturday, put on the care team of the demo doctor, and the profile as the server computes it.
import { expect, type APIRequestContext } from '@playwright/test';
import { getJson, send } from './carenet';
import { csrfOf } from './emergency';

/** The short-stay resident of the demo town (src/demo/sensor_history.cc: the third oldest in Seto). */
const SHORT_STAY_NAME = '中島 文子';

export interface Profile {
  household: number;
  person: { id: number; name: string; kana: string; district: string };
  from: string;
  to: string;
  days: number;
  hourly: number[];
  weekday: number[];
  by_hour_weekday: number[][];
  weekly: { from: string; days: number; openings: number }[];
  rhythm: {
    waking: string | null;
    bedtime: string | null;
    night_share: number;
    absent_days: { date: string; weekday: number }[];
    silent_days: string[];
  };
  cohort: { id: string; name: string; households: number; hourly: number[]; hourly_mean: number[]; weekday_mean: number[]; night_share: number };
  findings: { code: string; text: string; suggestion: string; evidence: Record<string, unknown> }[];
}

export interface Cohort {
  id: string;
  name: string;
  households: number;
}

interface StatusRow {
  id: number;
  person: number;
  name: string;
  kana: string;
}

interface Summary {
  days: { date: string; door_openings: number }[];
}

/** Monday 0 … Sunday 6 of a local date "YYYY-MM-DD". */
export function weekdayOf(ymd: string): number {
  return (new Date(`${ymd}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function addDays(ymd: string, days: number): string {
  const date = new Date(`${ymd}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export interface WatchedResident {
  household: number;
  person: { id: number; name: string; kana: string };
}

/**
 * The household whose last week shows no openings on Friday and Saturday and some on every other
 * past day; the demo's short-stay resident by name when the week does not tell (e.g. a fresh
 * demo made on a Saturday). `admin` may read the status list and every summary.
 */
export async function findShortStayHousehold(admin: APIRequestContext): Promise<WatchedResident> {
  const { households } = await getJson<{ households: StatusRow[] }>(admin, '/api/v1/watch/status?limit=100');
  expect(households.length, 'the demo town has sensor households').toBeGreaterThan(0);
  const matches: StatusRow[] = [];
  for (const h of households) {
    const { days } = await getJson<Summary>(admin, `/api/v1/watch/persons/${h.person}/summary`);
    const past = days.slice(0, -1);
    const away = past.filter((d) => weekdayOf(d.date) === 4 || weekdayOf(d.date) === 5);
    const home = past.filter((d) => weekdayOf(d.date) < 4 || weekdayOf(d.date) === 6);
    if (away.length > 0 && away.every((d) => d.door_openings === 0) && home.every((d) => d.door_openings > 0)) matches.push(h);
  }
  const found = matches.find((h) => h.name === SHORT_STAY_NAME) ?? matches[0] ?? households.find((h) => h.name === SHORT_STAY_NAME);
  expect(found, 'the demo household with short stays on Friday and Saturday').toBeTruthy();
  return { household: found!.id, person: { id: found!.person, name: found!.name, kana: found!.kana } };
}

/**
 * Makes `resident` a patient of the care network led by the demo professional `leadName` (as the
 * demo's own patients are), unless they already are one; `admin` registers.
 */
export async function ensurePatientLedBy(admin: APIRequestContext, resident: WatchedResident, leadName: string): Promise<void> {
  const { patients } = await getJson<{ patients: { person: { id: number } }[] }>(admin, '/api/v1/carenet/patients?limit=200');
  if (patients.some((p) => p.person.id === resident.person.id)) {
    const { members } = await getJson<{ members: { user: { name: string }; status: string }[] }>(
      admin,
      `/api/v1/carenet/patients/${resident.person.id}/team`,
    );
    expect(members.some((m) => m.user.name === leadName && m.status === 'active'), `${leadName} is on ${resident.person.name}'s team`).toBeTruthy();
    return;
  }
  const { professionals } = await getJson<{ professionals: { id: number; name: string }[] }>(
    admin,
    `/api/v1/directory/professionals?q=${encodeURIComponent(leadName)}`,
  );
  const lead = professionals.find((p) => p.name === leadName);
  expect(lead, `${leadName} in the directory`).toBeTruthy();
  await send(admin, 'POST', '/api/v1/carenet/patients', await csrfOf(admin), {
    person: resident.person.id,
    consent: { given_by: '本人', relationship: 'self', given_on: '2025-04-01', scope: 'care_team' },
    lead: lead!.id,
  });
}

/** The profile the page shows for the same household, period and cohort. */
export function getProfile(request: APIRequestContext, household: number, query: { from: string; to: string; cohort: string }): Promise<Profile> {
  const params = new URLSearchParams(query).toString();
  return getJson<Profile>(request, `/api/v1/insight/households/${household}/profile?${params}`);
}

export async function listCohorts(request: APIRequestContext): Promise<Cohort[]> {
  return (await getJson<{ cohorts: Cohort[] }>(request, '/api/v1/insight/cohorts')).cohorts;
}

/** True when the session behind `request` holds `permission`. */
export async function hasPermission(request: APIRequestContext, permission: string): Promise<boolean> {
  const session = await getJson<{ user: { permissions: string[] } }>(request, '/api/v1/auth/session');
  return session.user.permissions.includes(permission);
}

// 生活リズム分析 (life-rhythm analytics): one watched household's fridge-door openings by hour,
// weekday and week, compared with a cohort (the municipality, a district or a named group),
// with the findings the server reads from them.
//
// Contract (server): permission "insight.view" to read, "insight.discuss" to mark a recorded
// finding as discussed. Dates are local calendar dates "YYYY-MM-DD" in the tenant's zone; arrays
// by weekday start on Monday. A bad date answers 400 with field "from" or "to", an unknown cohort
// 400 with field "cohort"; 403 and 404 as elsewhere.
import { apiUrl, request } from './client';

export const DEFAULT_COHORT = 'tenant';

export interface Cohort {
  /** "tenant", "district:<name>" or "group:<id>". */
  id: string;
  name: string;
  households: number;
}

/** "HH:MM"–"HH:MM" local time and the share of the openings inside it (0–1). */
export interface TimeWindow {
  from: string;
  to: string;
  share: number;
}

export interface WeekOpenings {
  /** The Monday the local week starts on. */
  from: string;
  /** Days of that week inside the period (the first and last week can be shorter than 7). */
  days: number;
  openings: number;
}

export interface DayOpenings {
  date: string;
  openings: number;
}

export interface Rhythm {
  /** "HH:MM", or null when the openings show no clear start of the day. */
  waking: string | null;
  bedtime: string | null;
  /** The person's busy hours. */
  windows: TimeWindow[];
  /** Share of the openings from 0:00 to 5:00. */
  night_share: number;
  /** Days without openings that recur on the same weekday (short stays, regular outings). */
  absent_days: { date: string; weekday: number }[];
  /** Days without openings and without such a pattern: worth a question. */
  silent_days: string[];
}

export interface CohortProfile extends Cohort {
  /** Sums over the cohort's households. */
  hourly: number[];
  weekday: number[];
  /** Per-household means. */
  hourly_mean: number[];
  weekday_mean: number[];
  peaks: TimeWindow[];
  night_share: number;
}

export type FindingCode =
  | 'weekday_dip'
  | 'no_night_activity'
  | 'night_activity'
  | 'late_night_weekday'
  | 'meal_irregular'
  | 'decline'
  | 'low_vs_cohort'
  | 'silent_days';

export type Evidence = Record<string, unknown>;

/** A reading of the profile for professionals; `code` may be one this UI does not know yet. */
export interface Finding {
  code: FindingCode | string;
  text: string;
  text_en: string;
  suggestion: string;
  suggestion_en: string;
  evidence: Evidence;
}

export interface Discussion {
  /** RFC 3339 instant. */
  at: string;
  /** Display name of who marked it. */
  by: string;
  note: string;
}

/** A finding stored by the daily analysis (and posted to the care team's timeline). */
export interface RecordedFinding extends Finding {
  id: number;
  /** The period it was read from. */
  from: string;
  to: string;
  found_at: string;
  discussed: Discussion | null;
}

export interface Profile {
  household: number;
  person: { id: number; name: string; kana: string; district: string };
  from: string;
  to: string;
  time_zone: string;
  days: number;
  /** 24 hours of the day, summed over the period. */
  hourly: number[];
  /** 7 weekdays, Monday first. */
  weekday: number[];
  /** 7 rows (Monday first) of 24 hours. */
  by_hour_weekday: number[][];
  weekly: WeekOpenings[];
  daily: DayOpenings[];
  /** Means by hour of day; null for an hour without readings. */
  climate: { temperature: (number | null)[]; humidity: (number | null)[] };
  rhythm: Rhythm;
  cohort: CohortProfile;
  findings: Finding[];
}

export interface ProfileQuery {
  from: string;
  to: string;
  cohort: string;
}

export const DISCUSSION_NOTE_MAX = 2000;

export async function listCohorts(signal?: AbortSignal): Promise<Cohort[]> {
  const body = await request<{ cohorts: Cohort[] }>('GET', 'insight/cohorts', { signal });
  return body.cohorts;
}

function householdPath(household: number, rest: string): string {
  return `insight/households/${encodeURIComponent(String(household))}/${rest}`;
}

function profileQuery(query: ProfileQuery): Record<string, string> {
  return { from: query.from, to: query.to, cohort: query.cohort };
}

export function getProfile(household: number, query: ProfileQuery, signal?: AbortSignal): Promise<Profile> {
  return request<Profile>('GET', householdPath(household, 'profile'), { query: profileQuery(query), signal });
}

/** Where the same profile downloads as CSV (a plain link: the browser saves the file). */
export function profileCsvUrl(household: number, query: ProfileQuery): string {
  return apiUrl(householdPath(household, 'profile.csv'), profileQuery(query));
}

export async function listFindings(household: number, signal?: AbortSignal): Promise<RecordedFinding[]> {
  const body = await request<{ findings: RecordedFinding[] }>('GET', householdPath(household, 'findings'), { signal });
  return body.findings;
}

/** 400 field "note" when it is empty or too long; 403 without "insight.discuss". */
export async function markDiscussed(finding: number, note: string): Promise<RecordedFinding> {
  const body = await request<{ finding: RecordedFinding }>('POST', `insight/findings/${encodeURIComponent(String(finding))}/discussed`, {
    body: { note },
  });
  return body.finding;
}

import { request } from './client';

/** The colour of a household on the status list, as the server classifies it. */
export type HouseholdState = 'ok' | 'attention' | 'alert' | 'offline';

/** Most urgent first: the default order of the status list and of its filter chips. */
export const STATES_BY_SEVERITY: readonly HouseholdState[] = ['alert', 'attention', 'offline', 'ok'];

export function isHouseholdState(value: string | null | undefined): value is HouseholdState {
  return STATES_BY_SEVERITY.includes(value as HouseholdState);
}

export interface HouseholdStatus {
  /** Household id. */
  id: number;
  /** The resident the household belongs to (/persons/{person}). */
  person: number;
  name: string;
  kana: string;
  district: string;
  state: HouseholdState;
  /** RFC 3339 instant of the gateway's last upload, or null when it never sent anything. */
  last_upload: string | null;
  /** Fridge-door openings since local midnight. */
  door_openings_today: number;
  /** °C */
  temperature: number | null;
  /** %RH */
  humidity: number | null;
  /** % */
  battery: number | null;
  open_alerts: number;
}

export interface StatusPage {
  households: HouseholdStatus[];
  /** Households matching q and state, before paging. */
  total: number;
  /** Households per state matching q (before the state filter and paging). */
  counts: Record<HouseholdState, number>;
  /** RFC 3339 instant the server computed the states for. */
  as_of: string;
}

export interface StatusFilter {
  /** Name or kana, width- and kana-insensitive. */
  q?: string;
  state?: HouseholdState | null;
  /** Kana order (family, then given name), or most urgent first (alert, attention, offline, ok; then kana). */
  sort?: 'kana' | 'severity';
}

export const WATCH_PAGE_SIZE = 100;
/** The server clamps `limit` to 1–1000. */
export const WATCH_MAX_LIMIT = 1000;

/** Households filtered, sorted and paged by the server, with the per-state counts for the text filter. */
export function getWatchStatus(
  filter: StatusFilter,
  range: { offset: number; limit: number },
  signal?: AbortSignal,
): Promise<StatusPage> {
  return request<StatusPage>('GET', 'watch/status', {
    query: {
      q: filter.q?.trim(),
      state: filter.state ?? undefined,
      sort: filter.sort,
      limit: Math.min(Math.max(range.limit, 1), WATCH_MAX_LIMIT),
      offset: range.offset,
    },
    signal,
  });
}

/** Server-sent event on /api/v1/events after a sensor upload was stored; data {"household": id}. */
export const WATCH_STATUS_EVENT = 'watch.status';
/**
 * Server-sent event when an alert opens or changes (also from the time-based rules, with no upload);
 * data {"alert", "household", "kind", "urgency", "state"}. Open alerts decide the "alert" state.
 */
export const WATCH_ALERT_EVENT = 'watch.alert';

// Administration (permission "watch.admin"): households, their contacts and plan, sensor devices.

export type ContactKind = 'family' | 'city' | 'other';
export const CONTACT_KINDS: readonly ContactKind[] = ['family', 'city', 'other'];

export interface HouseholdContact {
  kind: ContactKind;
  name: string;
  relationship: string;
  phone: string;
}

export interface NewHousehold {
  /** Person id of the resident. */
  person: number;
  /** In call order. */
  contacts: HouseholdContact[];
  plan: { name: string; monthly_yen: number | null; started_on: string | null };
}

/** 400 naming the field ("contacts[0].phone", "plan_started_on"), 409 household_exists. */
export async function createHousehold(household: NewHousehold): Promise<{ id: number; person: number }> {
  const body = await request<{ household: { id: number; person: number } }>('POST', 'watch/households', { body: household });
  return body.household;
}

export interface DeviceCredential {
  /** Public id, "dev-…". */
  device: string;
  /** Shown this once; the server keeps only its hash. */
  token: string;
}

export function addDevice(household: number): Promise<DeviceCredential> {
  return request<DeviceCredential>('POST', `watch/households/${encodeURIComponent(String(household))}/devices`, { body: {} });
}

/** 404 when there is no such live device in the municipality. */
export function revokeDevice(device: string): Promise<{ device: string; revoked: boolean }> {
  return request<{ device: string; revoked: boolean }>('POST', `watch/devices/${encodeURIComponent(device)}/revoke`, { body: {} });
}

// One person's watch-over summary (permission "watch.view", checked per person: family members see
// only their relatives). 404 no_household when the person has no sensor.

export interface DayOpenings {
  /** Local calendar date "YYYY-MM-DD". */
  date: string;
  door_openings: number;
}

export interface SummaryAlert {
  id: number;
  kind: string;
  /** The reason, in Japanese. */
  text: string;
  state: 'open' | 'claimed' | 'city' | 'closed';
  opened_at: string;
  closed_at: string | null;
  /** How it ended (resident_fine, family_handled, …), null while open. */
  outcome: string | null;
}

export interface WatchSummary {
  today: HouseholdStatus;
  /** The last seven days, oldest first, today last. */
  days: DayOpenings[];
  /** Up to 20 alerts, newest first. */
  alerts: SummaryAlert[];
}

export function getWatchSummary(person: number, signal?: AbortSignal): Promise<WatchSummary> {
  return request<WatchSummary>('GET', `watch/persons/${encodeURIComponent(String(person))}/summary`, { signal });
}

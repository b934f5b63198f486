// 見守りアラート: the call centre's worklist and the steps of handling one alert
// (permission "watch.alerts"; reading one alert is also checked per person by the server).
import { request } from './client';

/** open: nobody has it yet; claimed: an operator is on it; city: handed over to the city; closed: done. */
export type AlertState = 'open' | 'claimed' | 'city' | 'closed';
/** 1 the resident, 2 family, 3 the city, 4 emergency (119). */
export type AlertLevel = 1 | 2 | 3 | 4;
export const ALERT_LEVELS: readonly AlertLevel[] = [1, 2, 3, 4];

/** What the rules found; the server's `text` says why in Japanese. */
export type AlertKind = 'no_activity' | 'missed_upload' | 'door_left_open' | 'heat' | 'cold' | 'humidity' | 'battery_low'
  | 'low_activity' | 'night_activity';

export interface AlertResident {
  id: number;
  name: string;
  kana: string;
  address: string;
  phones: string[];
  birth_date: string | null;
}

export type AlertContactKind = 'family' | 'city' | 'other';

export interface AlertContact {
  /** Call order, from 1. A call_family step names it as its target. */
  position: number;
  kind: AlertContactKind;
  name: string;
  relationship: string;
  phone: string;
}

export interface AlertStep {
  seq: number;
  at: string;
  /** Display name of the user, or "system" for the timers and the rules. */
  actor: string;
  /** opened, claim, call_resident, call_family, handover_city, city_visit, call_119, note, renotify, escalate, close */
  action: string;
  target: string;
  outcome: string;
  note: string;
}

export interface Alert {
  id: number;
  household: number;
  person: number;
  kind: AlertKind | string;
  /** 3 is the most urgent. */
  urgency: number;
  /** The reason, in Japanese. */
  text: string;
  evidence: Record<string, unknown>;
  state: AlertState;
  level: AlertLevel;
  opened_at: string;
  updated_at: string;
  claimed_by: { id: number; name: string } | null;
  closed_at: string | null;
  next_timer_at: string | null;
  outcome: CloseOutcome | null;
  /** Only on the list and on GET of one alert, not in the answers of claim / steps / close. */
  resident?: AlertResident | null;
  contacts?: AlertContact[];
  /** Only on GET of one alert and the answers of claim / steps / close. */
  steps?: AlertStep[];
}

export type AlertListState = 'open' | 'all';

/** Open alerts most urgent first (then oldest); "all" is newest first. The server clamps `limit` to 1–500. */
export async function listAlerts(
  filter: { state: AlertListState; household?: number; limit?: number },
  signal?: AbortSignal,
): Promise<Alert[]> {
  const body = await request<{ alerts: Alert[] }>('GET', 'watch/alerts', {
    query: { state: filter.state, household: filter.household, limit: filter.limit },
    signal,
  });
  return body.alerts;
}

function alertPath(id: number, action?: string): string {
  const base = `watch/alerts/${encodeURIComponent(String(id))}`;
  return action ? `${base}/${action}` : base;
}

/** One alert with its call sheet and every step; 404 not_found. */
export async function getAlert(id: number, signal?: AbortSignal): Promise<Alert> {
  const body = await request<{ alert: Alert }>('GET', alertPath(id), { signal });
  return body.alert;
}

/** 409 already_claimed when another operator holds it, 409 closed. */
export async function claimAlert(id: number): Promise<Alert> {
  const body = await request<{ alert: Alert }>('POST', alertPath(id, 'claim'));
  return body.alert;
}

export type StepAction = 'call_resident' | 'call_family' | 'handover_city' | 'city_visit' | 'call_119' | 'note';

/** The outcomes each action accepts; an empty list means the step has none. */
export const STEP_OUTCOMES = {
  call_resident: ['fine', 'needs_help', 'no_answer'],
  call_family: ['reached', 'no_answer'],
  handover_city: [],
  city_visit: ['fine', 'needs_help', 'not_home'],
  call_119: [],
  note: [],
} as const satisfies Record<StepAction, readonly string[]>;

export type StepOutcome<A extends StepAction> = (typeof STEP_OUTCOMES)[A][number];

export interface NewStep<A extends StepAction = StepAction> {
  action: A;
  /** call_family: the contact's position; call_119: where the patient is taken. */
  target?: string;
  outcome?: StepOutcome<A>;
  /** Required for "note"; up to 2000 characters. */
  note?: string;
}

/**
 * Appends a step. 409 not_claimed (a call operator must claim first), 409 closed,
 * 400 invalid_action / invalid_outcome / missing (note) / too_long.
 */
export async function recordStep(id: number, step: NewStep): Promise<Alert> {
  const body = await request<{ alert: Alert }>('POST', alertPath(id, 'steps'), {
    body: { action: step.action, target: step.target ?? '', outcome: step.outcome ?? '', note: step.note ?? '' },
  });
  return body.alert;
}

export type CloseOutcome = 'resident_fine' | 'family_handled' | 'city_handled' | 'transported' | 'false_alarm' | 'other';
export const CLOSE_OUTCOMES: readonly CloseOutcome[] = [
  'resident_fine',
  'family_handled',
  'city_handled',
  'transported',
  'false_alarm',
  'other',
];

/** 400 invalid_outcome without a valid outcome, 409 closed. */
export async function closeAlert(id: number, outcome: CloseOutcome, note: string): Promise<Alert> {
  const body = await request<{ alert: Alert }>('POST', alertPath(id, 'close'), { body: { outcome, note } });
  return body.alert;
}

/** Data of the "watch.alert" server-sent event (WATCH_ALERT_EVENT in ./watch). */
export interface AlertEvent {
  alert: number;
  household: number;
  kind: string;
  urgency: number;
  state: AlertState;
}

export function isAlertEvent(data: unknown): data is AlertEvent {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  return typeof d.alert === 'number' && typeof d.state === 'string';
}

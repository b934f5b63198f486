// Disaster events (訓練 and real ones), their phases, checklists and log; the people who need
// help to evacuate on the map and in the list, their cards and safety confirmations; the city's
// dashboard and CSV export.
//
// Contract (server, docs/api.md, "Disaster events"): permissions "disaster.events" (see events),
// "disaster.manage" (declare, end, checklists, settings: admin and city_officer), "disaster.person"
// and "disaster.safety" (checked per person: the city sees the whole ledger, call operators and care
// roles only people who consented, care roles only their own care-team patients), "disaster.report"
// (dashboard and CSV: admin and city_officer). Writes to an ended event are 409 event_ended.
import { apiUrl, request } from './client';

export const EVENT_KINDS = ['earthquake', 'flood', 'typhoon', 'landslide', 'heat_wave', 'heavy_snow', 'fire', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const PHASE_KEYS = ['preparation', 'warning', 'onset', 'safety_confirmation', 'recovery', 'back_to_normal'] as const;
export type PhaseKey = (typeof PHASE_KEYS)[number];

/** Hours from the onset at which each phase starts (back_to_normal has no end). */
export const PHASE_START_HOURS: Record<PhaseKey, number> = {
  preparation: -120,
  warning: -24,
  onset: 0,
  safety_confirmation: 6,
  recovery: 72,
  back_to_normal: 120,
};

/** How far before or after now an onset may be declared, in hours. */
export const ONSET_RANGE_HOURS = 120;

export const LOCATIONS = ['home', 'shelter', 'hospital', 'other', 'unknown'] as const;
export type SafetyLocation = (typeof LOCATIONS)[number];

/** The need codes the server knows; other words in the ledger are kept as written. */
export const NEED_CODES = [
  'home_oxygen',
  'ventilator',
  'dialysis',
  'bedridden',
  'wheelchair',
  'physical_disability',
  'visual_impairment',
  'hearing_impairment',
  'dementia',
  'living_alone',
] as const;

export const LABELS_MIN = 2;
export const LABELS_MAX = 6;
export const LABEL_KEY_PATTERN = /^[a-z0-9_]{1,20}$/;
export const LABEL_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
export const LABEL_NAME_MAX = 20;
export const NOTE_MAX = 2000;

export interface SafetyLabel {
  key: string;
  /** "#rrggbb" */
  color: string;
  name: string;
  name_en: string;
}

export interface DisasterSettings {
  labels: SafetyLabel[];
  default_label: string;
  /** "" when the server shows no map tiles. */
  tile_url: string;
  tile_attribution: string;
}

export interface UserRef {
  id: number;
  name: string;
}

export interface DisasterEvent {
  id: number;
  kind: EventKind | string;
  title: string;
  /** Districts; [] is the whole municipality. */
  area: string[];
  drill: boolean;
  onset_at: string;
  declared_at: string;
  ended_at: string | null;
  /** Computed from now and the onset, or "ended". */
  phase: PhaseKey | 'ended' | string;
  declared_by: UserRef | null;
}

export interface ChecklistItem {
  id: number;
  text: string;
  done_at: string | null;
  done_by: UserRef | null;
}

export interface Phase {
  key: PhaseKey;
  name: string;
  name_en: string;
  starts_at: string;
  /** null for back_to_normal. */
  ends_at: string | null;
  checklist: ChecklistItem[];
}

export type LogKind = 'declared' | 'phase' | 'checklist' | 'note' | 'safety' | 'ended';

export interface LogEntry {
  id: number;
  at: string;
  kind: LogKind | string;
  phase: string;
  text: string;
  author: UserRef | null;
}

export interface EventDetail extends DisasterEvent {
  phases: Phase[];
  /** Newest first, at most 500. */
  log: LogEntry[];
}

export interface NewEvent {
  kind: EventKind;
  title: string;
  area: string[];
  drill: boolean;
  /** Omitted: now. Within ±120 h of now. */
  onset_at?: string;
}

/** A district where many watched households went silent at once: a power cut is likely. */
export interface Outage {
  district: string;
  watched: number;
  silent: number;
}

export interface MapPerson {
  id: number;
  name: string;
  kana: string;
  district: string;
  lat: number | null;
  lon: number | null;
  needs: string[];
  consent: boolean;
  label: string;
  location: SafetyLocation | string;
  shelter: string;
  updated_at: string | null;
  /** The watch-over sensors have not uploaded for 3 h during an open event. */
  silent: boolean;
}

export interface PeopleAnswer {
  labels: SafetyLabel[];
  default_label: string;
  count: number;
  /** The people the caller may see before the filters (servers before "Disaster tweaks" leave it out). */
  total?: number;
  people: MapPerson[];
  /** The districts of the people the caller may see, before the filters. */
  districts: string[];
  outages: Outage[];
}

export interface PeopleFilter {
  labels?: string[];
  need?: string;
  district?: string;
  q?: string;
}

export interface SafetyStatus {
  label: string;
  location: SafetyLocation | string;
  shelter: string;
  note: string;
  updated_at: string | null;
  by: UserRef | null;
}

export interface SafetyPost {
  id: number;
  label: string;
  location: SafetyLocation | string;
  shelter: string;
  note: string;
  at: string;
  author: (UserRef & { role: string }) | null;
}

export interface CareTeamContact {
  name: string;
  role: string;
  organization: string;
  phone: string;
}

export interface PersonCard {
  id: number;
  name: string;
  kana: string;
  sex: string;
  age: number | null;
  address: string;
  district: string;
  lat: number | null;
  lon: number | null;
  phones: string[];
  care_level: string;
  needs: string[];
  supporter: { name: string; phone: string } | null;
  designated_shelter: string;
  consent: boolean;
  status: SafetyStatus;
  posts: SafetyPost[];
  care_team: CareTeamContact[];
}

export interface NewSafetyPost {
  label: string;
  location: SafetyLocation;
  shelter: string;
  note: string;
  /** Made on this device: the same post sent again is recognised and not written twice. */
  client_id: string;
}

export interface SafetyAnswer {
  post: SafetyPost;
  status: SafetyStatus;
  replayed: boolean;
}

export interface LabelCounts {
  [label: string]: number;
}

export interface Dashboard {
  labels: SafetyLabel[];
  default_label: string;
  total: number;
  counts: LabelCounts;
  districts: { district: string; total: number; counts: LabelCounts }[];
  /** Hourly from the onset (or the first post) to now, at most 240 points. */
  progress: { at: string; counts: LabelCounts }[];
  outages: Outage[];
}

const eventPath = (id: number | string, rest = '') => `disaster/events/${encodeURIComponent(String(id))}${rest}`;

export function getSettings(signal?: AbortSignal): Promise<DisasterSettings> {
  return request<DisasterSettings>('GET', 'disaster/settings', { signal });
}

/** Replaces the labels (2–6) and the default label; the tile server is not changed here. */
export function saveSettings(body: { labels: SafetyLabel[]; default_label: string }): Promise<DisasterSettings> {
  return request<DisasterSettings>('PUT', 'disaster/settings', { body });
}

/** Open events first, then the newest. */
export async function listEvents(signal?: AbortSignal): Promise<DisasterEvent[]> {
  return (await request<{ events: DisasterEvent[] }>('GET', 'disaster/events', { signal })).events;
}

export function declareEvent(body: NewEvent): Promise<DisasterEvent> {
  return request<DisasterEvent>('POST', 'disaster/events', { body });
}

export function getEvent(id: number | string, signal?: AbortSignal): Promise<EventDetail> {
  return request<EventDetail>('GET', eventPath(id), { signal });
}

export function endEvent(id: number): Promise<DisasterEvent> {
  return request<DisasterEvent>('POST', eventPath(id, '/end'));
}

export function addLogNote(id: number, text: string): Promise<LogEntry> {
  return request<LogEntry>('POST', eventPath(id, '/log'), { body: { text } });
}

export function addChecklistItem(id: number, phase: PhaseKey, text: string): Promise<ChecklistItem> {
  return request<ChecklistItem>('POST', eventPath(id, '/checklist'), { body: { phase, text } });
}

export function setChecklistDone(id: number, itemId: number, done: boolean): Promise<ChecklistItem> {
  return request<ChecklistItem>('PUT', eventPath(id, `/checklist/${itemId}`), { body: { done } });
}

/** The people the caller may see, filtered by the server. */
export function listPeople(id: number | string, filter: PeopleFilter, signal?: AbortSignal): Promise<PeopleAnswer> {
  return request<PeopleAnswer>('GET', eventPath(id, '/people'), {
    query: {
      label: filter.labels?.join(','),
      need: filter.need,
      district: filter.district,
      q: filter.q?.trim(),
    },
    signal,
  });
}

export function getPersonCard(id: number | string, personId: number, signal?: AbortSignal): Promise<PersonCard> {
  return request<PersonCard>('GET', eventPath(id, `/people/${personId}`), { signal });
}

/** 201 for a new post, 200 with replayed:true when this client_id was sent before (nothing written). */
export function postSafety(id: number | string, personId: number, body: NewSafetyPost): Promise<SafetyAnswer> {
  return request<SafetyAnswer>('POST', eventPath(id, `/people/${personId}/safety`), { body });
}

export function getDashboard(id: number | string, signal?: AbortSignal): Promise<Dashboard> {
  return request<Dashboard>('GET', eventPath(id, '/dashboard'), { signal });
}

/** The safety list as CSV (UTF-8 with BOM, for Excel); a plain link downloads it with the session cookie. */
export function safetyCsvUrl(id: number | string): string {
  return apiUrl(eventPath(id, '/safety.csv'));
}

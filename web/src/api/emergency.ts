// 救急 (emergency): break-glass access for paramedics, the emergency sheet, transports, the fridge
// kit's QR code and the review of every break-glass use.
//
// Contract (server): a paramedic finds a resident by identity only, then opens a time-limited grant
// (緊急時アクセス) with a reason and a note; the sheet answers 200 while a grant of the caller is live
// and 403 otherwise. Recording a transport to a hospital of the directory lets that hospital's
// doctors and nurses read the sheet for a while. Every grant is recorded, the care team and the
// city are notified, and reviewers mark each use as checked.
import { request } from './client';
import type { Sex } from './persons';

export interface GrantReason {
  code: string;
  label: { ja: string; en: string };
}

export interface GrantReasons {
  reasons: GrantReason[];
  /** How long a grant stays open. */
  grant_minutes: number;
}

/** Who a resident is, and nothing clinical: what a search or a kit code tells a paramedic. */
export interface EmergencyIdentity {
  id: number;
  name: string;
  kana: string;
  age: number;
  sex: Sex;
  address: string;
}

export interface SheetPerson extends EmergencyIdentity {
  /** YYYY-MM-DD, or null when the register has none. */
  birth_date: string | null;
  phones: string[];
}

export type GrantKind = 'paramedic' | 'hospital';

export interface Grant {
  grant: string;
  kind: GrantKind;
  person: { id: number; name: string };
  created_at: string;
  expires_at: string;
}

export interface NewGrant {
  person: number;
  reason: string;
  note: string;
  /** The code of the fridge kit's QR, when the person was found through it. */
  kit?: string;
}

// The clinical parts are the care network's summary entries as written: every field but the
// first may be missing.

export interface CareLevel {
  level: string;
  certified_on?: string;
}

export interface Contact {
  name: string;
  relationship?: string;
  phones?: string[];
  order?: number;
}

export interface CareTeamContact {
  name: string;
  role: string;
  phone: string | null;
  lead: boolean;
  organization: { name: string; phone: string | null } | null;
}

export interface FamilyDoctor {
  name: string;
  clinic?: string;
  phone?: string;
}

export interface Condition {
  condition: string;
  since?: string;
  status?: string;
  note?: string;
}

export interface Prescription {
  drug: string;
  dose?: string;
  schedule?: string;
}

export interface Allergy {
  substance: string;
  reaction?: string;
  severity?: string;
}

export type Resuscitation = 'wanted' | 'not_wanted' | 'undecided';

export interface Acp {
  /** YYYY-MM-DD */
  confirmed_on: string;
  resuscitation?: Resuscitation;
  life_sustaining?: string;
  place_of_care?: string;
  place_of_death?: string;
  decision_maker?: string;
  note?: string;
}

export interface Transport {
  id: number;
  departed_at: string;
  /** A hospital of the directory, or null when only a name was written. */
  hospital: { code: string; name: string } | null;
  hospital_name: string;
  condition: string;
  recorded_by: { name: string };
  /** Until when the hospital's staff may read the sheet (null without a hospital of the directory). */
  hospital_access_until: string | null;
}

/** One life record (ここのーと) of the last 72 hours, as the sheet carries it (docs/api.md §12.5). */
export interface SheetLifeRecord {
  /** "YYYY-MM-DD HH:MM" local. */
  local_time: string;
  /** Each value with its unit ("88 %"). */
  items: { label: string; value: string; out_of_range: boolean }[];
  note: string;
}

export interface EmergencySheet {
  person: SheetPerson;
  grant: { grant: string; expires_at: string; kind: GrantKind };
  /** False when the person is not a patient of the care network (no clinical data kept). */
  registered: boolean;
  care_level: CareLevel | null;
  next_of_kin: Contact[];
  watch_contacts: Contact[];
  care_team: CareTeamContact[];
  family_doctor: FamilyDoctor | null;
  history: Condition[];
  prescriptions: Prescription[];
  allergies: Allergy[];
  acp: Acp | null;
  transports: Transport[];
  /** Newest first, at most 20; absent from servers without life records. */
  life_records?: SheetLifeRecord[];
}

export interface NewTransport {
  /** RFC 3339; the server takes "now" when it is left out. */
  departed_at?: string;
  /** An organisation code of the directory; or hospital_name alone. */
  hospital?: string;
  hospital_name?: string;
  condition: string;
}

export interface Kit {
  /** What the QR code holds: http://host/e/<code>. */
  url: string;
  qr_svg: string;
  issued_at: string;
}

export interface IssuedKit {
  kit: Kit;
  person: SheetPerson;
  family_doctor: FamilyDoctor | null;
  next_of_kin: Contact[];
  care_level: CareLevel | null;
}

export type EndReason = 'ended' | 'expired';

export interface GrantUse {
  grant: string;
  kind: GrantKind;
  person: { id: number; name: string };
  /** For a hospital's grant: the paramedic who recorded the transport. */
  opened_by: { name: string; organization: string };
  /** A reason code; "transport" for a hospital's grant. */
  reason: string;
  /** The reason in Japanese, as the server names it. */
  reason_label?: string;
  /** The paramedic's words; for a hospital's grant, the hospital's name. */
  note: string;
  via_kit: boolean;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: EndReason | null;
  sheet_reads: number;
  transports: number;
  review: { by: { name: string }; at: string; note: string } | null;
}

export interface EmergencySettings {
  grant_minutes: number;
}

export const GRANT_MINUTES_MIN = 15;
export const GRANT_MINUTES_MAX = 720;

function personPath(id: number, rest = ''): string {
  return `emergency/persons/${encodeURIComponent(String(id))}${rest}`;
}

function grantPath(grant: string, rest: string): string {
  return `emergency/grants/${encodeURIComponent(grant)}${rest}`;
}

/** Paramedics only (emergency.find). */
export function getGrantReasons(signal?: AbortSignal): Promise<GrantReasons> {
  return request<GrantReasons>('GET', 'emergency/reasons', { signal });
}

/** Residents by name, kana, address or phone and/or birth date; 400 query_required when both are empty. */
export async function findPersons(q: string, birthDate: string, signal?: AbortSignal): Promise<EmergencyIdentity[]> {
  const body = await request<{ persons: EmergencyIdentity[] }>('GET', 'emergency/persons', {
    query: { q: q.trim(), birth_date: birthDate },
    signal,
  });
  return body.persons;
}

/** Opens break-glass access; 400 names `reason` or `note`, 403 when the caller may not. */
export function openGrant(input: NewGrant): Promise<{ grant: string; expires_at: string; person: number }> {
  return request<{ grant: string; expires_at: string; person: number }>('POST', 'emergency/grants', { body: input });
}

/** The caller's live grants (a hospital's staff: those given to their hospital). */
export async function listLiveGrants(signal?: AbortSignal): Promise<Grant[]> {
  const body = await request<{ grants: Grant[] }>('GET', 'emergency/grants', { signal });
  return body.grants;
}

/** Closes one's own paramedic grant before it expires; 404 no_such_grant otherwise. */
export async function endGrant(grant: string): Promise<void> {
  await request<unknown>('POST', grantPath(grant, '/end'), { body: {} });
}

/** 403 when the caller has no live grant for this person. Every read is recorded. */
export function getSheet(person: number, signal?: AbortSignal): Promise<EmergencySheet> {
  return request<EmergencySheet>('GET', personPath(person, '/sheet'), { signal });
}

export async function recordTransport(person: number, input: NewTransport): Promise<Transport> {
  const body = await request<{ transport: Transport }>('POST', personPath(person, '/transports'), { body: input });
  return body.transport;
}

/** Issues the fridge kit's QR code; the previous code of this person stops working. */
export function issueKit(person: number): Promise<IssuedKit> {
  return request<IssuedKit>('POST', personPath(person, '/kit'), { body: {} });
}

/** Who a kit code belongs to; 404 kit_invalid for an unknown or replaced code. */
export async function resolveKit(code: string, signal?: AbortSignal): Promise<EmergencyIdentity> {
  const body = await request<{ person: EmergencyIdentity }>('GET', `emergency/kits/${encodeURIComponent(code)}`, { signal });
  return body.person;
}

/** Break-glass uses opened in [from, to] (YYYY-MM-DD, both days included). */
export async function listGrantUses(from: string, to: string, signal?: AbortSignal): Promise<GrantUse[]> {
  const body = await request<{ grants: GrantUse[] }>('GET', 'emergency/review', { query: { from, to }, signal });
  return body.grants;
}

/** Marks a use as reviewed, with an optional note (at most 1000 characters). */
export async function reviewGrant(grant: string, note: string): Promise<void> {
  await request<unknown>('POST', grantPath(grant, '/review'), { body: { note } });
}

export function getEmergencySettings(signal?: AbortSignal): Promise<EmergencySettings> {
  return request<EmergencySettings>('GET', 'emergency/settings', { signal });
}

export function updateEmergencySettings(settings: EmergencySettings): Promise<EmergencySettings> {
  return request<EmergencySettings>('PUT', 'emergency/settings', { body: settings });
}

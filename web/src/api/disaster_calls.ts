// Disaster broadcasts (一斉同報) and their call lists, shelters and care facilities of an event, and
// the districts of the ledger.
//
// Contract (server, "Disaster broadcasts"): "disaster.manage" creates broadcasts, adds shelters and
// reports on them; "disaster.calls" reads broadcasts and records calls (admin, city_officer,
// call_operator); "disaster.places" reads shelters and facilities; "disaster.facility" reports on a
// facility (its own staff, or the city: checked per facility, 403 otherwise).
import { request } from './client';
import type { UserRef } from './disaster';

export const CALL_OUTCOMES = ['reached', 'no_answer', 'busy', 'unreachable', 'message_left'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const ACCESSIBILITY = ['power', 'wheelchair', 'welfare'] as const;
export const FACILITY_STATUSES = ['open', 'partly', 'closed'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

export const BROADCAST_MESSAGE_MAX = 1000;

export interface Audience {
  districts: string[];
  needs: string[];
  labels: string[];
}

export interface BroadcastProgress {
  total: number;
  called: number;
  outcomes: Record<CallOutcome, number>;
}

export interface Broadcast {
  id: number;
  message: string;
  audience: Audience;
  created_at: string;
  created_by: UserRef | null;
  progress: BroadcastProgress;
}

export interface Call {
  id: number;
  position: number;
  person_id: number;
  name: string;
  kana: string;
  district: string;
  phone: string;
  outcome: CallOutcome | null;
  note: string;
  attempts: number;
  called_at: string | null;
  called_by: string | null;
  label: string;
}

export interface BroadcastDetail extends Broadcast {
  calls: Call[];
}

export interface Shelter {
  id: number;
  name: string;
  address: string;
  district: string;
  lat: number | null;
  lon: number | null;
  capacity: number;
  accessibility: string[];
}

export interface ShelterReport {
  open: boolean;
  occupancy: number;
  message: string;
  at: string;
  by: UserRef | null;
}

export interface FacilityReport {
  status: FacilityStatus | string;
  services: string[];
  message: string;
  at: string;
  by: UserRef | null;
}

export interface ShelterPlace extends Shelter {
  report: ShelterReport | null;
}

export interface Facility {
  /** The organisation's id. */
  id: number;
  name: string;
  kind: string;
  address: string;
  phone: string;
  lat: number | null;
  lon: number | null;
  report: FacilityReport | null;
}

export interface Places {
  shelters: ShelterPlace[];
  facilities: Facility[];
}

export type NewShelter = Omit<Shelter, 'id'>;

const eventPath = (id: number | string, rest: string) => `disaster/events/${encodeURIComponent(String(id))}${rest}`;

export async function listBroadcasts(eventId: number | string, signal?: AbortSignal): Promise<Broadcast[]> {
  return (await request<{ broadcasts: Broadcast[] }>('GET', eventPath(eventId, '/broadcasts'), { signal })).broadcasts;
}

export function createBroadcast(eventId: number | string, body: { message: string; audience: Audience }): Promise<Broadcast> {
  return request<Broadcast>('POST', eventPath(eventId, '/broadcasts'), { body });
}

export function getBroadcast(eventId: number | string, broadcastId: number | string, signal?: AbortSignal): Promise<BroadcastDetail> {
  return request<BroadcastDetail>('GET', eventPath(eventId, `/broadcasts/${encodeURIComponent(String(broadcastId))}`), { signal });
}

/** Records one attempt (attempts + 1) and answers the call as it is now. */
export function recordCall(eventId: number | string, broadcastId: number | string, callId: number, body: { outcome: CallOutcome; note: string }): Promise<Call> {
  return request<Call>('PUT', eventPath(eventId, `/broadcasts/${encodeURIComponent(String(broadcastId))}/calls/${callId}`), { body });
}

export async function listShelters(signal?: AbortSignal): Promise<Shelter[]> {
  return (await request<{ shelters: Shelter[] }>('GET', 'disaster/shelters', { signal })).shelters;
}

export function addShelter(body: NewShelter): Promise<Shelter> {
  return request<Shelter>('POST', 'disaster/shelters', { body });
}

export function getPlaces(eventId: number | string, signal?: AbortSignal): Promise<Places> {
  return request<Places>('GET', eventPath(eventId, '/places'), { signal });
}

/** 201 with the shelter and its report (a server that answers `null` is read again). */
export async function reportShelter(eventId: number | string, shelterId: number, body: { open: boolean; occupancy: number; message: string }): Promise<ShelterPlace> {
  const answer = await request<ShelterPlace | null>('POST', eventPath(eventId, `/shelters/${shelterId}/reports`), { body });
  if (answer?.id === shelterId) return answer;
  return (await getPlaces(eventId)).shelters.find((s) => s.id === shelterId)!;
}

/** 201 with the facility and its report (a server that answers `null` is read again); 403 for another organisation's staff. */
export async function reportFacility(eventId: number | string, organizationId: number, body: { status: FacilityStatus; services: string[]; message: string }): Promise<Facility> {
  const answer = await request<Facility | null>('POST', eventPath(eventId, `/facilities/${organizationId}/reports`), { body });
  if (answer?.id === organizationId) return answer;
  return (await getPlaces(eventId)).facilities.find((f) => f.id === organizationId)!;
}

/** The municipality's ledger districts (null when the server does not have the route yet). */
export async function listDistricts(signal?: AbortSignal): Promise<string[] | null> {
  try {
    return (await request<{ districts: string[] }>('GET', 'disaster/districts', { signal })).districts;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}

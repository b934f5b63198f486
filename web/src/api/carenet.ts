// 在宅医療介護連携 (care network): patients, their summary, care team, team timeline and consents.
// Every patient-level call is answered 403 when the signed-in user may not see that patient (also
// for an unknown id); reads are audited by the server.
import { apiUrl, request } from './client';
import type { Person } from './persons';

/** A user as the care network shows them: who wrote, who is on the team. */
export interface CareUser {
  id: number;
  name: string;
  kana: string;
  role: string;
  organization: { code: string; name: string } | null;
  phone: string;
}

export type Membership = 'lead' | 'member';
export type PatientStatus = 'active' | 'deregistered';

export interface PatientListItem {
  person: Person;
  status: PatientStatus;
  /** "要介護2", or null when no care-need level is recorded. */
  care_level: string | null;
  my_membership: Membership | null;
  unread: number;
  last_post_at: string | null;
}

export type ConsentRelationship = 'self' | 'family' | 'guardian';
export const CONSENT_RELATIONSHIPS: readonly ConsentRelationship[] = ['self', 'family', 'guardian'];
export type ConsentScope = 'care_team' | 'care_team_and_city';
export const CONSENT_SCOPES: readonly ConsentScope[] = ['care_team', 'care_team_and_city'];

export interface ConsentInput {
  /** Who gave it, as written: "本人", "長女 鈴木 恵". */
  given_by: string;
  relationship: ConsentRelationship;
  /** YYYY-MM-DD */
  given_on: string;
  scope: ConsentScope;
}

export interface Consent extends ConsentInput {
  id: number;
  recorded_by: CareUser;
  recorded_at: string;
  withdrawn_at: string | null;
}

export interface Patient {
  person: Person;
  status: PatientStatus;
  registered_at: string;
  registered_by: CareUser;
  consent: Consent | null;
  my_membership: Membership | null;
}

export const PATIENT_LIST_LIMIT = 100;

/** My patients (staff), or all patients of the municipality (city, call centre, admin). */
export async function listPatients(query: string, signal?: AbortSignal): Promise<PatientListItem[]> {
  const body = await request<{ patients: PatientListItem[] }>('GET', 'carenet/patients', {
    query: { q: query.trim(), limit: PATIENT_LIST_LIMIT },
    signal,
  });
  return body.patients;
}

/**
 * Residents of one's municipality with this name (or kana) and birth date, for registering a
 * patient without browsing the register.
 */
export async function findRegisterCandidates(name: string, birthDate: string, signal?: AbortSignal): Promise<Person[]> {
  const body = await request<{ persons: Person[] }>('GET', 'carenet/candidates', {
    query: { name: name.trim(), birth_date: birthDate },
    signal,
  });
  return body.persons;
}

/** Registers a person of the registry as a patient; 409 already_registered. */
export async function registerPatient(input: { person: number; consent: ConsentInput; lead?: number }): Promise<Patient> {
  const body = await request<{ patient: Patient }>('POST', 'carenet/patients', { body: input });
  return body.patient;
}

function patientPath(id: number, rest = ''): string {
  return `carenet/patients/${encodeURIComponent(String(id))}${rest}`;
}

export async function getPatient(id: number, signal?: AbortSignal): Promise<Patient> {
  const body = await request<{ patient: Patient }>('GET', patientPath(id), { signal });
  return body.patient;
}

export async function listConsents(patient: number, signal?: AbortSignal): Promise<Consent[]> {
  const body = await request<{ consents: Consent[] }>('GET', patientPath(patient, '/consents'), { signal });
  return body.consents;
}

/** A new consent replaces the current one. */
export async function recordConsent(patient: number, consent: ConsentInput): Promise<void> {
  await request<unknown>('POST', patientPath(patient, '/consents'), { body: consent });
}

/** After this, writes of clinical data answer 409 no_consent. */
/** Ends the patient's registration (the lead or an admin); the records stay, the team's access ends. */
export async function deregisterPatient(patient: number, reason: string): Promise<void> {
  await request<unknown>('POST', patientPath(patient, '/deregister'), { body: { reason } });
}

export async function withdrawConsent(patient: number): Promise<void> {
  await request<unknown>('POST', patientPath(patient, '/consents/withdraw'), { body: {} });
}

// --- Summary ------------------------------------------------------------------------------------

export type SummarySection = 'care_level' | 'history' | 'prescriptions' | 'allergies' | 'family_doctor' | 'next_of_kin' | 'acp';
export const SUMMARY_SECTIONS: readonly SummarySection[] = [
  'care_level',
  'history',
  'prescriptions',
  'allergies',
  'family_doctor',
  'next_of_kin',
  'acp',
];

/** What a viewer outside the care team may be refused, named in `withheld`. */
export type SummaryCategory = 'identity' | 'care_level' | 'contacts' | 'clinical' | 'acp';

export type EntryData = Record<string, unknown>;

export interface SummaryEntry {
  id: number;
  version: number;
  data: EntryData;
  author: CareUser;
  at: string;
  /** Only in `acp`: the version in force. */
  current?: boolean;
}

export type Summary = { person: Person; withheld: SummaryCategory[] } & Partial<Record<SummarySection, SummaryEntry[]>>;

export interface SummaryChange {
  section: SummarySection;
  entry: number;
  version: number;
  /** null: the entry was removed in this version. */
  data: EntryData | null;
  author: CareUser;
  at: string;
}

export function getSummary(patient: number, signal?: AbortSignal): Promise<Summary> {
  return request<Summary>('GET', patientPath(patient, '/summary'), { signal });
}

/** A new entry (for `acp`: a new version of the plan). 400 invalid_field names the field. */
export async function addSummaryEntry(patient: number, section: SummarySection, data: EntryData): Promise<SummaryEntry> {
  const body = await request<{ entry: SummaryEntry }>('POST', patientPath(patient, `/summary/${section}`), { body: { data } });
  return body.entry;
}

/** A new version of an entry; the old one is kept. Not for `acp`. */
export async function updateSummaryEntry(
  patient: number,
  section: SummarySection,
  entry: number,
  data: EntryData,
): Promise<SummaryEntry> {
  const body = await request<{ entry: SummaryEntry }>(
    'PUT',
    patientPath(patient, `/summary/${section}/${encodeURIComponent(String(entry))}`),
    { body: { data } },
  );
  return body.entry;
}

/** A removal version; kept in the history. */
export async function removeSummaryEntry(patient: number, section: SummarySection, entry: number): Promise<void> {
  await request<unknown>('DELETE', patientPath(patient, `/summary/${section}/${encodeURIComponent(String(entry))}`));
}

/** Changes newest first, of one section or of all. */
export async function getSummaryHistory(patient: number, section: SummarySection | '', signal?: AbortSignal): Promise<SummaryChange[]> {
  const body = await request<{ changes: SummaryChange[] }>('GET', patientPath(patient, '/summary/history'), {
    query: { section },
    signal,
  });
  return body.changes;
}

// --- Care team ----------------------------------------------------------------------------------

export interface TeamMember {
  user: CareUser;
  membership: Membership;
  status: 'active' | 'invited';
  invited_by: CareUser | null;
  invited_at: string | null;
  accepted_at: string | null;
}

export interface Invitation {
  patient: { id: number; name: string };
  invited_by: CareUser;
  invited_at: string;
}

export async function listTeam(patient: number, signal?: AbortSignal): Promise<TeamMember[]> {
  const body = await request<{ members: TeamMember[] }>('GET', patientPath(patient, '/team'), { signal });
  return body.members;
}

/** Invites a professional (lead or admin); they are notified and accept or decline. */
export async function inviteToTeam(patient: number, user: number): Promise<void> {
  await request<unknown>('POST', patientPath(patient, '/team'), { body: { user } });
}

/** Invitations waiting for the signed-in user. */
export async function listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
  const body = await request<{ invitations: Invitation[] }>('GET', 'carenet/invitations', { signal });
  return body.invitations;
}

export async function answerInvitation(patient: number, answer: 'accept' | 'decline'): Promise<void> {
  await request<unknown>('POST', patientPath(patient, `/team/${answer}`), { body: {} });
}

/** Removes a member (lead or admin), or leaves the team when `user` is oneself. */
export async function removeFromTeam(patient: number, user: number): Promise<void> {
  await request<unknown>('DELETE', patientPath(patient, `/team/${encodeURIComponent(String(user))}`));
}

export async function makeLead(patient: number, user: number): Promise<void> {
  await request<unknown>('POST', patientPath(patient, '/team/lead'), { body: { user } });
}

// --- Team timeline (連絡帳) -----------------------------------------------------------------------

export interface AttachmentInfo {
  id: number;
  filename: string;
  media_type: string;
  size: number;
}

/** A file to upload: the original name and the bytes in base64 (the server detects the type). */
export interface AttachmentUpload {
  filename: string;
  data: string;
}

export interface PostComment {
  id: number;
  author: CareUser;
  body: string;
  created_at: string;
}

export interface Post {
  id: number;
  kind: 'note' | 'watch_alert';
  /** null for a post made by the system (a watch-over alert). */
  author: CareUser | null;
  body: string;
  important: boolean;
  created_at: string;
  edited_at: string | null;
  attachments: AttachmentInfo[];
  mentions: CareUser[];
  comments: PostComment[];
  read_count: number;
  /** Only on the author's own posts. */
  read_by?: { user: CareUser; at: string }[];
  read_by_me: boolean;
  /** For kind "watch_alert": the watch-over alert it reports (the contract's object form). */
  alert?: { id: number; kind: string; state: string } | null;
  /** The same as only an id (what the server sends today). */
  alert_id?: number | null;
}

export interface PostVersion {
  body: string;
  important: boolean;
  edited_at: string;
  editor: CareUser | null;
  /** True for the text in force (listed first). */
  current?: boolean;
}

export interface TimelinePage {
  posts: Post[];
  /** Pass as `before` for the next (older) page; null at the end. */
  next_before: number | null;
}

export const TIMELINE_PAGE = 20;

/** Newest first; `before` is the post id the page ends before. */
export function getTimeline(patient: number, page: { before?: number | null; limit?: number }, signal?: AbortSignal): Promise<TimelinePage> {
  return request<TimelinePage>('GET', patientPath(patient, '/timeline'), {
    query: { before: page.before ?? undefined, limit: page.limit ?? TIMELINE_PAGE },
    signal,
  });
}

export interface NewPost {
  body: string;
  important: boolean;
  mentions: number[];
  attachments: AttachmentUpload[];
}

export async function createPost(patient: number, post: NewPost): Promise<Post> {
  const body = await request<{ post: Post }>('POST', patientPath(patient, '/timeline'), { body: post });
  return body.post;
}

/** Author only; the previous text goes to the edit history. */
export async function editPost(patient: number, post: number, change: { body: string; important: boolean }): Promise<Post | null> {
  const body = await request<{ post?: Post } | null>('PUT', patientPath(patient, `/timeline/${encodeURIComponent(String(post))}`), {
    body: change,
  });
  return body && body.post ? body.post : null;
}

export async function getPostHistory(patient: number, post: number, signal?: AbortSignal): Promise<PostVersion[]> {
  const body = await request<{ versions: PostVersion[] }>(
    'GET',
    patientPath(patient, `/timeline/${encodeURIComponent(String(post))}/history`),
    { signal },
  );
  return body.versions;
}

export async function addComment(patient: number, post: number, text: string): Promise<void> {
  await request<unknown>('POST', patientPath(patient, `/timeline/${encodeURIComponent(String(post))}/comments`), { body: { body: text } });
}

/** Marks posts as read by the signed-in user. */
export async function markRead(patient: number, posts: number[]): Promise<void> {
  await request<unknown>('POST', patientPath(patient, '/timeline/read'), { body: { posts } });
}

/** Address of an attachment's bytes, for <img src> and download links. */
export function attachmentUrl(patient: number, attachment: number): string {
  return apiUrl(patientPath(patient, `/attachments/${encodeURIComponent(String(attachment))}`));
}

export interface UnreadSummary {
  total: number;
  patients: { person: { id: number; name: string }; unread: number }[];
}

export function getUnread(signal?: AbortSignal): Promise<UnreadSummary> {
  return request<UnreadSummary>('GET', 'carenet/unread', { signal });
}

/** The live-update event sent to a professional invited to a care team. */
export const INVITATION_EVENT = 'carenet.invitation';

/** The live-update event sent to team members when a post or a comment arrives. */
export const POST_EVENT = 'carenet.post';

export interface PostEvent {
  person: number;
  post: number;
}

export function isPostEvent(data: unknown): data is PostEvent {
  return (
    !!data &&
    typeof data === 'object' &&
    typeof (data as PostEvent).person === 'number' &&
    typeof (data as PostEvent).post === 'number'
  );
}

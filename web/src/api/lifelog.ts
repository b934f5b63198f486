// ここのーと (life records): what a patient or their family writes about daily living at home, for
// the professionals of the care team (docs/api.md §12).
//
// Contract (server): every route under /lifelog/persons/{id} checks the caller against the person
// and answers 403 for a person they may not see (an unknown one too). A record is written with
// PUT …/records/{client_id}, where the client makes the id: the same request sent twice is a
// replay (200, replayed true), a change names the version it changes (base_version), and a change
// made meanwhile by someone else is 409 edit_conflict with the server's record as "current".
import { ApiError, apiUrl, request } from './client';

export type FieldType = 'number' | 'count' | 'choice' | 'text';
export type ChartKind = 'mean' | 'sum' | 'count';

export interface LifelogField {
  /** [a-z][a-z0-9_]{0,31}, unique in the template. */
  key: string;
  label: string;
  label_en?: string;
  type: FieldType;
  unit?: string;
  /** Normal range (number and count); null or absent: no bound. */
  min?: number | null;
  max?: number | null;
  /** Places shown, 0–2 (number). */
  decimals?: number;
  chart?: ChartKind | null;
  choices?: string[];
  choices_en?: string[];
}

export type FieldValue = number | string;
export type RecordValues = Record<string, FieldValue>;

export interface QuickEntry {
  label: string;
  label_en?: string;
  values: RecordValues;
}

export type TemplateKind = 'elderly' | 'pediatric' | string;

export interface Template {
  /** 0 while the person still has the preset of their age. */
  version: number;
  kind: TemplateKind;
  notify_team: boolean;
  fields: LifelogField[];
  quick: QuickEntry[];
  updated_at?: string | null;
  updated_by?: { id: number; name: string } | null;
}

export interface LifelogPerson {
  id: number;
  name: string;
  kana: string;
  /** Null when the register has no birth date. */
  age: number | null;
}

export interface TemplateAnswer {
  person: LifelogPerson;
  template: Template;
  /** True for the professionals of the team, who may change the template. */
  may_edit: boolean;
}

export interface NewTemplate {
  kind: TemplateKind;
  notify_team: boolean;
  fields: LifelogField[];
  quick: QuickEntry[];
  base_version: number;
}

export type Preset = Omit<Template, 'version'>;

/**
 * One person of the list, with how today has gone so far. (§12 does not spell this answer out;
 * these are the names the server sends.)
 */
export interface PersonSummary extends LifelogPerson {
  /** The template's kind ("elderly", "pediatric"). */
  kind?: string;
  /** Why the caller sees this person. */
  relation?: 'family' | 'care_team' | string;
  /** A family member's relationship as registered ("母"), else empty or null. */
  relationship?: string | null;
  may_edit_template?: boolean;
  records_today: number;
  out_of_range_today: number;
  /** RFC 3339 instant of the newest record, or null. */
  last_record_at: string | null;
}

export interface RecordAuthor {
  id: number;
  name: string;
  role: string;
}

export interface RecordPhoto {
  id: number;
  media_type: string;
  size: number;
}

export interface RecordComment {
  id: number;
  author: RecordAuthor;
  body: string;
  at: string;
}

export interface LifeRecord {
  client_id: string;
  person_id: number;
  recorded_at: string;
  /** "YYYY-MM-DD HH:MM" in the person's municipality's zone. */
  local_time: string;
  local_date: string;
  values: RecordValues;
  note: string;
  out_of_range: string[];
  version: number;
  edited: boolean;
  author: RecordAuthor;
  created_at: string;
  updated_at: string;
  photos: RecordPhoto[];
  comments: RecordComment[];
}

export interface PhotoUpload {
  filename: string;
  /** base64 of the bytes. */
  data: string;
}

export interface RecordWrite {
  recorded_at?: string;
  values: Record<string, FieldValue | null>;
  note?: string;
  /** Only when creating. */
  photos?: PhotoUpload[];
  /** 0 or absent: create; n: change version n. */
  base_version?: number;
}

export interface RecordsAnswer {
  time_zone: string;
  from: string;
  to: string;
  records: LifeRecord[];
}

export interface RecordVersion {
  version: number;
  recorded_at: string;
  local_time: string;
  values: RecordValues;
  note: string;
  out_of_range: string[];
  editor: RecordAuthor;
  edited_at: string;
}

export interface DayFigure {
  n: number;
  sum: number | null;
  low: number | null;
  mean: number | null;
  high: number | null;
}

export interface DailySeries {
  key: string;
  label: string;
  label_en?: string;
  unit?: string;
  chart: ChartKind;
  min?: number | null;
  max?: number | null;
  days: DayFigure[];
}

export interface DailyAnswer {
  from: string;
  to: string;
  dates: string[];
  series: DailySeries[];
}

function personPath(id: number, rest = ''): string {
  return `lifelog/persons/${encodeURIComponent(String(id))}${rest}`;
}

function recordPath(person: number, clientId: string, rest = ''): string {
  return personPath(person, `/records/${encodeURIComponent(clientId)}${rest}`);
}

/** The persons the caller may read, as the server lists them. */
export async function listLifelogPersons(signal?: AbortSignal): Promise<PersonSummary[]> {
  const body = await request<{ persons: PersonSummary[] }>('GET', 'lifelog/persons', { signal });
  return body.persons;
}

export async function listPresets(signal?: AbortSignal): Promise<Preset[]> {
  const body = await request<{ presets: Preset[] }>('GET', 'lifelog/presets', { signal });
  return body.presets;
}

export function getTemplate(person: number, signal?: AbortSignal): Promise<TemplateAnswer> {
  return request<TemplateAnswer>('GET', personPath(person, '/template'), { signal });
}

/** Saves version base_version + 1; 409 edit_conflict when someone saved meanwhile. */
export function saveTemplate(person: number, template: NewTemplate): Promise<Partial<TemplateAnswer> & Pick<TemplateAnswer, 'template'>> {
  return request<Partial<TemplateAnswer> & Pick<TemplateAnswer, 'template'>>('PUT', personPath(person, '/template'), { body: template });
}

/** Records of local days [from, to] (default: the last 7 days), newest first. */
export function listRecords(person: number, range: { from?: string; to?: string } = {}, signal?: AbortSignal): Promise<RecordsAnswer> {
  return request<RecordsAnswer>('GET', personPath(person, '/records'), { query: range, signal });
}

export interface PutAnswer {
  record: LifeRecord;
  replayed: boolean;
}

/**
 * Writes a record under the client's id. The answer to 409 edit_conflict is thrown as
 * RecordConflict, which carries the server's record.
 */
export async function putRecord(person: number, clientId: string, write: RecordWrite): Promise<PutAnswer> {
  try {
    return await request<PutAnswer>('PUT', recordPath(person, clientId), { body: write });
  } catch (err) {
    if (err instanceof ApiError && err.status === 409 && err.code === 'edit_conflict') {
      const current = (err.payload as { current?: LifeRecord } | null)?.current;
      if (current) throw new RecordConflict(err, current);
    }
    throw err;
  }
}

/** 409 edit_conflict: the server has another version of the record than the one changed. */
export class RecordConflict extends ApiError {
  constructor(
    cause: ApiError,
    readonly current: LifeRecord,
  ) {
    super(cause.status, cause.code, cause.message, cause.field, cause.requestId, cause.payload);
    this.name = 'RecordConflict';
  }
}

export async function getRecordHistory(person: number, clientId: string, signal?: AbortSignal): Promise<RecordVersion[]> {
  const body = await request<{ versions: RecordVersion[] }>('GET', recordPath(person, clientId, '/history'), { signal });
  return body.versions;
}

export async function addRecordComment(person: number, clientId: string, text: string): Promise<RecordComment> {
  const body = await request<{ comment: RecordComment }>('POST', recordPath(person, clientId, '/comments'), { body: { body: text } });
  return body.comment;
}

/** Local days [from, to] (default: the last 28). */
export function getDaily(person: number, range: { from?: string; to?: string } = {}, signal?: AbortSignal): Promise<DailyAnswer> {
  return request<DailyAnswer>('GET', personPath(person, '/daily'), { query: range, signal });
}

export function photoUrl(person: number, photo: number): string {
  return apiUrl(personPath(person, `/photos/${encodeURIComponent(String(photo))}`));
}

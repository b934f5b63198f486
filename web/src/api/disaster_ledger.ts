// 災害時支援台帳 (the register of people who need help to evacuate): importing the CSV file the
// municipality's resident system exports, and the municipality's own names for its columns.
//
// Contract (server, docs/api.md §13): permission "disaster.ledger" (admin and city_officer, for
// their own municipality). The import's body is the file as it is, at most 64 MiB (413
// payload_too_large). A file that cannot be a ledger is 400 with one of FILE_ERROR_CODES (field
// "file", or "encoding" for invalid_encoding); a file that can is 200 with a report, whether or
// not anything was written. The saved mapping is applied to every import.
import { request, uploadRaw } from './client';

export const LEDGER_MAX_BYTES = 64 * 1024 * 1024;

export type LedgerEncoding = 'auto' | 'cp932' | 'utf-8';
export const LEDGER_ENCODINGS: readonly LedgerEncoding[] = ['auto', 'cp932', 'utf-8'];

/** The fields a column can mean, in the server's order (GET /mapping answers the same list). */
export const LEDGER_FIELDS = [
  'resident_number',
  'name',
  'kana',
  'sex',
  'birth_date',
  'address',
  'district',
  'phone',
  'lat',
  'lon',
  'care_level',
  'needs',
  'supporter_name',
  'supporter_phone',
  'shelter',
  'consent',
] as const;

/** A field name; the server may know one this UI does not. */
export type LedgerField = (typeof LEDGER_FIELDS)[number] | string;

/** Why a 400 refused the whole file. */
export const FILE_ERROR_CODES = [
  'empty_file',
  'binary_file',
  'invalid_encoding',
  'not_csv',
  'header_only',
  'missing_column',
  'duplicate_column',
  'file_too_large',
  'payload_too_large',
] as const;

export type ReviewReason = 'kana_differs' | 'several_matches' | 'name_differs' | 'matched_twice' | string;

/** A record that only looks like someone known: not imported, waiting for a person to decide. */
export interface LedgerReview {
  /** The data record's 1-based number in the file. */
  row: number;
  resident_number: string;
  name: string;
  kana: string;
  /** "YYYY-MM-DD", or null when the file gave none. */
  birth_date: string | null;
  candidate_person_id: number | null;
  reason: ReviewReason;
}

/** A problem of one record: `row` is the record's number (0: the header), `column` the header as written ("" for the whole record). */
export interface LedgerRecordError {
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface LedgerReport {
  rows: number;
  valid: number;
  created: number;
  /** Counts the linked records too. */
  updated: number;
  linked: number;
  review: LedgerReview[];
  errors: LedgerRecordError[];
  /** The encoding the file was read in: "utf-8" or "cp932". */
  encoding: string;
  /** Headers neither the usual names nor the saved mapping explain: ignored. */
  unknown_columns: string[];
  dry_run: boolean;
  /** True only when records were imported. */
  written: boolean;
}

export interface ImportOptions {
  dryRun: boolean;
  encoding: LedgerEncoding;
  skipInvalid: boolean;
  /** The share of the file sent so far (0–1); 1 once the server has it all and is checking. */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
}

/** Checks (dry run) or imports one ledger file. */
export function importLedger(file: Blob, options: ImportOptions): Promise<LedgerReport> {
  return uploadRaw<LedgerReport>('disaster/ledger/imports', file, {
    query: { dry_run: options.dryRun, encoding: options.encoding, skip_invalid: options.skipInvalid },
    contentType: 'text/csv',
    onProgress: options.onProgress,
    signal: options.signal,
  });
}

/** Header as written → field. */
export type LedgerMapping = Record<string, LedgerField>;

export interface MappingInfo {
  mapping: LedgerMapping;
  fields: LedgerField[];
}

export const MAPPING_MAX_HEADERS = 100;
export const MAPPING_MAX_HEADER_LENGTH = 100;

export function getMapping(signal?: AbortSignal): Promise<MappingInfo> {
  return request<MappingInfo>('GET', 'disaster/ledger/mapping', { signal });
}

/** Replaces the municipality's mapping; 400 invalid_field for a field the server does not know. */
export function saveMapping(mapping: LedgerMapping): Promise<MappingInfo> {
  return request<MappingInfo>('PUT', 'disaster/ledger/mapping', { body: { mapping } });
}

export interface StoredReview extends LedgerReview {
  id: number;
  created_at: string;
  /** Every field of the record as the file gave it. */
  record?: Record<string, unknown>;
}

export type ReviewDecision = 'link' | 'create' | 'dismiss';

/** Settles a review: 409 already_resolved, or resident_number_taken when linking or creating would reuse a number. */
export function settleReview(id: number, decision: ReviewDecision): Promise<{ id: number; decision: ReviewDecision; person_id: number | null }> {
  return request('POST', `disaster/ledger/reviews/${encodeURIComponent(String(id))}`, { body: { decision } });
}

/** The records waiting in the review list, oldest first. */
export async function listReviews(signal?: AbortSignal): Promise<StoredReview[]> {
  const body = await request<{ reviews: StoredReview[] }>('GET', 'disaster/ledger/reviews', { signal });
  return body.reviews;
}

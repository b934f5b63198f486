import { request } from './client';

export type AuditOutcome = 'allowed' | 'denied' | 'failed';

export interface AuditEvent {
  id: number;
  /** RFC 3339 instant */
  at: string;
  /** Who acted; id is null for an attempt without a known user (e.g. a failed login). */
  actor: { id: number | null; username: string; role: string } | null;
  tenant: string;
  action: string;
  person: number | null;
  outcome: AuditOutcome;
  reason: string;
  request_id: string;
  /** Extra machine-written detail, e.g. "results=12". */
  detail?: string;
}

export interface AuditFilter {
  actor?: string;
  person?: string;
  action?: string;
  outcome?: AuditOutcome | '';
  /** YYYY-MM-DD, inclusive */
  from?: string;
  /** YYYY-MM-DD, inclusive */
  to?: string;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` to get the next (older) page; null when there is none. */
  next_before: number | null;
}

export const AUDIT_PAGE_SIZE = 100;

export function searchAudit(filter: AuditFilter, before: number | null, signal?: AbortSignal): Promise<AuditPage> {
  return request<AuditPage>('GET', 'admin/audit', {
    query: { ...filter, limit: AUDIT_PAGE_SIZE, before },
    signal,
  });
}

// ここのーと fixtures: the demo town's children with life records (山崎 陽向, whose team has the
// school nurse sch.uchida and the pediatrician dr.okada; 古川 結衣, whose team has no school
// nurse), their records through the API, and the phone the family writes on.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { getJson } from './carenet';
import { csrfOf } from './emergency';

export { csrfOf };

export const HINATA = '山崎 陽向';
export const YUI = '古川 結衣';
export const HINATA_MOTHER = 'fam.yamazaki.asuka';
/** Not among the demo's listed logins: 結衣 is found through the pediatrician. */
export const YUI_FATHER = 'fam.furukawa.shota';
export const SCHOOL_NURSE = 'sch.uchida';
export const PEDIATRICIAN = 'dr.okada';
/** The demo's paramedic, who reads the records only through the emergency sheet. */
export const PARAMEDIC = 'em.kawai';

/** The phone of the offline tests: 375 × 740, touch. */
export const PHONE_740 = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true } as const;

export interface LifelogPerson {
  id: number;
  name: string;
  kana: string;
  records_today: number;
  out_of_range_today: number;
}

export interface LifeRecord {
  client_id: string;
  person_id: number;
  recorded_at: string;
  values: Record<string, number | string>;
  note: string;
  out_of_range: string[];
  version: number;
  edited: boolean;
  photos: { id: number; media_type: string; size: number }[];
  comments: { id: number; body: string }[];
}

export async function lifelogPersons(request: APIRequestContext): Promise<LifelogPerson[]> {
  return (await getJson<{ persons: LifelogPerson[] }>(request, '/api/v1/lifelog/persons')).persons;
}

/** The person called `name` among those the session of `request` may see. */
export async function personNamed(request: APIRequestContext, name: string): Promise<LifelogPerson> {
  const persons = await lifelogPersons(request);
  const person = persons.find((p) => p.name === name);
  expect(person, `${name} among ${persons.map((p) => p.name).join(', ')}`).toBeTruthy();
  return person!;
}

/** The records of the last `days` local days (the server's window is at most 93). */
export async function recordsOf(request: APIRequestContext, person: number, days = 7): Promise<LifeRecord[]> {
  const from = new Date(Date.now() - (days - 1) * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
  return (await getJson<{ records: LifeRecord[] }>(request, `/api/v1/lifelog/persons/${person}/records?from=${from}&to=${to}`)).records;
}

export interface PutResult {
  status: number;
  body: { record?: LifeRecord; replayed?: boolean; current?: LifeRecord; error?: { code: string } };
}

/** PUT …/records/{clientId} with the session of `request`. */
export async function putRecord(request: APIRequestContext, person: number, clientId: string, body: unknown): Promise<PutResult> {
  const response = await request.put(`/api/v1/lifelog/persons/${person}/records/${encodeURIComponent(clientId)}`, {
    data: body,
    headers: { 'X-CSRF-Token': await csrfOf(request) },
  });
  return { status: response.status(), body: (await response.json()) as PutResult['body'] };
}

/** The number the "未送信 N件" badge shows, or 0 when it is gone. */
export async function pendingCount(page: Page): Promise<number> {
  const badge = page.getByTestId('lifelog-pending-badge');
  if ((await badge.count()) === 0) return 0;
  return Number(await badge.getAttribute('data-count'));
}

/** Waits until the page is controlled by the service worker (false when there is none after `ms`). */
export async function serviceWorkerReady(page: Page, ms = 10_000): Promise<boolean> {
  try {
    await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: ms });
    return true;
  } catch {
    return false;
  }
}

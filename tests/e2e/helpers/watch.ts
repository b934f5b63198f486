// Watch-over fixtures made through the public API, so the status-list tests do not depend on
// what the demo town contains.
import { expect, type APIRequestContext } from '@playwright/test';

const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';

/** Katakana → hiragana (what a user types to search by kana). */
export function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

function randomKana(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += KATAKANA[Math.floor(Math.random() * KATAKANA.length)];
  return out;
}

export interface Reading {
  seq: number;
  at: string;
  kind: 'door' | 'temperature' | 'humidity' | 'battery';
  value: 'open' | 'close' | number;
}

export interface SensorHousehold {
  person: number;
  household: number;
  device: string;
  token: string;
  name: string;
  kana: string;
  /** The given-name kana alone, unique enough to find just this household. */
  givenKana: string;
}

/** The CSRF token of the signed-in session behind `request` (shares the page's cookies). */
export async function csrfToken(request: APIRequestContext): Promise<string> {
  const response = await request.get('/api/v1/auth/session');
  expect(response.status(), 'signed-in session').toBe(200);
  return ((await response.json()) as { csrf_token: string }).csrf_token;
}

async function post<T>(request: APIRequestContext, path: string, csrf: string, data: unknown, want = 201): Promise<T> {
  const response = await request.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
  const body = await response.text();
  expect(response.status(), `POST ${path} → ${body}`).toBe(want);
  return JSON.parse(body) as T;
}

export interface NewResident {
  id: number;
  name: string;
  kana: string;
  /** The given-name kana alone, unique enough to find just this resident. */
  givenKana: string;
}

/** A new resident of Seto with a random given name in katakana (admin session needed). */
export async function createResident(request: APIRequestContext, csrf?: string): Promise<NewResident> {
  const givenKana = randomKana(4);
  const person = await post<{ person: { id: number } }>(request, '/api/v1/persons', csrf ?? (await csrfToken(request)), {
    family_name: '見守',
    given_name: givenKana,
    family_kana: 'ミマモリ',
    given_kana: givenKana,
    sex: 'female',
    birth_date: '1941-04-03',
    address: '愛知県瀬戸市追分町64-1',
    district: '追分町',
  });
  return { id: person.person.id, name: `見守 ${givenKana}`, kana: `ミマモリ ${givenKana}`, givenKana };
}

/** A new resident with a watch-over household and one sensor device (admin session needed). */
export async function createSensorHousehold(request: APIRequestContext): Promise<SensorHousehold> {
  const csrf = await csrfToken(request);
  const resident = await createResident(request, csrf);
  const person = { person: { id: resident.id } };
  const givenKana = resident.givenKana;
  const household = await post<{ household: { id: number } }>(request, '/api/v1/watch/households', csrf, {
    person: person.person.id,
    contacts: [{ kind: 'family', name: '見守 太郎', relationship: '長男', phone: '090-0000-0000' }],
    plan: { name: 'もーやっこサポート', monthly_yen: 1100, started_on: '2026-04-01' },
  });
  const device = await post<{ device: string; token: string }>(
    request,
    `/api/v1/watch/households/${household.household.id}/devices`,
    csrf,
    {},
  );
  return {
    person: person.person.id,
    household: household.household.id,
    device: device.device,
    token: device.token,
    name: `見守 ${givenKana}`,
    kana: `ミマモリ ${givenKana}`,
    givenKana,
  };
}

/** Sends readings the way a gateway does: bearer device token, no session. Returns the HTTP status. */
export async function tryIngest(
  request: APIRequestContext,
  device: { device: string; token: string },
  readings: Reading[],
): Promise<{ status: number; body: string }> {
  const response = await request.post('/api/v1/ingest', {
    data: { device: device.device, readings },
    headers: { Authorization: `Bearer ${device.token}` },
  });
  return { status: response.status(), body: await response.text() };
}

/** Like tryIngest, and expects every reading to be accepted. */
export async function ingest(request: APIRequestContext, device: { device: string; token: string }, readings: Reading[]): Promise<void> {
  const { status, body } = await tryIngest(request, device, readings);
  expect(status, `POST /api/v1/ingest → ${body}`).toBe(200);
  expect((JSON.parse(body) as { accepted: number }).accepted).toBe(readings.length);
}

/** RFC 3339 of `secondsAgo` before now. */
export function secondsAgo(secondsAgo: number): string {
  return new Date(Date.now() - secondsAgo * 1000).toISOString();
}

/** `count` door openings (each followed by a close) during the last minute, seq from `firstSeq`. */
export function doorOpenings(count: number, firstSeq: number): Reading[] {
  const readings: Reading[] = [];
  for (let i = 0; i < count; i++) {
    const at = 50 - i * 10;
    readings.push({ seq: firstSeq + 2 * i, at: secondsAgo(at), kind: 'door', value: 'open' });
    readings.push({ seq: firstSeq + 2 * i + 1, at: secondsAgo(at - 5), kind: 'door', value: 'close' });
  }
  return readings;
}

/**
 * "Door openings today" counts from local midnight in Seto: readings of the last minute must not
 * fall on yesterday, so right after midnight (JST) wait a little.
 */
export async function awayFromMidnight(): Promise<void> {
  const msIntoDay = (Date.now() + 9 * 3600_000) % 86_400_000;
  if (msIntoDay < 90_000) await new Promise((resolve) => setTimeout(resolve, 90_000 - msIntoDay));
}

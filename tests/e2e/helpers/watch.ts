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
export async function createResident(request: APIRequestContext, csrf?: string, phones: string[] = []): Promise<NewResident> {
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
    phones,
  });
  return { id: person.person.id, name: `見守 ${givenKana}`, kana: `ミマモリ ${givenKana}`, givenKana };
}

export interface Contact {
  kind: 'family' | 'city' | 'other';
  name: string;
  relationship: string;
  phone: string;
}

const ONE_CONTACT: Contact[] = [{ kind: 'family', name: '見守 太郎', relationship: '長男', phone: '090-0000-0000' }];

/** A new resident with a watch-over household and one sensor device (admin session needed). */
export async function createSensorHousehold(
  request: APIRequestContext,
  options: { contacts?: Contact[]; phones?: string[] } = {},
): Promise<SensorHousehold> {
  const csrf = await csrfToken(request);
  const resident = await createResident(request, csrf, options.phones ?? []);
  const person = { person: { id: resident.id } };
  const givenKana = resident.givenKana;
  const household = await post<{ household: { id: number } }>(request, '/api/v1/watch/households', csrf, {
    person: person.person.id,
    contacts: options.contacts ?? ONE_CONTACT,
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

export interface OpenAlert {
  id: number;
  kind: string;
  urgency: number;
  text: string;
  state: string;
  level: number;
}

/** The alerts of one household as the worklist API returns them ("open" or "all"). */
export async function householdAlerts(request: APIRequestContext, household: number, state: 'open' | 'all' = 'open'): Promise<OpenAlert[]> {
  const response = await request.get(`/api/v1/watch/alerts?state=${state}&household=${household}`);
  expect(response.status(), 'GET /api/v1/watch/alerts').toBe(200);
  return ((await response.json()) as { alerts: OpenAlert[] }).alerts;
}

/**
 * Sends one room reading of 34 °C and 75 % (indoor WBGT about 31, "heat" with urgency 3): the
 * rules open the alert while the upload is stored. Returns that alert.
 */
export async function openHeatAlert(request: APIRequestContext, household: SensorHousehold, seq = 1): Promise<OpenAlert> {
  const at = secondsAgo(5);
  await ingest(request, household, [
    { seq, at, kind: 'temperature', value: 34 },
    { seq: seq + 1, at, kind: 'humidity', value: 75 },
  ]);
  const heat = (await householdAlerts(request, household.household)).filter((a) => a.kind === 'heat');
  expect(heat, 'one open heat alert').toHaveLength(1);
  return heat[0];
}

/** A household with a phone for the resident, two family members and the city office to call. */
export const CALL_SHEET = {
  phones: ['0561-82-0001'],
  contacts: [
    { kind: 'family', name: '見守 一郎', relationship: '長男', phone: '090-1111-2222' },
    { kind: 'family', name: '見守 花子', relationship: '長女', phone: '080-3333-4444' },
    { kind: 'city', name: '瀬戸市 高齢者福祉課', relationship: '', phone: '0561-88-2631' },
  ] as Contact[],
};

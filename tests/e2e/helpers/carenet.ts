// Care-network fixtures: which demo professionals share a care team (found through the API as the
// e2e admin, who sees every patient of the municipality), and small files to attach.
import { expect, type APIRequestContext } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { demoApi, type DemoLogin } from './demo';

export interface CareUser {
  id: number;
  name: string;
  role: string;
  organization: { code: string; name: string } | null;
}

export interface PatientRow {
  person: { id: number; name: string; kana: string };
  status: string;
  care_level: string | null;
}

export interface TeamMember {
  user: CareUser;
  membership: 'lead' | 'member';
  status: 'active' | 'invited';
}

/** A patient with two demo professionals on its team, and one of the same town who is not. */
export interface CareTeamCast {
  patient: PatientRow;
  /** Writes the post (a nurse when the team has one). */
  author: DemoLogin;
  /** Reads it (another member). */
  reader: DemoLogin;
  /** Staff of the same municipality outside the team (the demo lists few accounts: may be a paramedic). */
  outsider: DemoLogin;
  team: TeamMember[];
}

const CLINICAL_ROLES = ['nurse', 'doctor', 'care_manager', 'pharmacist', 'therapist', 'care_staff', 'dentist'];
/** Staff who see a patient only through the team (not the register roles: admin, city, call centre). */
const OUTSIDER_ROLES = [...CLINICAL_ROLES, 'paramedic', 'school_staff'];

/** GET `path` as JSON, failing the test on anything but 200. */
export async function getJson<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  const body = await response.text();
  expect(response.status(), `GET ${path} → ${body.slice(0, 300)}`).toBe(200);
  return JSON.parse(body) as T;
}

function tenantCode(login: DemoLogin & { tenant?: unknown }): string {
  const tenant = login.tenant as string | { code: string } | undefined;
  return typeof tenant === 'string' ? tenant : (tenant?.code ?? '');
}

/**
 * Picks the cast from the demo town. `request` is signed in as someone who may list all patients
 * and read their teams (the e2e admin).
 */
export async function findCareTeamCast(request: APIRequestContext): Promise<CareTeamCast> {
  const logins = (await getJson<{ logins: (DemoLogin & { tenant?: unknown })[] }>(request, '/api/v1/demo/logins')).logins;
  const byName = new Map(logins.map((l) => [l.display_name, l]));
  const { patients } = await getJson<{ patients: PatientRow[] }>(request, '/api/v1/carenet/patients?limit=100');
  expect(patients.length, 'the demo town has registered patients').toBeGreaterThan(0);
  for (const patient of patients.filter((p) => p.status === 'active')) {
    const { members } = await getJson<{ members: TeamMember[] }>(request, `/api/v1/carenet/patients/${patient.person.id}/team`);
    const active = members.filter((m) => m.status === 'active' && byName.has(m.user.name) && CLINICAL_ROLES.includes(m.user.role));
    if (active.length < 2) continue;
    const sorted = [...active].sort((a, b) => Number(b.user.role === 'nurse') - Number(a.user.role === 'nurse'));
    const author = byName.get(sorted[0].user.name)!;
    const reader = byName.get(sorted[1].user.name)!;
    const onTeam = new Set(members.map((m) => m.user.name));
    const outsiders = logins.filter((l) => OUTSIDER_ROLES.includes(l.role) && !onTeam.has(l.display_name) && tenantCode(l) === tenantCode(author));
    const outsider = outsiders.find((l) => CLINICAL_ROLES.includes(l.role)) ?? outsiders[0];
    if (!outsider) continue;
    return { patient, author, reader, outsider, team: members };
  }
  return makeCareTeam(request, logins);
}

/** POST or PUT JSON with the session's CSRF token, failing the test on anything but 2xx. */
export async function send<T>(request: APIRequestContext, method: 'POST' | 'PUT', path: string, csrf: string, data: unknown): Promise<T> {
  const response = await request.fetch(path, { method, data, headers: { 'X-CSRF-Token': csrf } });
  const body = await response.text();
  expect(response.status(), `${method} ${path} → ${body.slice(0, 300)}`).toBeLessThan(300);
  return JSON.parse(body || 'null') as T;
}

async function csrfOf(request: APIRequestContext): Promise<string> {
  return (await getJson<{ csrf_token: string }>(request, '/api/v1/auth/session')).csrf_token;
}

/** An API context with the session of a demo account, and its CSRF token. */
async function demoApiWithCsrf(baseURL: string, username: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await demoApi(baseURL, username);
  return { api, csrf: await csrfOf(api) };
}

/**
 * When the demo has no team with two demo professionals, one is made: a resident registered by
 * the admin with a demo doctor as lead, a demo nurse invited and accepting, a summary and a post.
 */
async function makeCareTeam(admin: APIRequestContext, logins: (DemoLogin & { tenant?: unknown })[]): Promise<CareTeamCast> {
  const baseURL = new URL((await admin.get('/api/v1/auth/session')).url()).origin;
  const doctor = logins.find((l) => l.role === 'doctor');
  const nurse = logins.find((l) => l.role === 'nurse' && tenantCode(l) === tenantCode(doctor!));
  expect(doctor && nurse, 'a demo doctor and nurse of one town').toBeTruthy();
  const outsider = logins.find((l) => OUTSIDER_ROLES.includes(l.role) && l !== doctor && l !== nurse && tenantCode(l) === tenantCode(doctor!));
  expect(outsider, 'a demo professional outside the team').toBeTruthy();

  const find = async (name: string) =>
    (await getJson<{ professionals: CareUser[] }>(admin, `/api/v1/directory/professionals?q=${encodeURIComponent(name)}`)).professionals.find(
      (u) => u.name === name,
    )!;
  const doctorUser = await find(doctor!.display_name);
  const nurseUser = await find(nurse!.display_name);
  const registered = new Set(
    (await getJson<{ patients: PatientRow[] }>(admin, '/api/v1/carenet/patients?limit=200')).patients.map((p) => p.person.id),
  );
  const persons = (await getJson<{ persons: { id: number; name: string; kana: string }[] }>(admin, '/api/v1/persons?q=&limit=50')).persons;
  const person = persons.find((p) => !registered.has(p.id));
  expect(person, 'a resident not yet registered').toBeTruthy();

  const csrf = await csrfOf(admin);
  await send(admin, 'POST', '/api/v1/carenet/patients', csrf, {
    person: person!.id,
    consent: { given_by: '本人', relationship: 'self', given_on: '2025-04-01', scope: 'care_team' },
    lead: doctorUser.id,
  });
  const base = `/api/v1/carenet/patients/${person!.id}`;
  await send(admin, 'POST', `${base}/team`, csrf, { user: nurseUser.id });

  const asNurse = await demoApiWithCsrf(baseURL, nurse!.username);
  await send(asNurse.api, 'POST', `${base}/team/accept`, asNurse.csrf, {});
  await asNurse.api.dispose();

  const asDoctor = await demoApiWithCsrf(baseURL, doctor!.username);
  const entries: [string, Record<string, unknown>][] = [
    ['care_level', { level: '要介護2', certified_on: '2025-04-01' }],
    ['history', { condition: '高血圧症', since: '2010', status: 'active' }],
    ['allergies', { substance: 'ペニシリン', reaction: '発疹', severity: 'severe' }],
    ['acp', { confirmed_on: '2024-11-02', resuscitation: 'undecided', place_of_care: '自宅' }],
    ['acp', { confirmed_on: '2025-09-12', resuscitation: 'not_wanted', place_of_care: '自宅' }],
  ];
  for (const [section, data] of entries) await send(asDoctor.api, 'POST', `${base}/summary/${section}`, asDoctor.csrf, { data });
  await send(asDoctor.api, 'POST', `${base}/timeline`, asDoctor.csrf, { body: '退院後初回の訪問診療。血圧 142/80。', important: false, mentions: [], attachments: [] });
  await asDoctor.api.dispose();

  const patient = (await getJson<{ patients: PatientRow[] }>(admin, '/api/v1/carenet/patients?limit=200')).patients.find(
    (p) => p.person.id === person!.id,
  )!;
  const { members } = await getJson<{ members: TeamMember[] }>(admin, `${base}/team`);
  return { patient, author: nurse!, reader: doctor!, outsider: outsider!, team: members };
}

// --- A small PNG, made here so the test needs no file on disk ---------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A `width`×`height` RGB PNG: a soft gradient with a darker square, easy to recognise in a screenshot. */
export function makePng(width = 96, height = 72): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inSquare = x > width / 3 && x < (2 * width) / 3 && y > height / 3 && y < (2 * height) / 3;
      row[1 + x * 3] = inSquare ? 30 : 120 + Math.floor((x / width) * 100);
      row[2 + x * 3] = inSquare ? 95 : 170 + Math.floor((y / height) * 60);
      row[3 + x * 3] = inSquare ? 139 : 210;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with a line of text. */
export function makePdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 18 Tf 72 760 Td (moyakko e2e) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

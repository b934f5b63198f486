// Care-network fixtures: which demo professionals share a care team (found through the API as the
// e2e admin, who sees every patient of the municipality), and small files to attach.
import { expect, type APIRequestContext } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import type { DemoLogin } from './demo';

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
  /** Staff of the same municipality outside the team. */
  outsider: DemoLogin;
  team: TeamMember[];
}

const CLINICAL_ROLES = ['nurse', 'doctor', 'care_manager', 'pharmacist', 'therapist', 'care_staff', 'dentist'];

async function getJson<T>(request: APIRequestContext, path: string): Promise<T> {
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
    const outsider = logins.find(
      (l) => CLINICAL_ROLES.includes(l.role) && !onTeam.has(l.display_name) && tenantCode(l) === tenantCode(author),
    );
    if (!outsider) continue;
    return { patient, author, reader, outsider, team: members };
  }
  throw new Error('no demo patient with two demo professionals on the team and one outside it');
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

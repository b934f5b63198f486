// Validates everything the FHIR R4 API of a running moyakko serves with the validator of the
// `fhir` package (FHIR.js), unexpected elements being errors, and checks a few protocol rules.
//
//   node tests/fhir/validate.mjs BASE_URL TOKEN [TOKEN…]
//
// BASE_URL is the server (http://127.0.0.1:8080); each TOKEN is a bearer token of a system
// client with system/*.read (tests/fhir/validate.sh makes them). For every token it reads:
//   - GET /fhir/r4/metadata (once, without a token)
//   - every type's search with _count=50, following the `next` links through every page
//   - one read per type, of the first id its search found
//   - Patient/{id}/$everything for up to 5 patients (those the tokens before did not cover first)
//   - one bulk $export, polled until done (at most 60 s), and every NDJSON file of it
// Every resource, Bundle, CapabilityStatement and OperationOutcome is validated; a message of
// severity error or fatal is a failure. Exit status 1 when any resource failed validation, any
// request answered an unexpected status, a protocol rule was broken, or fewer than MIN_TYPES
// types had at least one resource.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Fhir } = require('fhir');

const TYPES = [
  'Patient', 'RelatedPerson', 'CareTeam', 'Condition', 'MedicationStatement', 'AllergyIntolerance', 'Observation',
  'Flag', 'Consent', 'Communication', 'AuditEvent', 'Practitioner', 'PractitionerRole', 'Organization', 'Location',
];
// The demo town has resources of every type for a client of a visiting nursing station. Its
// database holds no audit event about a patient when it is made: the AuditEvents are the records
// of this run's own reads, which is why AuditEvent comes after the other types about a patient.
const MIN_TYPES = 15;
const PAGE_SIZE = 50;
const EVERYTHING_PATIENTS = 5;
const EXPORT_TIMEOUT_MS = 60_000;
const FHIR_JSON = 'application/fhir+json';

const [base, ...tokens] = process.argv.slice(2);
if (!base || tokens.length === 0) {
  console.error('usage: node validate.mjs BASE_URL TOKEN [TOKEN…]');
  process.exit(2);
}
const fhirBase = `${base.replace(/\/+$/, '')}/fhir/r4`;
const fhir = new Fhir();

// ---- bookkeeping -------------------------------------------------------------------------------

const problems = [];                 // protocol and HTTP failures, as text
const errors = new Map();            // "Type/id location message" → {type, id, location, message, where, times}
const warnings = new Map();          // "Type location message" → count
const counts = new Map();            // type → {search, read, everything, export}
const found = new Map();             // type → Set of ids, over every token
let validations = 0;

function count(type, source, n = 1) {
  if (!counts.has(type)) counts.set(type, { search: 0, read: 0, everything: 0, export: 0 });
  counts.get(type)[source] += n;
}

function problem(text) {
  problems.push(text);
  console.log(`  FAIL ${text}`);
}

function expect(condition, text) {
  if (!condition) problem(text);
  return condition;
}

// Validates one resource (a Bundle with the resources in it) and files its messages.
function validate(resource, where) {
  validations++;
  const result = fhir.validate(structuredClone(resource), { errorOnUnexpected: true });
  for (const m of result.messages) {
    const location = m.location ?? '';
    const type = location.split(/[.[]/)[0] || resource?.resourceType || '?';
    if (m.severity === 'error' || m.severity === 'fatal') {
      const id = m.resourceId && m.resourceId !== '#initial' ? m.resourceId : resource?.id ?? '';
      const key = `${type}/${id} ${location} ${m.message}`;
      if (errors.has(key)) errors.get(key).times++;
      else errors.set(key, { type, id, location, message: m.message, severity: m.severity, where, times: 1 });
    } else if (m.severity === 'warning') {
      const key = `${type} ${location.replace(/\[\d+\]/g, '[]')}: ${m.message.replace(/"[^"]*"/, '"…"')}`;
      warnings.set(key, (warnings.get(key) ?? 0) + 1);
    }
  }
  if (!result.valid && !result.messages.some((m) => m.severity === 'error' || m.severity === 'fatal')) {
    problem(`${where}: the validator says invalid without an error message`);
  }
}

// ---- HTTP --------------------------------------------------------------------------------------

async function request(url, { token, method = 'GET', headers = {}, expectStatus = [200], what } = {}) {
  const h = { Accept: FHIR_JSON, ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url, { method, headers: h });
  } catch (e) {
    problem(`${method} ${url}: ${e.cause?.message ?? e.message}`);
    return null;
  }
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let body = text;
  if (/json/.test(contentType) && !/ndjson/.test(contentType) && text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      problem(`${method} ${url}: answer is not JSON (${e.message})`);
      return null;
    }
  }
  if (!expectStatus.includes(response.status)) {
    problem(`${what ?? `${method} ${url}`}: status ${response.status}, expected ${expectStatus.join(' or ')}: ` +
            `${text.slice(0, 300)}`);
    return null;
  }
  return { status: response.status, headers: response.headers, contentType, body };
}

function isFhirJson(res, what) {
  return expect(res.contentType.startsWith(FHIR_JSON), `${what}: Content-Type is "${res.contentType}", not ${FHIR_JSON}`);
}

// An error the API answers: the status, and an OperationOutcome that validates.
async function expectOutcome(url, status, token, what) {
  const res = await request(url, { token, expectStatus: [status], what });
  if (!res) return;
  isFhirJson(res, what);
  if (expect(res.body?.resourceType === 'OperationOutcome', `${what}: body is not an OperationOutcome`)) {
    expect(res.body.issue?.[0]?.severity === 'error', `${what}: first issue is not of severity error`);
    validate(res.body, what);
  }
  if (status === 401) expect(res.headers.get('www-authenticate'), `${what}: no WWW-Authenticate header`);
  console.log(`  ok   ${what} → ${status} OperationOutcome`);
}

// ---- bundles -----------------------------------------------------------------------------------

function link(bundle, relation) {
  return bundle.link?.find((l) => l.relation === relation)?.url;
}

// The rules every searchset here keeps: a total, a self link, and each entry's fullUrl.
function checkSearchset(bundle, what) {
  if (!expect(bundle?.resourceType === 'Bundle', `${what}: not a Bundle`)) return false;
  expect(bundle.type === 'searchset', `${what}: Bundle.type is "${bundle.type}", not searchset`);
  expect(Number.isInteger(bundle.total), `${what}: searchset Bundle without total`);
  expect(typeof link(bundle, 'self') === 'string', `${what}: searchset Bundle without a self link`);
  const wrong = (bundle.entry ?? []).filter((e) => e.fullUrl !== `${fhirBase}/${e.resource?.resourceType}/${e.resource?.id}`);
  expect(wrong.length === 0, `${what}: ${wrong.length} entries' fullUrl is not ${fhirBase}/Type/id, ` +
                             `the first being ${wrong[0]?.fullUrl}`);
  return true;
}

// Every page of a type's search: the resources, by id.
async function search(type, token, label) {
  const what = `${label} ${type} search`;
  const resources = [];
  let url = `${fhirBase}/${type}?_count=${PAGE_SIZE}`;
  let total = null;
  let pages = 0;
  const seen = new Set();
  while (url) {
    const res = await request(url, { token, what: `${what} page ${pages + 1}` });
    if (!res) break;
    pages++;
    isFhirJson(res, what);
    const bundle = res.body;
    if (!checkSearchset(bundle, `${what} page ${pages}`)) break;
    validate(bundle, `${what} page ${pages}`);
    const entries = bundle.entry ?? [];
    expect(entries.length <= PAGE_SIZE, `${what} page ${pages}: ${entries.length} entries, more than _count=${PAGE_SIZE}`);
    // Reading AuditEvents records more of them, so their total grows while the pages are read.
    if (type !== 'AuditEvent') {
      if (total === null) total = bundle.total;
      expect(bundle.total === total, `${what} page ${pages}: total ${bundle.total}, the first page said ${total}`);
    }
    for (const entry of entries) {
      const r = entry.resource;
      expect(r?.resourceType === type, `${what}: an entry is a ${r?.resourceType}`);
      if (type !== 'AuditEvent') expect(!seen.has(r?.id), `${what}: ${type}/${r?.id} is on two pages`);
      seen.add(r?.id);
      resources.push(r);
    }
    const next = link(bundle, 'next');
    if (next) {
      expect(entries.length === PAGE_SIZE, `${what} page ${pages}: a next link after a short page`);
      expect(next.startsWith(fhirBase), `${what}: next link ${next} is not under ${fhirBase}`);
    }
    url = next;
    if (pages > 10_000) {
      problem(`${what}: more than 10000 pages, the next links loop`);
      break;
    }
  }
  if (total !== null) {
    expect(resources.length === total, `${what}: ${resources.length} resources on ${pages} pages, total says ${total}`);
  }
  count(type, 'search', resources.length);
  if (!found.has(type)) found.set(type, new Set());
  for (const r of resources) found.get(type).add(r.id);
  console.log(`  ok   ${what}: ${resources.length} on ${pages} page(s)`);
  return resources;
}

async function read(type, id, token, label) {
  const what = `${label} ${type}/${id} read`;
  const res = await request(`${fhirBase}/${type}/${encodeURIComponent(id)}`, { token, what });
  if (!res) return;
  isFhirJson(res, what);
  expect(res.body?.resourceType === type && res.body?.id === id, `${what}: answered ${res.body?.resourceType}/${res.body?.id}`);
  validate(res.body, what);
  count(type, 'read');
}

async function everything(patientId, token, label) {
  const what = `${label} Patient/${patientId}/$everything`;
  const res = await request(`${fhirBase}/Patient/${patientId}/$everything`, { token, what });
  if (!res) return;
  isFhirJson(res, what);
  const bundle = res.body;
  if (!checkSearchset(bundle, what)) return;
  validate(bundle, what);
  const entries = bundle.entry ?? [];
  expect(bundle.total === entries.length, `${what}: total ${bundle.total}, ${entries.length} entries`);
  expect(entries.some((e) => e.resource?.resourceType === 'Patient' && e.resource.id === patientId),
         `${what}: the patient is not in it`);
  const types = new Map();
  for (const e of entries) {
    const type = e.resource?.resourceType;
    count(type, 'everything');
    types.set(type, (types.get(type) ?? 0) + 1);
  }
  console.log(`  ok   ${what}: ${entries.length} resources (${[...types].map(([t, n]) => `${t} ${n}`).join(', ')})`);
}

// ---- bulk export -------------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function bulkExport(token, label) {
  const what = `${label} $export`;
  const kickoff = await request(`${fhirBase}/$export`, { token, headers: { Prefer: 'respond-async' }, expectStatus: [202], what });
  if (!kickoff) return;
  const statusUrl = kickoff.headers.get('content-location');
  if (!expect(statusUrl, `${what}: 202 without Content-Location`)) return;
  if (kickoff.body?.resourceType) validate(kickoff.body, `${what} kick-off`);
  const deadline = Date.now() + EXPORT_TIMEOUT_MS;
  let manifest = null;
  while (Date.now() < deadline) {
    const res = await request(statusUrl, { token, headers: { Accept: 'application/json' }, expectStatus: [200, 202],
                                           what: `${what} status` });
    if (!res) return;
    if (res.status === 200) {
      manifest = res.body;
      break;
    }
    await sleep(500);
  }
  if (!expect(manifest, `${what}: not done within ${EXPORT_TIMEOUT_MS / 1000} s`)) return;
  expect(Array.isArray(manifest.output), `${what}: manifest without output`);
  expect(manifest.requiresAccessToken === true, `${what}: manifest does not say requiresAccessToken`);
  expect(typeof manifest.transactionTime === 'string', `${what}: manifest without transactionTime`);
  const summary = [];
  for (const file of manifest.output ?? []) {
    const fileWhat = `${what} file ${file.type}`;
    const res = await request(file.url, { token, headers: { Accept: 'application/fhir+ndjson' }, what: fileWhat });
    if (!res) continue;
    expect(res.contentType.startsWith('application/fhir+ndjson'), `${fileWhat}: Content-Type is "${res.contentType}"`);
    const lines = String(res.body).split('\n').filter((line) => line.length > 0);
    let n = 0;
    for (const [i, line] of lines.entries()) {
      let resource;
      try {
        resource = JSON.parse(line);
      } catch (e) {
        problem(`${fileWhat} line ${i + 1}: not JSON (${e.message})`);
        continue;
      }
      expect(resource.resourceType === file.type, `${fileWhat} line ${i + 1}: a ${resource.resourceType}`);
      validate(resource, `${fileWhat} line ${i + 1}`);
      count(resource.resourceType, 'export');
      n++;
    }
    if (file.count !== undefined) expect(file.count === n, `${fileWhat}: ${n} resources, the manifest says ${file.count}`);
    summary.push(`${file.type} ${n}`);
  }
  console.log(`  ok   ${what}: ${summary.join(', ') || 'no files'}`);
  const cancel = await request(statusUrl, { token, method: 'DELETE', expectStatus: [202], what: `${what} delete` });
  if (cancel?.body?.resourceType) validate(cancel.body, `${what} delete`);
}

// ---- the run -----------------------------------------------------------------------------------

console.log(`FHIR check of ${fhirBase} with ${tokens.length} client(s)`);

{
  const res = await request(`${fhirBase}/metadata`, { what: 'metadata' });
  if (res) {
    isFhirJson(res, 'metadata');
    const cs = res.body;
    if (expect(cs?.resourceType === 'CapabilityStatement', 'metadata: not a CapabilityStatement')) {
      validate(cs, 'metadata');
      count('CapabilityStatement', 'read');
      expect(cs.fhirVersion === '4.0.1', `metadata: fhirVersion ${cs.fhirVersion}`);
      const listed = new Set((cs.rest?.[0]?.resource ?? []).map((r) => r.type));
      for (const type of TYPES) expect(listed.has(type), `metadata: ${type} is not in rest.resource`);
      console.log(`  ok   metadata: CapabilityStatement with ${listed.size} types`);
    }
  }
}

await expectOutcome(`${fhirBase}/Patient`, 401, null, 'Patient search without a token');
await expectOutcome(`${fhirBase}/Patient`, 401, 'not-a-token', 'Patient search with an unknown token');
await expectOutcome(`${fhirBase}/NoSuchType`, 404, tokens[0], 'search of an unknown type');
await expectOutcome(`${fhirBase}/Patient?_count=abc`, 400, tokens[0], 'Patient search with _count=abc');
await expectOutcome(`${fhirBase}/Patient/999999999`, 404, tokens[0], 'read of a patient that does not exist');

const everythingDone = new Set();
for (const [i, token] of tokens.entries()) {
  const label = `client ${i + 1}:`;
  console.log(`client ${i + 1}`);
  const first = new Map();
  const patients = [];
  for (const type of TYPES) {
    const resources = await search(type, token, label);
    if (resources.length > 0) first.set(type, resources[0].id);
    if (type === 'Patient') patients.push(...resources.map((r) => r.id));
  }
  for (const [type, id] of first) await read(type, id, token, label);
  const fresh = patients.filter((id) => !everythingDone.has(id));
  const chosen = [...fresh, ...patients.filter((id) => everythingDone.has(id))].slice(0, EVERYTHING_PATIENTS);
  for (const id of chosen) {
    await everything(id, token, label);
    everythingDone.add(id);
  }
  await bulkExport(token, label);
}

// ---- the report --------------------------------------------------------------------------------

console.log('\nResources validated (errorOnUnexpected), by type and where they came from:');
const rows = [['type', 'distinct', 'search', 'read', '$everything', '$export']];
for (const type of ['CapabilityStatement', ...TYPES]) {
  const c = counts.get(type);
  rows.push([type, String(found.get(type)?.size ?? (c ? '-' : 0)), ...['search', 'read', 'everything', 'export'].map((k) => String(c?.[k] ?? 0))]);
}
const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
for (const r of rows) console.log(`  ${r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ')}`);
console.log(`  ${validations} validations in all (Bundles with their entries, OperationOutcomes and the CapabilityStatement included)`);

const warned = [...warnings].sort((a, b) => b[1] - a[1]);
if (warned.length > 0) {
  console.log(`\n${warned.reduce((n, [, c]) => n + c, 0)} warnings (not failures), by kind:`);
  for (const [key, n] of warned) console.log(`  ${String(n).padStart(6)}  ${key}`);
}

const typesWithData = TYPES.filter((t) => (found.get(t)?.size ?? 0) > 0);
const missing = TYPES.filter((t) => !typesWithData.includes(t));
if (typesWithData.length < MIN_TYPES) {
  problem(`only ${typesWithData.length} types had a resource, at least ${MIN_TYPES} should (none of ${missing.join(', ')})`);
}

if (errors.size > 0) {
  console.log(`\n${errors.size} validation error(s):`);
  for (const e of errors.values()) {
    console.log(`  ${e.severity.toUpperCase()} ${e.type}/${e.id} ${e.location}: ${e.message}` +
                `  [first in ${e.where}${e.times > 1 ? `; seen ${e.times} times` : ''}]`);
  }
}
if (problems.length > 0) {
  console.log(`\n${problems.length} protocol or HTTP failure(s):`);
  for (const p of problems) console.log(`  ${p}`);
}
const ok = errors.size === 0 && problems.length === 0;
console.log(`\nFHIR check: ${typesWithData.length}/${TYPES.length} types with resources; ` +
            `${ok ? 'everything valid' : 'FAILED'}`);
process.exit(ok ? 0 : 1);

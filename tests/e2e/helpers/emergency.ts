// Emergency fixtures: signed-in browsers of demo accounts that live across the tests of a file
// (a doctor issues a kit, a paramedic on a phone scans it, the doctor re-issues it), and the
// demo patient whose kit is printed.
import { expect, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { watchPage } from './app';
import { demoSession, type SessionState } from './demo';

export const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } as const;

/** The device options an actor may be given (a phone of another size, too). */
export type DeviceOptions = Pick<BrowserContextOptions, 'viewport' | 'isMobile' | 'hasTouch'>;

export interface Actor {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and CSP violations of the page. */
  errors: string[];
}

/** A browser with `storageState` (no session by default) whose page has not opened anything yet. */
export async function newActor(
  browser: Browser,
  baseURL: string | undefined,
  options: DeviceOptions = {},
  storageState: SessionState = { cookies: [], origins: [] },
): Promise<Actor> {
  const context = await browser.newContext({ baseURL, storageState, ...options });
  const page = await context.newPage();
  return { context, page, errors: watchPage(page) };
}

/** A browser with the session of the demo account `username` (see demoSession), at home. */
export async function signedInActor(browser: Browser, baseURL: string | undefined, username: string, options: DeviceOptions = {}): Promise<Actor> {
  const actor = await newActor(browser, baseURL, options, (await demoSession(baseURL, username)).state);
  await actor.page.goto('/');
  await expect(actor.page.getByTestId('nav')).toBeAttached();
  return actor;
}

/**
 * Runs `body` with a browser with the session of the demo account `username`, then checks that its page
 * threw no error and broke no policy, and closes it whatever happened.
 */
export async function withActor(
  browser: Browser,
  baseURL: string | undefined,
  username: string,
  options: DeviceOptions,
  body: (page: Page) => Promise<void>,
): Promise<void> {
  const actor = await signedInActor(browser, baseURL, username, options);
  try {
    await body(actor.page);
    expect(actor.errors).toEqual([]);
  } finally {
    await actor.context.close();
  }
}

async function getJson<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  const body = await response.text();
  expect(response.status(), `GET ${path} → ${body.slice(0, 300)}`).toBe(200);
  return JSON.parse(body) as T;
}

/** The CSRF token of the session of `request` (for writes made through the API). */
export async function csrfOf(request: APIRequestContext): Promise<string> {
  return (await getJson<{ csrf_token: string }>(request, '/api/v1/auth/session')).csrf_token;
}

export type Resuscitation = 'wanted' | 'not_wanted' | 'undecided';

export interface KitPatient {
  id: number;
  name: string;
  kana: string;
  /** The current advance care plan's wish about resuscitation. */
  resuscitation: Resuscitation;
}

interface SummaryEntry {
  data: Record<string, unknown>;
  current?: boolean;
}

/**
 * A patient the signed-in doctor leads, with a current advance care plan; one who does not want
 * resuscitation when there is one (the demo's 伊藤 とし), since that is what the sheet must show first.
 */
export async function leadPatientWithAcp(request: APIRequestContext): Promise<KitPatient> {
  const { patients } = await getJson<{
    patients: { person: { id: number; name: string; kana: string }; status: string; my_membership: string | null }[];
  }>(request, '/api/v1/carenet/patients?limit=100');
  const found: KitPatient[] = [];
  for (const p of patients.filter((p) => p.status === 'active' && p.my_membership === 'lead')) {
    const summary = await getJson<{ acp?: SummaryEntry[] }>(request, `/api/v1/carenet/patients/${p.person.id}/summary`);
    const current = (summary.acp ?? []).find((e) => e.current);
    const value = current?.data.resuscitation;
    if (value === 'wanted' || value === 'not_wanted' || value === 'undecided') {
      found.push({ id: p.person.id, name: p.person.name, kana: p.person.kana, resuscitation: value });
    }
  }
  expect(found.length, 'the demo doctor leads a patient with an advance care plan').toBeGreaterThan(0);
  return found.find((p) => p.resuscitation === 'not_wanted') ?? found[0];
}

export const RESUSCITATION_TEXT: Record<Resuscitation, string> = {
  wanted: '心肺蘇生を希望する',
  not_wanted: '心肺蘇生を希望しない',
  undecided: '心肺蘇生：未定',
};

/** Nothing on the page is wider than the screen. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Width and height in points of every page of a PDF made by Chromium (A4 is about 595 × 842). */
export function pdfPageSizes(pdf: Buffer): [number, number][] {
  const text = pdf.toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map(
    (m): [number, number] => [Math.round(Number(m[3]) - Number(m[1])), Math.round(Number(m[4]) - Number(m[2]))],
  );
  return Array.from({ length: pages }, (_, i) => boxes[Math.min(i, boxes.length - 1)]);
}

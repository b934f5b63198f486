// Disaster fixtures: the demo town's open drill, and the server's own answers (people, cards,
// dashboard, settings) to compare the pages with, read through a signed-in page's request.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
// The web UI's own types of the contract: the tests read the same shapes (types only, nothing runs).
import type { Dashboard, DisasterEvent, EventDetail, PeopleAnswer, SafetyLabel } from '../../../web/src/api/disaster';
import { getJson } from './carenet';
import type { DemoLogin } from './demo';

export type { DisasterEvent };

/** The demo town's open drill, declared about 6 h before the demo was made. */
export const DEMO_DRILL = '総合防災訓練';

export const CSV_HEADER = '住民番号,氏名,フリガナ,地区,住所,電話番号,支援が必要な理由,状態,居場所,避難先,最終確認,確認者,メモ';

export async function listEvents(request: APIRequestContext): Promise<DisasterEvent[]> {
  return (await getJson<{ events: DisasterEvent[] }>(request, '/api/v1/disaster/events')).events;
}

/** The demo's open drill (総合防災訓練（地震）). */
export async function demoDrill(request: APIRequestContext): Promise<DisasterEvent> {
  const found = (await listEvents(request)).find((e) => e.title.startsWith(DEMO_DRILL) && e.drill && e.ended_at === null);
  expect(found, `the demo town's open drill 「${DEMO_DRILL}…」`).toBeTruthy();
  return found!;
}

export function getEvent(request: APIRequestContext, id: number): Promise<EventDetail> {
  return getJson<EventDetail>(request, `/api/v1/disaster/events/${id}`);
}

/** The people the signed-in user may see, with the query the map page would send. */
export function people(request: APIRequestContext, eventId: number, query = ''): Promise<PeopleAnswer> {
  return getJson<PeopleAnswer>(request, `/api/v1/disaster/events/${eventId}/people${query ? `?${query}` : ''}`);
}

export function dashboard(request: APIRequestContext, eventId: number): Promise<Dashboard> {
  return getJson<Dashboard>(request, `/api/v1/disaster/events/${eventId}/dashboard`);
}

/** The label of that Japanese name in the settings (無事, 要支援, 未確認). */
export function labelNamed(labels: SafetyLabel[], name: string): SafetyLabel {
  const label = labels.find((l) => l.name === name);
  expect(label, `a safety label named ${name}`).toBeTruthy();
  return label!;
}

/** Waits until the map page has its answer (not loading) and returns the count it shows. */
/**
 * The map page settles on showing `expected` people. It retries because a filter change passes
 * through states of its own (a click not yet applied still shows the last answer, not loading).
 */
export async function expectShown(page: Page, expected: number): Promise<void> {
  const count = page.getByTestId('people-count');
  await expect(count).toHaveAttribute('data-loading', 'false');
  await expect(count).toHaveAttribute('data-count', String(expected));
}

/** Ticks exactly the given labels in the map page's label filter. */
export async function showOnlyLabels(page: Page, keys: string[]): Promise<void> {
  const chips = await page.getByTestId('filter-label').all();
  // Ticks first, then unticks, so the page never passes through "no label at all".
  for (const want of [true, false]) {
    for (const chip of chips) {
      const box = chip.locator('input');
      if (keys.includes((await chip.getAttribute('data-label')) ?? '') !== want) continue;
      if ((await box.isChecked()) !== want) await box.setChecked(want);
    }
  }
}

/** The first of the demo's listed logins with that role (the demo lists one nurse, ns.suzuki). */
export async function demoLoginOfRole(request: APIRequestContext, role: string): Promise<DemoLogin> {
  const { logins } = await getJson<{ logins: DemoLogin[] }>(request, '/api/v1/demo/logins');
  const found = logins.find((l) => l.role === role);
  expect(found, `a demo login with the role ${role}`).toBeTruthy();
  return found!;
}

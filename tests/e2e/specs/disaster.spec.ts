import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, expect, expectAccessible, familyTest, test } from '../helpers/app';
import { getJson } from '../helpers/carenet';
import * as dz from '../helpers/disaster';
import { csrfOf, horizontalOverflow, withActor } from '../helpers/emergency';
import { PARAMEDIC, PHONE_740 } from '../helpers/lifelog';

// 災害・訓練: the demo city officer (co.hayashi) declares a drill, ticks a checklist item, logs a note
// and adds a safety label and takes it out again; on a 375 × 740 phone she filters the map of the demo's open drill, opens a card, posts 無事
// at a shelter and sees the list, the map marker and the dashboard follow, and downloads the CSV.
// The demo's nurse (the one the demo lists a login for) sees only her care team's people and posts for one; a call operator
// sees only those who consented (a drill); a family member and a paramedic are refused. The tests
// share the demo drill's statuses, so they run in order.
const OFFICER = 'co.hayashi';
const OPERATOR = 'op.takeuchi';
const DESKTOP = { viewport: { width: 1280, height: 800 } };

/** The officer's view of the demo drill, kept for the tests after the one that reads it. */
let drill: dz.DisasterEvent | null = null;
/** The people the city officer sees on the demo drill. */
let officerIds: number[] = [];

/** A full-page screenshot from the top (scrolled, the sticky header would land mid-page). */
async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage });
}

/** The log entries the page shows, newest first. */
async function logTexts(page: Page): Promise<string[]> {
  return page.getByTestId('log-entry-text').allInnerTexts();
}

/** Opens a person's card from the list and waits for it. */
async function openCard(page: Page, personId: number): Promise<void> {
  await page.locator(`[data-testid="person-row"][data-person-id="${personId}"]`).click();
  const card = page.getByTestId('person-card');
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('data-person-id', String(personId));
}

test.describe.serial('disaster events, the map and safety confirmation', () => {
  test('a city officer declares a drill, ticks a checklist item and adds a note to the log', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OFFICER, DESKTOP, async (page) => {
      // 災害 → 災害・訓練, from the part's page.
      await page.goto('/disaster');
      await page.getByTestId('disaster-page-disaster-events').click();
      await expect(page).toHaveURL(/\/disaster\/events$/);
      await expect(page.getByTestId('page-title')).toHaveText('災害・訓練');

      // The list is the server's, open events first; the demo's drill is marked 訓練.
      const events = await dz.listEvents(page.request);
      const items = page.getByTestId('event-item');
      await expect(items).toHaveCount(events.length);
      expect(await items.evaluateAll((all) => all.map((i) => Number(i.getAttribute('data-event-id'))))).toEqual(events.map((e) => e.id));
      const opens = await items.evaluateAll((all) => all.map((i) => i.getAttribute('data-open') === 'true'));
      expect(opens, 'open events first').toEqual([...opens].sort((a, b) => Number(b) - Number(a)));
      drill = await dz.demoDrill(page.request);
      const demoItem = page.locator(`[data-testid="event-item"][data-event-id="${drill.id}"]`);
      await expect(demoItem.getByTestId('drill-badge')).toHaveText('訓練');
      await expect(demoItem.getByTestId('real-badge')).toHaveCount(0);

      // Declare: a drill unless unticked, onset now.
      await page.getByTestId('declare-open').click();
      const form = page.getByTestId('declare-form');
      await expect(form.getByTestId('declare-drill')).toBeChecked();
      await expect(form.getByTestId('declare-submit')).toHaveText('訓練を宣言する');
      const title = `e2e 水害訓練 ${Date.now()}`;
      await form.getByTestId('declare-kind').selectOption('flood');
      await form.getByTestId('declare-title').fill(title);
      await expectAccessible(page);
      await form.getByTestId('declare-submit').click();
      await expect(page).toHaveURL(/\/disaster\/events\/\d+$/);
      const id = Number(/\/disaster\/events\/(\d+)$/.exec(page.url())![1]);

      // The event page: the server's event, marked as a drill, in its current phase.
      const event = await dz.getEvent(page.request, id);
      expect(event).toMatchObject({ title, kind: 'flood', drill: true, ended_at: null });
      await expect(page.getByTestId('page-title')).toHaveText(title);
      await expect(page.getByTestId('drill-badge')).toBeVisible();
      await expect(page.getByTestId('drill-banner')).toContainText('訓練');
      await expect(page.getByTestId('event-kind')).toHaveText('洪水・浸水');
      await expect(page.getByTestId('event-phase')).toHaveAttribute('data-phase', event.phase);
      await expect(page.getByTestId('phase-timeline')).toHaveAttribute('data-current', event.phase);
      await expect(page.getByTestId('timeline-now')).toBeVisible();
      await expect(page.getByTestId('timeline-phase')).toHaveCount(6);
      await expect(page.getByTestId('log-entry').first()).toHaveAttribute('data-kind', 'declared');

      // Tick the first item of the current phase; the server keeps it.
      const phase = event.phases.find((p) => p.key === event.phase)!;
      expect(phase.checklist.length, `the ${event.phase} phase has a checklist`).toBeGreaterThan(0);
      const section = page.locator(`[data-testid="checklist-phase"][data-phase="${event.phase}"]`);
      await expect(section).toHaveAttribute('open', '');
      const item = section.locator(`[data-testid="checklist-item"][data-item-id="${phase.checklist[0].id}"]`);
      await expect(item).toHaveAttribute('data-done', 'false');
      await item.getByTestId('checklist-tick').check();
      await expect(item).toHaveAttribute('data-done', 'true');
      await expect(section.getByTestId('checklist-count')).toContainText(`1/${phase.checklist.length}`);
      const ticked = (await dz.getEvent(page.request, id)).phases.find((p) => p.key === event.phase)!;
      expect(ticked.checklist[0].done_at, 'the tick is stored').not.toBeNull();

      // An item of one's own for the phase.
      const extra = `福祉避難所に連絡（e2e ${Date.now()}）`;
      await section.getByTestId('checklist-add-text').fill(extra);
      await section.getByTestId('checklist-add').click();
      await expect(section.getByTestId('checklist-item')).toHaveCount(phase.checklist.length + 1);
      await expect(section.getByTestId('checklist-item').last()).toContainText(extra);

      // A note: first in the log, as the server has it.
      const note = `陶本町の避難所を開設（e2e ${Date.now()}）`;
      await page.getByTestId('log-note').fill(note);
      await page.getByTestId('log-submit').click();
      await expect(page.getByTestId('log-entry').first()).toHaveAttribute('data-kind', 'note');
      await expect(page.getByTestId('log-entry-text').first()).toHaveText(note);
      const log = (await dz.getEvent(page.request, id)).log;
      expect(log[0]).toMatchObject({ kind: 'note', text: note });
      expect(await logTexts(page)).toEqual(log.map((e) => e.text));

      await expect(page.getByTestId('event-map-link')).toBeVisible();
      await expect(page.getByTestId('event-dashboard-link')).toBeVisible();
      await expectAccessible(page);
      await shot(page, 'disaster-event-desktop.png');

      // The labels: a fourth one added and saved, then taken out again.
      await page.goto('/disaster/events');
      await page.getByTestId('label-settings-open').click();
      const settings = page.getByTestId('label-settings-form');
      const keys = (await getJson<{ labels: { key: string }[] }>(page.request, '/api/v1/disaster/settings')).labels.map((l) => l.key);
      await expect(settings.getByTestId('label-row')).toHaveCount(keys.length);
      await settings.getByTestId('label-add').click();
      const added = settings.getByTestId('label-row').last();
      await added.getByTestId('label-key').fill('recheck');
      await added.getByTestId('label-name').fill('要再確認');
      await added.getByTestId('label-name-en').fill('Check again');
      await settings.getByTestId('label-settings-save').click();
      await expect(settings.getByTestId('label-settings-saved')).toBeVisible();
      const more = await getJson<{ labels: { key: string; name: string }[] }>(page.request, '/api/v1/disaster/settings');
      expect(more.labels.map((l) => l.key)).toEqual([...keys, 'recheck']);
      expect(more.labels.at(-1)?.name).toBe('要再確認');
      await settings.locator('[data-testid="label-row"][data-key="recheck"]').getByTestId('label-remove').click();
      await settings.getByTestId('label-settings-save').click();
      await expect(settings.getByTestId('label-settings-saved')).toBeVisible();
      expect((await getJson<{ labels: { key: string }[] }>(page.request, '/api/v1/disaster/settings')).labels.map((l) => l.key)).toEqual(keys);

      // The drill is ended again (confirmed first), so that it does not stay open in the demo.
      await page.goto(`/disaster/events/${id}`);
      await page.getByTestId('event-end').click();
      await page.getByTestId('event-end-confirm').click();
      await expect(page.getByTestId('event-phase')).toHaveAttribute('data-phase', 'ended');
      await expect(page.getByTestId('log-form')).toHaveCount(0);
      expect((await dz.getEvent(page.request, id)).ended_at).not.toBeNull();
    });
  });

  test('on a phone the officer filters the map, posts 無事 at a shelter, and the list, marker, dashboard and CSV follow', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OFFICER, PHONE_740, async (page) => {
      drill ??= await dz.demoDrill(page.request);
      const id = drill.id;
      await page.goto(`/disaster/events/${id}`);
      await expect(page.getByTestId('disaster-event-page')).toBeVisible();
      await shot(page, 'disaster-event-phone.png');
      await page.getByTestId('event-map-link').click();
      await expect(page).toHaveURL(new RegExp(`/disaster/events/${id}/map$`));
      await expect(page.getByTestId('page-title')).toHaveText('要援護者一覧');

      // Everyone the city sees, as the server counts them; the map has a real height.
      const all = await dz.people(page.request, id);
      officerIds = all.people.map((p) => p.id);
      expect(all.count, 'the demo ledger has people').toBeGreaterThan(0);
      expect(all.people.length).toBe(all.count);
      await dz.expectShown(page, all.count);
      await expect(page.getByTestId('person-row')).toHaveCount(Math.min(100, all.count));
      const map = page.getByTestId('people-map');
      await expect(map).toHaveAttribute('data-ready', 'true');
      const mapBox = await map.boundingBox();
      expect(mapBox && mapBox.height >= 280 && mapBox.width >= 300, `the map has a size on a phone: ${JSON.stringify(mapBox)}`).toBeTruthy();
      expect(mapBox!.y, 'the map starts on the first screen').toBeLessThan(740);
      // Everyone is in the list (a hundred at a time): who has no position or went silent says so.
      if (all.count <= 100) {
        await expect(page.getByTestId('person-no-position')).toHaveCount(all.people.filter((p) => p.lat === null || p.lon === null).length);
        await expect(page.getByTestId('person-silent')).toHaveCount(all.people.filter((p) => p.silent).length);
      }
      await expect(page.getByTestId('outage')).toHaveCount(all.outages.length);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      const chip = await page.getByTestId('filter-label').first().boundingBox();
      expect(chip && chip.height >= 48, 'label filters are large touch targets').toBeTruthy();
      await shot(page, 'disaster-map-phone.png', false);

      // Only the default label (未確認): the server's count for that filter.
      const safe = dz.labelNamed(all.labels, '無事');
      const waiting = all.default_label;
      await dz.showOnlyLabels(page, [waiting]);
      const onlyWaiting = await dz.people(page.request, id, `label=${waiting}`);
      await dz.expectShown(page, onlyWaiting.count);
      expect(onlyWaiting.people.every((p) => p.label === waiting)).toBe(true);
      await expect(page.locator(`[data-testid="person-row"]:not([data-label="${waiting}"])`)).toHaveCount(0);
      // Every other label: the rest.
      await dz.showOnlyLabels(page, all.labels.map((l) => l.key).filter((k) => k !== waiting));
      const others = await dz.people(page.request, id, `label=${all.labels.map((l) => l.key).filter((k) => k !== waiting).join(',')}`);
      await dz.expectShown(page, others.count);
      expect(others.count + onlyWaiting.count).toBe(all.count);

      // Someone not yet confirmed, with a position when there is one.
      await dz.showOnlyLabels(page, [waiting]);
      await dz.expectShown(page, onlyWaiting.count);
      expect(onlyWaiting.count, 'someone of the demo drill is still unconfirmed').toBeGreaterThan(0);
      const shownIds = (await page.getByTestId('person-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-person-id'))))) as number[];
      const person = onlyWaiting.people.find((p) => shownIds.includes(p.id) && p.lat !== null) ?? onlyWaiting.people.find((p) => shownIds.includes(p.id))!;
      await openCard(page, person.id);
      const card = page.getByTestId('person-card');
      await expect(card.getByTestId('card-label')).toHaveAttribute('data-label', waiting);
      const cardJson = await getJson<{ phones: string[]; designated_shelter: string; posts: unknown[] }>(
        page.request,
        `/api/v1/disaster/events/${id}/people/${person.id}`,
      );
      const phones = card.getByTestId('card-phone');
      await expect(phones).toHaveCount(cardJson.phones.length);
      for (const link of await phones.all()) expect(await link.getAttribute('href')).toMatch(/^tel:[\d+]+$/);
      await expect(page.getByTestId('person-dialog')).toHaveAttribute('open', '');

      // 無事 at a shelter: a big coloured button with its name, the shelter's name, a note.
      const safeButton = card.locator(`[data-testid="safety-label"][data-label="${safe.key}"]`);
      await expect(safeButton).toContainText('無事');
      const buttonBox = await safeButton.boundingBox();
      expect(buttonBox && buttonBox.height >= 48, 'label buttons are large touch targets').toBeTruthy();
      await safeButton.click();
      await card.locator('[data-testid="safety-location"][data-location="shelter"]').click();
      const shelter = cardJson.designated_shelter || '陶原小学校';
      await card.getByTestId('safety-shelter').fill(shelter);
      await card.getByTestId('safety-note').fill('自宅から避難済み（e2e）');
      const submit = card.getByTestId('safety-submit');
      await expect(submit).toHaveText('「無事」で記録する');
      const submitBox = await submit.boundingBox();
      expect(submitBox && submitBox.y + submitBox.height <= 740 && submitBox.height >= 48, 'the post button is within the thumb’s reach').toBeTruthy();
      await shot(page, 'disaster-card-phone.png', false);
      const clientId = (await card.getByTestId('safety-form').getAttribute('data-client-id'))!;
      const before = await dz.dashboard(page.request, id);
      await submit.click();
      await expect(card.getByTestId('safety-posted')).toHaveAttribute('data-replayed', 'false');
      await expect(card.getByTestId('card-label')).toHaveAttribute('data-label', safe.key);
      await expect(card.getByTestId('card-post').first()).toHaveAttribute('data-label', safe.key);
      await expect(card.getByTestId('card-status')).toContainText(shelter);
      await shot(page, 'disaster-card-posted-phone.png', false);

      // The same post sent again (its client_id) is recognised and not written twice.
      const replay = await page.request.post(`/api/v1/disaster/events/${id}/people/${person.id}/safety`, {
        data: { label: safe.key, location: 'shelter', shelter, note: '自宅から避難済み（e2e）', client_id: clientId },
        headers: { 'X-CSRF-Token': await csrfOf(page.request) },
      });
      expect(replay.status()).toBe(200);
      expect(((await replay.json()) as { replayed: boolean }).replayed).toBe(true);
      const afterCard = await getJson<{ posts: unknown[]; status: { label: string; location: string; shelter: string } }>(
        page.request,
        `/api/v1/disaster/events/${id}/people/${person.id}`,
      );
      expect(afterCard.posts.length).toBe(cardJson.posts.length + 1);
      expect(afterCard.status).toMatchObject({ label: safe.key, location: 'shelter', shelter });

      // The list row and the marker show the new label.
      await page.getByTestId('person-dialog-close').click();
      await expect(page.getByTestId('person-dialog')).not.toHaveAttribute('open', '');
      const row = page.locator(`[data-testid="person-row"][data-person-id="${person.id}"]`);
      await expect(row).toHaveAttribute('data-label', safe.key);
      await expect(row.getByTestId('person-label')).toHaveText('無事');
      if (person.lat !== null) {
        await expect(page.locator(`[data-testid="map-marker"][data-person="${person.id}"]`)).toHaveAttribute('data-label', safe.key);
      }
      expect((await dz.people(page.request, id, `label=${safe.key}`)).people.some((p) => p.id === person.id)).toBe(true);
      await expectAccessible(page);

      // The dashboard: one more 無事, one fewer unconfirmed, as the server counts.
      const after = await dz.dashboard(page.request, id);
      expect(after.counts[safe.key]).toBe((before.counts[safe.key] ?? 0) + 1);
      expect(after.counts[waiting]).toBe((before.counts[waiting] ?? 0) - 1);
      expect(after.total).toBe(before.total);
      await page.goto(`/disaster/events/${id}/dashboard`);
      await expect(page.getByTestId('page-title')).toHaveText('集計');
      await expect(page.getByTestId('total-all')).toHaveAttribute('data-value', String(after.total));
      for (const label of all.labels) {
        await expect(page.locator(`[data-testid="total-label"][data-label="${label.key}"]`)).toHaveAttribute('data-value', String(after.counts[label.key] ?? 0));
      }
      await expect(page.locator('[data-testid="total-label"][data-label="' + safe.key + '"]')).toContainText('無事');
      await expect(page.getByTestId('district-row')).toHaveCount(after.districts.length);
      const district = after.districts.find((d) => d.district === person.district);
      if (district) {
        await expect(page.locator(`[data-testid="district-row"][data-district="${person.district}"]`)).toHaveAttribute('data-total', String(district.total));
      }
      await expect(page.getByTestId('progress-chart').or(page.getByText('まだ推移はありません。'))).toBeVisible();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      await shot(page, 'disaster-dashboard-phone.png');

      // The CSV: UTF-8 with a BOM, the header row, the person as posted.
      const link = page.getByTestId('csv-link');
      await expect(link).toHaveText('CSVで書き出す');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const bytes = readFileSync((await download.path())!);
      expect([...bytes.subarray(0, 3)], 'a UTF-8 BOM').toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe(dz.CSV_HEADER);
      const personLine = lines.find((line) => line.includes(person.name) && line.includes(shelter));
      expect(personLine, `a CSV line for ${person.name} at ${shelter}`).toBeTruthy();
      expect(personLine).toContain('無事');
    });
  });

  test('a nurse sees only her care team’s people on the map and posts for one of them', async ({ browser, baseURL, request }) => {
    const nurse = await dz.demoLoginOfRole(request, 'nurse');
    await withActor(browser, baseURL, nurse.username, PHONE_740, async (page) => {
      drill ??= await dz.demoDrill(page.request);
      const id = drill.id;
      const mine = await dz.people(page.request, id);
      expect(mine.count, 'the nurse has people of her team in the ledger').toBeGreaterThan(0);
      if (officerIds.length > 0) expect(mine.count, 'fewer than the city sees').toBeLessThan(officerIds.length);
      // A drill: only those who consented.
      expect(mine.people.every((p) => p.consent)).toBe(true);

      await page.goto(`/disaster/events/${id}/map`);
      await dz.expectShown(page, mine.count);
      await expect(page.getByTestId('person-row')).toHaveCount(Math.min(100, mine.count));
      await expect(page.getByTestId('event-dashboard-link')).toHaveCount(0);

      const person = mine.people[0];
      await openCard(page, person.id);
      const card = page.getByTestId('person-card');
      const help = dz.labelNamed(mine.labels, '要支援');
      await card.locator(`[data-testid="safety-label"][data-label="${help.key}"]`).click();
      await card.locator('[data-testid="safety-location"][data-location="home"]').click();
      await card.getByTestId('safety-note').fill('酸素の残量が少ない（e2e）');
      await card.getByTestId('safety-submit').click();
      await expect(card.getByTestId('safety-posted')).toHaveAttribute('data-replayed', 'false');
      await expect(card.getByTestId('card-label')).toHaveAttribute('data-label', help.key);
      const post = card.getByTestId('card-post').first();
      await expect(post).toHaveAttribute('data-label', help.key);
      await expect(post).toContainText(nurse.display_name);
      await page.getByTestId('person-dialog-close').click();
      await expect(page.locator(`[data-testid="person-row"][data-person-id="${person.id}"]`)).toHaveAttribute('data-label', help.key);
      expect((await dz.people(page.request, id)).people.find((p) => p.id === person.id)?.label).toBe(help.key);

      // Someone outside her team: the server refuses the card, and the dashboard is the city's.
      const own = new Set(mine.people.map((p) => p.id));
      const outsider = officerIds.find((other) => !own.has(other));
      if (outsider !== undefined) expect((await page.request.get(`/api/v1/disaster/events/${id}/people/${outsider}`)).status()).toBe(403);
      expect((await page.request.get(`/api/v1/disaster/events/${id}/dashboard`)).status()).toBe(403);
      await page.goto(`/disaster/events/${id}/dashboard`);
      await expect(page.getByTestId('denied')).toBeVisible();
    });
  });

  test('a call operator sees only people who consented during a drill', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OPERATOR, DESKTOP, async (page) => {
      drill ??= await dz.demoDrill(page.request);
      const seen = await dz.people(page.request, drill.id);
      expect(seen.people.every((p) => p.consent), 'a drill shows call operators only those who consented').toBe(true);
      if (officerIds.length > 0) expect(seen.count).toBeLessThanOrEqual(officerIds.length);
      await page.goto(`/disaster/events/${drill.id}/map`);
      await dz.expectShown(page, seen.count);
      // Declaring and the settings are the city's.
      await page.goto('/disaster/events');
      await expect(page.getByTestId('event-list')).toBeVisible();
      await expect(page.getByTestId('declare-open')).toHaveCount(0);
      await expect(page.getByTestId('label-settings')).toHaveCount(0);
      const csrf = await csrfOf(page.request);
      const refused = await page.request.post('/api/v1/disaster/events', {
        data: { kind: 'earthquake', title: 'e2e 宣言できない', area: [], drill: true },
        headers: { 'X-CSRF-Token': csrf },
      });
      expect(refused.status()).toBe(403);
    });
  });

  test('desktop screenshots of the map, a card and the dashboard', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OFFICER, DESKTOP, async (page) => {
      drill ??= await dz.demoDrill(page.request);
      await page.goto(`/disaster/events/${drill.id}/map`);
      await dz.expectShown(page, (await dz.people(page.request, drill.id)).count);
      await expect(page.getByTestId('people-map')).toHaveAttribute('data-ready', 'true');
      // Map and list side by side.
      const mapBox = (await page.getByTestId('people-map').boundingBox())!;
      const listBox = (await page.getByTestId('people-list').boundingBox())!;
      expect(listBox.x, 'the list beside the map').toBeGreaterThanOrEqual(mapBox.x + mapBox.width);
      expect(mapBox.height).toBeGreaterThanOrEqual(400);
      await shot(page, 'disaster-map-desktop.png', false);
      await page.getByTestId('person-row').first().click();
      await expect(page.getByTestId('person-card')).toBeVisible();
      await expectAccessible(page);
      await shot(page, 'disaster-card-desktop.png', false);
      await page.getByTestId('person-dialog-close').click();
      await page.goto(`/disaster/events/${drill.id}/dashboard`);
      await expect(page.getByTestId('dashboard-totals')).toBeVisible();
      await shot(page, 'disaster-dashboard-desktop.png');
      // English: the labels' English names.
      await page.getByTestId('lang-en').click();
      await expect(page.getByTestId('page-title')).toHaveText('Dashboard');
      await expect(page.getByTestId('csv-link')).toHaveText('Export as CSV');
      await page.getByTestId('lang-ja').click();
    });
  });
});

familyTest('a family member is refused the disaster pages and their API', async ({ page }) => {
  await page.goto('/disaster');
  await expect(page.getByTestId('part-disaster')).toBeVisible();
  await expect(page.getByTestId('disaster-page-disaster-events')).toHaveCount(0);
  await page.goto('/disaster/events');
  await expect(page.getByTestId('denied')).toBeVisible();
  expect((await page.request.get('/api/v1/disaster/events')).status()).toBe(403);
  expect((await page.request.get('/api/v1/disaster/settings')).status()).toBe(403);
  await expectAccessible(page);
});

test('a paramedic is refused the map and its API', async ({ browser, baseURL }) => {
  await withActor(browser, baseURL, PARAMEDIC, PHONE_740, async (page) => {
    await expect(page.getByTestId('nav-disaster-events')).toHaveCount(0);
    const events = await page.request.get('/api/v1/disaster/events');
    expect(events.status()).toBe(403);
    await page.goto('/disaster/events/1/map');
    await expect(page.getByTestId('denied')).toBeVisible();
    expect((await page.request.get('/api/v1/disaster/events/1/people')).status()).toBe(403);
    // Writes are refused too (the CSRF token is the paramedic's own).
    const csrf = await csrfOf(page.request);
    const post = await page.request.post('/api/v1/disaster/events/1/people/1/safety', {
      data: { label: 'blue', location: 'home', shelter: '', note: '' },
      headers: { 'X-CSRF-Token': csrf },
    });
    expect(post.status()).toBe(403);
  });
});

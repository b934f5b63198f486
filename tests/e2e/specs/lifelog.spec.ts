// ここのーと: a mother writes on her phone without a connection and the records arrive exactly
// once; the same record changed on two devices becomes a visible conflict; a school nurse sees
// only the child whose team she is on; the pediatrician reads, comments, charts and edits the
// template.
import type { Request } from '@playwright/test';
import { join } from 'node:path';
import { ARTIFACTS, expect, expectAccessible, test } from '../helpers/app';
import { makePng } from '../helpers/carenet';
import { demoApi } from '../helpers/demo';
import { signedInActor, withActor } from '../helpers/emergency';
import {
  csrfOf,
  HINATA,
  HINATA_MOTHER,
  lifelogPersons,
  PARAMEDIC,
  PEDIATRICIAN,
  pendingCount,
  personNamed,
  PHONE_740,
  putRecord,
  recordsOf,
  SCHOOL_NURSE,
  serviceWorkerReady,
  YUI,
} from '../helpers/lifelog';

const NOTE = '夜中にSpO2が88まで下がった。吸引して5分で95に戻る。';

test('offline on a phone: a quick entry and a full record wait as 未送信 and arrive exactly once', async ({ browser, baseURL }) => {
  const actor = await signedInActor(browser, baseURL, HINATA_MOTHER, PHONE_740);
  const { page, context } = actor;
  try {
    const hinata = await personNamed(page.request, HINATA);
    // Every PUT the page sends, by client id, to be replayed below.
    const sent = new Map<string, string>();
    page.on('request', (request: Request) => {
      const match = /\/api\/v1\/lifelog\/persons\/\d+\/records\/([^/?]+)$/.exec(request.url());
      if (match && request.method() === 'PUT') sent.set(decodeURIComponent(match[1]), request.postData() ?? '');
    });

    // The service worker installs from the first page (home) and then takes it. A page whose navigation
    // overlaps that moment stays without it until the next navigation, so wait for it first.
    expect(await serviceWorkerReady(page), 'home is controlled by the service worker').toBe(true);
    await page.goto(`/lifelog/persons/${hinata.id}`);
    await expect(page.getByTestId('lifelog-person-page')).toBeVisible();
    await expect(page.getByTestId('page-title')).toHaveText(HINATA);
    await expect(page.getByTestId('lifelog-connection')).toHaveAttribute('data-state', 'online');
    await expect(page.getByTestId('quick-entry').first()).toBeVisible();
    // The service worker keeps the app shell (web/public/sw.js); it controls the page once installed.
    const worker = await serviceWorkerReady(page);
    expect(worker, 'the page is controlled by the service worker').toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-person-phone.png') });

    await context.setOffline(true);
    await expect(page.getByTestId('lifelog-connection')).toHaveAttribute('data-state', 'offline');

    // One tap: one record, confirmed with a way to change it.
    await page.getByTestId('quick-entry').first().click();
    await expect(page.getByTestId('quick-confirm')).toBeVisible();
    await expect(page.getByTestId('quick-confirm-edit')).toBeVisible();

    // The full form: SpO2 88 is flagged while it is typed.
    await page.getByTestId('entry-open').click();
    await expect(page.getByTestId('entry-form')).toBeVisible();
    await expectAccessible(page);
    await page.getByTestId('entry-field-spo2').fill('95');
    await expect(page.getByTestId('entry-row-spo2')).toHaveAttribute('data-out', 'false');
    await page.getByTestId('entry-field-spo2').fill('88');
    await expect(page.getByTestId('entry-row-spo2')).toHaveAttribute('data-out', 'true');
    await expect(page.getByTestId('entry-out-spo2')).toContainText('範囲外');
    await page.getByTestId('entry-row-spo2').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-entry-phone.png') });
    await page.getByTestId('entry-note').fill(NOTE);
    await page.getByTestId('entry-photos').setInputFiles({ name: 'suction.png', mimeType: 'image/png', buffer: makePng() });
    await expect(page.getByTestId('entry-photo-list').locator('img')).toHaveCount(1);
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-entry-bottom-phone.png') });
    await page.getByTestId('entry-submit').click();
    await expect(page.getByTestId('entry-form')).toHaveCount(0);

    const pending = page.locator('[data-testid="record"][data-state="pending"]');
    await expect(pending).toHaveCount(2);
    await expect(pending.getByTestId('record-pending').first()).toHaveText('未送信');
    await expect(page.getByTestId('lifelog-pending-badge')).toHaveText('未送信 2件');
    const spo2Card = pending.filter({ hasText: NOTE });
    await expect(spo2Card.locator('[data-testid="record-value"][data-key="spo2"]')).toHaveAttribute('data-out', 'true');
    await expect(spo2Card.getByTestId('record-value-out')).toBeVisible();
    await expect(spo2Card.getByTestId('record-photos-waiting')).toBeVisible();
    const clientIds = await pending.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-client-id') ?? ''));
    expect(clientIds.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-offline-phone.png') });

    // A reload without connection: the app shell comes from the service worker, the user and
    // the template from the device, the queue from IndexedDB.
    await page.reload();
    await expect(page.getByTestId('lifelog-person-page')).toBeVisible();
    await expect(page.getByTestId('lifelog-cached')).toBeVisible();
    await expect(page.getByTestId('lifelog-connection')).toHaveAttribute('data-state', 'offline');
    await expect(page.getByTestId('lifelog-pending-badge')).toHaveText('未送信 2件');
    await expect(page.locator('[data-testid="record"][data-state="pending"]')).toHaveCount(2);
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-offline-reload-phone.png') });

    await context.setOffline(false);
    await expect(page.getByTestId('lifelog-pending-badge')).toHaveCount(0, { timeout: 45_000 });
    await expect(page.getByTestId('lifelog-connection')).toHaveAttribute('data-state', 'online');
    await page.reload();
    await expect(page.getByTestId('lifelog-person-page')).toBeVisible();
    await expect(page.getByTestId('lifelog-pending-badge')).toHaveCount(0);
    for (const id of clientIds) await expect(page.locator(`[data-testid="record"][data-client-id="${id}"]`)).toHaveAttribute('data-state', 'sent');

    const records = await recordsOf(page.request, hinata.id);
    for (const id of clientIds) expect(records.filter((r) => r.client_id === id), `record ${id} once`).toHaveLength(1);
    const spo2 = records.find((r) => clientIds.includes(r.client_id) && r.values.spo2 === 88);
    expect(spo2, 'the SpO2 88 record').toBeTruthy();
    expect(spo2!.out_of_range).toContain('spo2');
    expect(spo2!.note).toBe(NOTE);
    expect(spo2!.photos).toHaveLength(1);
    const thumb = page.locator(`[data-testid="record"][data-client-id="${spo2!.client_id}"]`).getByTestId('record-photo');
    await expect(thumb).toHaveCount(1);
    await thumb.scrollIntoViewIfNeeded();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // The phone lost the answer and sends the same request again: nothing new is written.
    const body = sent.get(spo2!.client_id);
    expect(body, 'the PUT of the SpO2 record').toBeTruthy();
    const replay = await putRecord(page.request, hinata.id, spo2!.client_id, JSON.parse(body!));
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBe(true);
    expect((await recordsOf(page.request, hinata.id)).filter((r) => r.client_id === spo2!.client_id)).toHaveLength(1);
    expect(actor.errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the same record changed on two devices: the conflict shows both versions and the choice is kept', async ({ browser, baseURL }) => {
  const first = await signedInActor(browser, baseURL, HINATA_MOTHER, PHONE_740);
  // The second device of the same user: the same session, its own storage.
  const cookies = (await first.context.storageState()).cookies;
  const secondContext = await browser.newContext({ baseURL, storageState: { cookies, origins: [] }, ...PHONE_740 });
  const second = await secondContext.newPage();
  try {
    const hinata = await personNamed(first.page.request, HINATA);
    const clientId = `e2e-conflict-${Date.now()}`;
    const created = await putRecord(first.page.request, hinata.id, clientId, { values: { pulse: 96 }, note: '元の記録' });
    expect(created.status).toBe(201);

    const card = (page: typeof second) => page.locator(`[data-testid="record"][data-client-id="${clientId}"]`);
    for (const page of [first.page, second]) {
      await page.goto(`/lifelog/persons/${hinata.id}`);
      await expect(card(page)).toBeVisible();
      await expect(card(page).getByTestId('record-note')).toHaveText('元の記録');
    }

    // The first phone loses its connection and changes the note.
    await first.context.setOffline(true);
    await card(first.page).getByTestId('record-edit').click();
    await first.page.getByTestId('entry-note').fill('端末Aでの修正');
    await first.page.getByTestId('entry-submit').click();
    await expect(card(first.page)).toHaveAttribute('data-state', 'pending');

    // The second changes it too, and is online.
    await card(second).getByTestId('record-edit').click();
    await second.getByTestId('entry-field-pulse').fill('101');
    await second.getByTestId('entry-note').fill('端末Bでの修正');
    await second.getByTestId('entry-submit').click();
    await expect(card(second)).toHaveAttribute('data-state', 'sent', { timeout: 20_000 });
    await expect(card(second).getByTestId('record-note')).toHaveText('端末Bでの修正');

    // Back online, the first phone's change meets the second's.
    await first.context.setOffline(false);
    await expect(card(first.page)).toHaveAttribute('data-state', 'conflict', { timeout: 45_000 });
    const conflict = card(first.page).getByTestId('conflict');
    await expect(conflict.getByTestId('conflict-mine')).toContainText('端末Aでの修正');
    await expect(conflict.getByTestId('conflict-server')).toContainText('端末Bでの修正');
    await expect(conflict.getByTestId('conflict-server')).toContainText('101');
    await expect(first.page.getByTestId('lifelog-attention-badge')).toHaveText('要確認 1件');
    // The card just under the header and the day's heading, above the docked buttons.
    await card(first.page).evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 100));
    await first.page.screenshot({ path: join(ARTIFACTS, 'lifelog-conflict-phone.png') });

    await conflict.getByTestId('conflict-keep-mine').click();
    await expect(card(first.page)).toHaveAttribute('data-state', 'sent', { timeout: 20_000 });
    await expect(card(first.page).getByTestId('record-note')).toHaveText('端末Aでの修正');
    await expect(first.page.getByTestId('lifelog-attention-badge')).toHaveCount(0);

    const onServer = (await recordsOf(first.page.request, hinata.id)).filter((r) => r.client_id === clientId);
    expect(onServer).toHaveLength(1);
    expect(onServer[0].note).toBe('端末Aでの修正');
    expect(onServer[0].version).toBe(3);
    expect(onServer[0].edited).toBe(true);

    // The edit history behind 編集済み.
    await first.page.reload();
    await card(first.page).getByTestId('record-edited').click();
    await expect(card(first.page).getByTestId('record-version')).toHaveCount(3);

    // Once more, and this time the server's version is taken: the device's change is dropped.
    await second.reload();
    await expect(card(second).getByTestId('record-note')).toHaveText('端末Aでの修正');
    await first.context.setOffline(true);
    await card(first.page).getByTestId('record-edit').click();
    await first.page.getByTestId('entry-note').fill('端末Aでの2回目');
    await first.page.getByTestId('entry-submit').click();
    await expect(card(first.page)).toHaveAttribute('data-state', 'pending');
    await card(second).getByTestId('record-edit').click();
    await second.getByTestId('entry-note').fill('端末Bでの2回目');
    await second.getByTestId('entry-submit').click();
    await expect(card(second)).toHaveAttribute('data-state', 'sent', { timeout: 20_000 });
    await first.context.setOffline(false);
    await expect(card(first.page)).toHaveAttribute('data-state', 'conflict', { timeout: 45_000 });
    await card(first.page).getByTestId('conflict-take-server').click();
    await expect(card(first.page)).toHaveAttribute('data-state', 'sent');
    await expect(card(first.page).getByTestId('record-note')).toHaveText('端末Bでの2回目');
    await expect(first.page.getByTestId('lifelog-pending-badge')).toHaveCount(0);
    const taken = (await recordsOf(first.page.request, hinata.id)).filter((r) => r.client_id === clientId);
    expect(taken).toHaveLength(1);
    expect(taken[0].note).toBe('端末Bでの2回目');
    expect(taken[0].version).toBe(4);
    expect(first.errors).toEqual([]);
  } finally {
    await secondContext.close();
    await first.context.close();
  }
});

test('a server in trouble keeps the record queued; a refused record waits for "discard"', async ({ browser, baseURL }) => {
  await withActor(browser, baseURL, HINATA_MOTHER, PHONE_740, async (page) => {
    const hinata = await personNamed(page.request, HINATA);
    await page.goto(`/lifelog/persons/${hinata.id}`);
    await expect(page.getByTestId('quick-entry').first()).toBeVisible();
    const puts = /\/api\/v1\/lifelog\/persons\/\d+\/records\/[^/]+$/;

    // 503: nothing is lost, and "send now" sends it once the server is back.
    await page.route(puts, (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'busy' } }) }),
    );
    await page.getByTestId('quick-entry').first().click();
    await expect(page.getByTestId('lifelog-pending-badge')).toHaveText('未送信 1件');
    const queued = page.locator('[data-testid="record"][data-state="pending"]');
    await expect(queued).toHaveCount(1);
    const queuedId = await queued.getAttribute('data-client-id');
    await page.unroute(puts);
    await page.getByTestId('lifelog-send-now').click();
    await expect(page.getByTestId('lifelog-pending-badge')).toHaveCount(0);
    await expect(page.locator(`[data-testid="record"][data-client-id="${queuedId}"]`)).toHaveAttribute('data-state', 'sent');

    // 400: the record stays on the device with the reason until the user discards it.
    await page.route(puts, (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unknown_field', message: 'values: no such field', field: 'values.feeding_ml' } }),
      }),
    );
    await page.getByTestId('quick-entry').first().click();
    const refused = page.locator('[data-testid="record"][data-state="error"]');
    await expect(refused).toHaveCount(1);
    await expect(refused.getByTestId('record-error')).toHaveAttribute('data-code', 'unknown_field');
    await expect(page.getByTestId('lifelog-attention-badge')).toHaveText('要確認 1件');
    await page.reload();
    await expect(page.locator('[data-testid="record"][data-state="error"]')).toHaveCount(1);
    await page.locator('[data-testid="record"][data-state="error"]').getByTestId('record-discard').click();
    await expect(page.locator('[data-testid="record"][data-state="error"]')).toHaveCount(0);
    await expect(page.getByTestId('lifelog-attention-badge')).toHaveCount(0);
    await page.unroute(puts);
  });
});

test('a school nurse sees the child of her team only', async ({ browser, baseURL }) => {
  // 結衣's id, through the pediatrician who sees both children.
  const doctor = await demoApi(baseURL, PEDIATRICIAN);
  const yui = await personNamed(doctor, YUI);
  await doctor.dispose();

  await withActor(browser, baseURL, SCHOOL_NURSE, PHONE_740, async (page) => {
    await page.goto('/lifelog');
    await expect(page.getByTestId('lifelog-list-page')).toBeVisible();
    const names = page.getByTestId('lifelog-person-name');
    await expect(names.filter({ hasText: HINATA })).toHaveCount(1);
    await expect(names.filter({ hasText: YUI })).toHaveCount(0);
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-list-phone.png') });
    expect((await lifelogPersons(page.request)).map((p) => p.name)).not.toContain(YUI);

    await page.goto(`/lifelog/persons/${yui.id}`);
    await expect(page.getByTestId('denied')).toBeVisible();
    await expect(page.getByTestId('lifelog-person-page')).toHaveCount(0);
    expect((await page.request.get(`/api/v1/lifelog/persons/${yui.id}/records`)).status()).toBe(403);
    expect((await page.request.get(`/api/v1/lifelog/persons/${yui.id}/template`)).status()).toBe(403);
  });
});

test('the pediatrician: out-of-range highlight, a comment, the charts and the template', async ({ browser, baseURL }) => {
  await withActor(browser, baseURL, PEDIATRICIAN, PHONE_740, async (page) => {
    const hinata = await personNamed(page.request, HINATA);
    let flagged = (await recordsOf(page.request, hinata.id)).find((r) => r.out_of_range.length > 0);
    if (!flagged) {
      // The demo's last week had no value out of range: the mother writes one.
      const mother = await demoApi(baseURL, HINATA_MOTHER);
      const made = await putRecord(mother, hinata.id, `e2e-low-${Date.now()}`, { values: { spo2: 89 }, note: 'e2e' });
      expect(made.status).toBe(201);
      await mother.dispose();
      flagged = made.body.record!;
    }

    await page.goto('/lifelog');
    await page.getByTestId('lifelog-person').filter({ hasText: HINATA }).getByTestId('lifelog-person-link').click();
    await expect(page.getByTestId('page-title')).toHaveText(HINATA);
    const card = page.locator(`[data-testid="record"][data-client-id="${flagged.client_id}"]`);
    await expect(card).toBeVisible();
    await expect(card).toHaveClass(/ll-record-out/);
    const outValue = card.locator('[data-testid="record-value"][data-out="true"]').first();
    await expect(outValue).toBeVisible();
    await expect(outValue.getByTestId('record-value-out')).toContainText('範囲外');

    // A comment for the family.
    const comment = `吸引のタイミングを次回の受診で相談しましょう (${Date.now()})`;
    await card.getByTestId('record-comment-open').click();
    await card.getByTestId('record-comment-input').fill(comment);
    await card.getByTestId('record-comment-submit').click();
    await expect(card.getByTestId('record-comment-body').filter({ hasText: comment })).toBeVisible();
    await expectAccessible(page);
    const after = (await recordsOf(page.request, hinata.id)).find((r) => r.client_id === flagged!.client_id);
    expect(after!.comments.map((c) => c.body)).toContain(comment);

    // Charts: SpO2 over its band, seizures per day, intake per week.
    await page.getByTestId('lifelog-tab-charts').click();
    await expect(page.getByTestId('lifelog-charts')).toBeVisible();
    const spo2 = page.locator('[data-testid="chart"][data-key="spo2"]');
    await expect(spo2).toHaveAttribute('data-chart', 'mean');
    await expect(spo2.getByTestId('chart-band')).toBeVisible();
    expect(await spo2.getByTestId('chart-mean').count()).toBeGreaterThan(3);
    const seizures = page.locator('[data-testid="chart"][data-key="seizure_sec"]');
    await expect(seizures).toHaveAttribute('data-chart', 'count');
    await expect(seizures.locator('svg rect')).not.toHaveCount(0);
    const intake = page.locator('[data-testid="chart"][data-key="feeding_ml"]');
    await expect(intake).toHaveAttribute('data-chart', 'sum');
    const weekBars = intake.getByTestId('chart-svg-feeding_ml-week').locator('rect');
    expect(await weekBars.count()).toBeGreaterThanOrEqual(4);
    // The weeks are the days summed from Monday.
    const daily = (await (await page.request.get(`/api/v1/lifelog/persons/${hinata.id}/daily`)).json()) as {
      dates: string[];
      series: { key: string; days: { sum: number | null }[] }[];
    };
    const feeding = daily.series.find((s) => s.key === 'feeding_ml')!;
    const total = feeding.days.reduce((a, d) => a + (d.sum ?? 0), 0);
    const drawn = await weekBars.evaluateAll((rects) => rects.reduce((a, r) => a + Number(r.getAttribute('data-value')), 0));
    expect(drawn).toBeCloseTo(total, 5);
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-charts-phone.png'), fullPage: true });
    await expectAccessible(page);

    // The template: SpO2's lower bound, saved as the next version.
    const before = (await (await page.request.get(`/api/v1/lifelog/persons/${hinata.id}/template`)).json()) as {
      template: { version: number; kind: string; notify_team: boolean; fields: { key: string; min?: number | null }[]; quick: unknown[] };
    };
    await page.getByTestId('lifelog-tab-template').click();
    const spo2Field = page.locator('[data-testid="template-field"][data-key="spo2"]');
    await spo2Field.getByTestId('template-field-min').fill('90');
    await page.getByTestId('template-save').click();
    await expect(page.getByTestId('template-saved')).toBeVisible();
    const saved = (await (await page.request.get(`/api/v1/lifelog/persons/${hinata.id}/template`)).json()) as typeof before;
    expect(saved.template.version).toBe(before.template.version + 1);
    expect(saved.template.fields.find((f) => f.key === 'spo2')!.min).toBe(90);

    // Someone saves meanwhile: the next save here is refused and says so.
    const other = await page.request.put(`/api/v1/lifelog/persons/${hinata.id}/template`, {
      headers: { 'X-CSRF-Token': await csrfOf(page.request) },
      data: {
        kind: saved.template.kind,
        notify_team: saved.template.notify_team,
        fields: saved.template.fields,
        quick: saved.template.quick,
        base_version: saved.template.version,
      },
    });
    expect(other.status()).toBe(200);
    await spo2Field.getByTestId('template-field-min').fill('91');
    await page.getByTestId('template-save').click();
    await expect(page.getByTestId('template-conflict')).toBeVisible();
    await page.getByTestId('template-reload').click();
    await expect(page.getByTestId('template-version')).toContainText(`第${saved.template.version + 1}版`);
  });
});

test('the emergency sheet shows the last 72 hours of life records, values out of range flagged', async ({ browser, baseURL }) => {
  await withActor(browser, baseURL, PARAMEDIC, PHONE_740, async (page) => {
    // The paramedic finds the child by identity and opens break-glass access through the API.
    const found = (await (await page.request.get(`/api/v1/emergency/persons?q=${encodeURIComponent(HINATA)}`)).json()) as {
      persons: { id: number; name: string }[];
    };
    const hinata = found.persons.find((p) => p.name === HINATA);
    expect(hinata, `${HINATA} found by the paramedic`).toBeTruthy();
    const reasons = (await (await page.request.get('/api/v1/emergency/reasons')).json()) as { reasons: { code: string }[] };
    const grant = await page.request.post('/api/v1/emergency/grants', {
      headers: { 'X-CSRF-Token': await csrfOf(page.request) },
      data: { person: hinata!.id, reason: reasons.reasons[0].code, note: '呼吸が苦しそうと母から通報（e2e）' },
    });
    expect(grant.status(), await grant.text()).toBeLessThan(300);

    const sheet = (await (await page.request.get(`/api/v1/emergency/persons/${hinata!.id}/sheet`)).json()) as {
      life_records?: { local_time: string; items: { label: string; value: string; out_of_range: boolean }[]; note: string }[];
    };
    const lifeRecords = sheet.life_records ?? [];
    expect(lifeRecords.length, 'the demo child has records of the last 72 hours').toBeGreaterThan(0);

    await page.goto(`/emergency/persons/${hinata!.id}`);
    await expect(page.getByTestId('emergency-sheet')).toBeVisible();
    const section = page.getByTestId('sheet-life-records');
    await expect(section).toBeVisible();
    await expect(section).toContainText('最近のくらしの記録（72時間）');
    await expect(section.getByTestId('sheet-life-record')).toHaveCount(lifeRecords.length);
    const out = lifeRecords.flatMap((r) => r.items).filter((i) => i.out_of_range).length;
    await expect(section.locator('[data-testid="sheet-life-item"][data-out="true"]')).toHaveCount(out);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'lifelog-emergency-sheet-phone.png') });
  });
});

import type { APIRequestContext, Page } from '@playwright/test';
import { join } from 'node:path';
import { ARTIFACTS, expect, expectAccessible, test } from '../helpers/app';
import { getJson } from '../helpers/carenet';
import * as dz from '../helpers/disaster';
import { csrfOf, horizontalOverflow, withActor } from '../helpers/emergency';
import { PHONE_740 } from '../helpers/lifelog';
import type { BroadcastDetail, Places } from '../../../web/src/api/disaster_calls';
import type { PersonCard, SafetyLabel } from '../../../web/src/api/disaster';
import type { StoredReview } from '../../../web/src/api/disaster_ledger';

// 一斉同報, shelters and facilities, and the ledger's review list: the demo call operator works the
// demo drill's broadcast on a phone (つながった with a quick 無事, 不在), the city officer makes a
// broadcast for one district and reports a shelter's occupancy from the map, the demo nurse reports
// her visiting-nursing station's status (a doctor of another organisation is refused), and a ledger
// record put up for review is linked to the person it names. Values are checked against the API.
const OFFICER = 'co.hayashi';
const OPERATOR = 'op.takeuchi';
const DESKTOP = { viewport: { width: 1280, height: 800 } };

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage });
}

async function post(request: APIRequestContext, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await request.post(path, { data: body, headers: { 'X-CSRF-Token': await csrfOf(request) } });
  return { status: response.status(), body: await response.json().catch(() => null) };
}

function broadcast(request: APIRequestContext, eventId: number, id: number): Promise<BroadcastDetail> {
  return getJson<BroadcastDetail>(request, `/api/v1/disaster/events/${eventId}/broadcasts/${id}`);
}

function places(request: APIRequestContext, eventId: number): Promise<Places> {
  return getJson<Places>(request, `/api/v1/disaster/events/${eventId}/places`);
}

test.describe.serial('broadcasts, shelters, facilities and ledger reviews', () => {
  test('the call operator works the demo broadcast on a phone: つながった with 無事, then 不在', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OPERATOR, PHONE_740, async (page) => {
      const drill = await dz.demoDrill(page.request);
      const { broadcasts } = await getJson<{ broadcasts: BroadcastDetail[] }>(page.request, `/api/v1/disaster/events/${drill.id}/broadcasts`);
      const demo = broadcasts.find((b) => b.audience.needs.includes('living_alone'));
      expect(demo, 'the demo broadcast to people living alone').toBeTruthy();
      const before = await broadcast(page.request, drill.id, demo!.id);
      const pending = before.calls.filter((c) => c.outcome === null);
      expect(pending.length, 'the demo broadcast has calls not made yet').toBeGreaterThanOrEqual(2);

      // From the event page's list to the call list.
      await page.goto(`/disaster/events/${drill.id}`);
      const item = page.locator(`[data-testid="broadcast"][data-broadcast="${demo!.id}"]`);
      await expect(item.getByTestId('broadcast-progress')).toHaveAttribute('data-called', String(before.progress.called));
      await expect(page.getByTestId('broadcast-form')).toHaveCount(0);
      await item.getByTestId('broadcast-link').click();
      await expect(page).toHaveURL(new RegExp(`/disaster/events/${drill.id}/broadcasts/${demo!.id}$`));
      const progress = page.getByTestId('calls-progress-card').getByTestId('broadcast-progress');
      await expect(progress).toHaveAttribute('data-called', String(before.progress.called));
      await expect(progress).toHaveAttribute('data-total', String(before.progress.total));
      await expect(page.getByTestId('call-row')).toHaveCount(before.calls.length);

      // 未対応のみ: exactly the calls without an outcome.
      await page.getByTestId('calls-pending-only').check();
      await expect(page.getByTestId('call-row')).toHaveCount(pending.length);
      const phone = await page.getByTestId('call-phone').first().boundingBox();
      expect(phone && phone.height >= 48, 'the phone number is a big link').toBeTruthy();
      await expect(page.getByTestId('call-phone').first()).toHaveAttribute('href', `tel:${pending[0].phone.replace(/[^0-9+]/g, '')}`);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'disaster-calls-phone.png');

      const cardBefore = await getJson<PersonCard>(page.request, `/api/v1/disaster/events/${drill.id}/people/${pending[0].person_id}`);
      // つながった, then 無事 in one tap.
      const first = page.locator(`[data-testid="call-row"][data-call="${pending[0].id}"]`);
      await first.locator('[data-testid="call-outcome-choice"][data-outcome="reached"]').click();
      await first.getByTestId('call-note').fill('本人と話せた（e2e）');
      await first.getByTestId('call-save').click();
      const safe = dz.labelNamed((await getJson<{ labels: SafetyLabel[] }>(page.request, '/api/v1/disaster/settings')).labels, '無事');
      // The row stays (the filter is applied to what the list held), with the quick safety post.
      await first.locator(`[data-testid="call-safety-label"][data-label="${safe.key}"]`).click();
      await expect(first.getByTestId('call-safety-posted')).toHaveAttribute('data-label', safe.key);
      await expect(progress).toHaveAttribute('data-called', String(before.progress.called + 1));
      const after = await broadcast(page.request, drill.id, demo!.id);
      expect(after.progress.called).toBe(before.progress.called + 1);
      expect(after.progress.outcomes.reached).toBe(before.progress.outcomes.reached + 1);
      expect(after.calls.find((c) => c.id === pending[0].id)).toMatchObject({ outcome: 'reached', attempts: pending[0].attempts + 1, note: '本人と話せた（e2e）' });
      const card = await getJson<PersonCard>(page.request, `/api/v1/disaster/events/${drill.id}/people/${pending[0].person_id}`);
      expect(card.status.label, 'the person is 無事 now').toBe(safe.key);
      expect(card.status.location, 'where the person is stays as recorded').toBe(cardBefore.status.location);

      // 不在 on the next one: one more attempt, still counted as called.
      const second = page.locator(`[data-testid="call-row"][data-call="${pending[1].id}"]`);
      await second.locator('[data-testid="call-outcome-choice"][data-outcome="no_answer"]').click();
      await second.getByTestId('call-save').click();
      await expect(second).toHaveAttribute('data-attempts', String(pending[1].attempts + 1));
      await expect(second.getByTestId('call-outcome')).toHaveText('不在');
      await expect(second.getByTestId('call-safety')).toHaveCount(0);
      const last = await broadcast(page.request, drill.id, demo!.id);
      expect(last.calls.find((c) => c.id === pending[1].id)).toMatchObject({ outcome: 'no_answer', attempts: pending[1].attempts + 1 });
      expect(last.progress.outcomes.no_answer).toBe(before.progress.outcomes.no_answer + 1);
      await expectAccessible(page);
      await shot(page, 'disaster-calls-phone-after.png');
    });
    await withActor(browser, baseURL, OPERATOR, DESKTOP, async (page) => {
      const drill = await dz.demoDrill(page.request);
      const { broadcasts } = await getJson<{ broadcasts: BroadcastDetail[] }>(page.request, `/api/v1/disaster/events/${drill.id}/broadcasts`);
      await page.goto(`/disaster/events/${drill.id}/broadcasts/${broadcasts.at(-1)!.id}`);
      await expect(page.getByTestId('call-row').first()).toBeVisible();
      await shot(page, 'disaster-calls-desktop.png', false);
    });
  });

  test('the city officer broadcasts to one district, then reports a shelter from the map', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OFFICER, DESKTOP, async (page) => {
      const drill = await dz.demoDrill(page.request);
      await page.goto(`/disaster/events/${drill.id}`);
      await page.getByTestId('broadcast-new').click();
      const form = page.getByTestId('broadcast-form');
      const message = `【訓練】給水所を開設しました（e2e ${Date.now()}）`;
      await form.getByTestId('broadcast-message').fill(message);
      const district = form.getByTestId('broadcast-district').first();
      await expect(district).toBeVisible();
      const name = (await district.getAttribute('data-value'))!;
      await district.locator('input').check();
      await form.getByTestId('broadcast-submit').click();
      await expect(form.getByTestId('broadcast-created')).toBeVisible();
      const { broadcasts } = await getJson<{ broadcasts: BroadcastDetail[] }>(page.request, `/api/v1/disaster/events/${drill.id}/broadcasts`);
      const made = broadcasts.find((b) => b.message === message);
      expect(made, 'the broadcast is stored').toBeTruthy();
      expect(made!.audience.districts).toEqual([name]);
      const detail = await broadcast(page.request, drill.id, made!.id);
      expect(detail.calls.every((c) => c.district === name)).toBe(true);
      const row = page.locator(`[data-testid="broadcast"][data-broadcast="${made!.id}"]`);
      await expect(row.getByTestId('broadcast-progress')).toHaveAttribute('data-total', String(made!.progress.total));
      await expect(row.getByTestId('broadcast-progress')).toHaveAttribute('data-called', '0');
      await expect(row.getByTestId('broadcast-audience')).toHaveText(name);
      await expectAccessible(page);

      // The map: shelters and facilities on their own layers, then a shelter's report.
      await page.goto(`/disaster/events/${drill.id}/map`);
      const all = await dz.people(page.request, drill.id);
      if (typeof all.total === 'number') await expect(page.getByTestId('people-count')).toContainText(`${all.total}人中`);
      await expect(page.getByTestId('people-map')).toHaveAttribute('data-ready', 'true');
      await expect(page.getByTestId('map-shelter')).toHaveCount(0);
      const known = await places(page.request, drill.id);
      await page.getByTestId('toggle-shelters').locator('input').check();
      await page.getByTestId('toggle-facilities').locator('input').check();
      await expect(page.getByTestId('map-shelter')).toHaveCount(known.shelters.filter((s) => s.lat !== null).length);
      await expect(page.getByTestId('map-facility')).toHaveCount(known.facilities.filter((f) => f.lat !== null).length);
      await shot(page, 'disaster-map-places-desktop.png', false);
      const shelter = known.shelters.find((s) => s.report !== null && s.lat !== null) ?? known.shelters[0];
      await page.locator(`[data-testid="map-shelter"][data-place="${shelter.id}"]`).dispatchEvent('click');
      const card = page.getByTestId('place-dialog').getByTestId('shelter-card');
      await expect(card).toBeVisible();
      await expect(card.getByTestId('shelter-occupancy')).toContainText(`${shelter.report?.occupancy ?? '—'} / 定員 ${shelter.capacity}`);
      const occupancy = (shelter.report?.occupancy ?? 0) + 7;
      await card.getByTestId('shelter-report-occupancy').fill(String(occupancy));
      await card.getByTestId('shelter-report-message').fill('毛布が不足（e2e）');
      await card.getByTestId('shelter-report-submit').click();
      await expect(card.getByTestId('place-report-saved')).toBeVisible();
      await expect(card.getByTestId('shelter-occupancy')).toContainText(`${occupancy} / 定員`);
      const now = (await places(page.request, drill.id)).shelters.find((s) => s.id === shelter.id)!;
      expect(now.report).toMatchObject({ open: true, occupancy, message: '毛布が不足（e2e）' });
      await expectAccessible(page);
      await shot(page, 'disaster-place-dialog-desktop.png', false);
      await page.keyboard.press('Escape');
      await page.setViewportSize(PHONE_740.viewport);
      await expect(page.getByTestId('place-dialog')).toBeHidden();
      await page.getByTestId('people-map').scrollIntoViewIfNeeded();
      await shot(page, 'disaster-map-places-phone.png', false);
    });
  });

  test('the city officer adds a shelter on the events page; the same name again is refused in Japanese', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OFFICER, PHONE_740, async (page) => {
      await page.goto('/disaster/events');
      const known = (await getJson<{ shelters: { id: number; name: string }[] }>(page.request, '/api/v1/disaster/shelters')).shelters;
      await expect(page.getByTestId('shelter-item')).toHaveCount(known.length);
      const name = `e2e 陶原公民館 ${Date.now()}`;
      const add = async () => {
        await page.getByTestId('shelter-name').fill(name);
        await page.getByTestId('shelter-address').fill('瀬戸市陶原町1丁目');
        await page.getByTestId('shelter-district').fill('陶原町');
        await page.getByTestId('shelter-lat').fill('35.2301');
        await page.getByTestId('shelter-lon').fill('137.0911');
        await page.getByTestId('shelter-capacity').fill('80');
        await page.locator('[data-testid="shelter-access"][data-value="welfare"] input').check();
        await page.getByTestId('shelter-add-submit').click();
      };
      await page.getByTestId('shelter-add-open').click();
      await add();
      await expect(page.getByTestId('shelter-item')).toHaveCount(known.length + 1);
      await expect(page.getByTestId('shelter-item').last()).toContainText('福祉避難所');
      const stored = (await getJson<{ shelters: { name: string; capacity: number; lat: number; accessibility: string[] }[] }>(page.request, '/api/v1/disaster/shelters')).shelters.find((s) => s.name === name);
      expect(stored).toMatchObject({ capacity: 80, lat: 35.2301, accessibility: ['welfare'] });
      await add();
      await expect(page.getByTestId('shelter-add-error')).toHaveText('同じ名前の避難所がすでにあります。');
    });
  });

  test('the demo nurse reports her station from the facility page; a doctor of another organisation is refused', async ({ browser, baseURL, request }) => {
    let stationId = 0;
    let eventId = 0;
    const nurse = await dz.demoLoginOfRole(request, 'nurse');
    await withActor(browser, baseURL, nurse.username, PHONE_740, async (page) => {
      const me = await getJson<{ user: { organization: { name: string } } }>(page.request, '/api/v1/me');
      const drill = await dz.demoDrill(page.request);
      eventId = drill.id;
      await page.goto(`/disaster/events/${drill.id}`);
      await page.getByTestId('event-facility-link').click();
      await expect(page).toHaveURL(new RegExp(`/disaster/events/${drill.id}/facility$`));
      await expect(page.getByTestId('facility-name')).toHaveText(me.user.organization.name);
      const station = (await places(page.request, drill.id)).facilities.find((f) => f.name === me.user.organization.name)!;
      stationId = station.id;
      const form = page.getByTestId('facility-report-form');
      await form.locator('[data-testid="facility-report-status"][data-status="closed"]').click();
      await form.getByTestId('facility-report-services').fill('電話相談、緊急訪問');
      await form.getByTestId('facility-report-message').fill('停電のため事務所を閉鎖（e2e）');
      await form.getByTestId('facility-report-submit').click();
      await expect(form.getByTestId('place-report-saved')).toBeVisible();
      await expect(page.getByTestId('facility-status')).toHaveText('休止');
      const now = (await places(page.request, drill.id)).facilities.find((f) => f.id === station.id)!;
      expect(now.report).toMatchObject({ status: 'closed', services: ['電話相談', '緊急訪問'], message: '停電のため事務所を閉鎖（e2e）' });
      expect(now.report!.by?.name).toBe(nurse.display_name);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      await shot(page, 'disaster-facility-phone.png');
    });
    const doctor = await dz.demoLoginOfRole(request, 'doctor');
    await withActor(browser, baseURL, doctor.username, DESKTOP, async (page) => {
      const refused = await post(page.request, `/api/v1/disaster/events/${eventId}/facilities/${stationId}/reports`, { status: 'open', services: [], message: '' });
      expect(refused.status).toBe(403);
      await page.goto(`/disaster/events/${eventId}/facility`);
      await expect(page.getByTestId('facility-card')).toBeVisible();
      await shot(page, 'disaster-facility-desktop.png', false);
    });
  });

  test('a ledger record put up for review is linked to the person it names', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, OFFICER, PHONE_740, async (page) => {
      const drill = await dz.demoDrill(page.request);
      // A person the town knows who is not in the ledger yet: the import finds them by name and birth date.
      const csv = (await (await page.request.get(`/api/v1/disaster/events/${drill.id}/safety.csv`)).text()).replace(/^\uFEFF/, '');
      const { persons } = await getJson<{ persons: { id: number; name: string; kana: string; birth_date: string; address: string }[] }>(page.request, '/api/v1/persons?limit=500');
      const person = persons.find((p) => p.birth_date < '1960-01-01' && !csv.includes(p.name));
      expect(person, 'a person of the town who is not in the ledger').toBeTruthy();
      const kana = person!.kana.replace(/^(.)/, (c) => (c === 'ニ' ? 'ヌ' : 'ニ'));
      const number = `09${String(Date.now()).slice(-8)}`;
      const file = `住民番号,氏名,フリガナ,性別,生年月日,住所,地区\r\n${number},${person!.name},${kana},女,${person!.birth_date},${person!.address},陶本町\r\n`;
      const response = await page.request.post('/api/v1/disaster/ledger/imports?dry_run=false', {
        data: Buffer.from(file, 'utf-8'),
        headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': await csrfOf(page.request) },
      });
      expect(response.status()).toBe(200);
      const { reviews } = await getJson<{ reviews: StoredReview[] }>(page.request, '/api/v1/disaster/ledger/reviews');
      const review = reviews.find((r) => r.resident_number === number);
      expect(review, 'the record waits for review').toBeTruthy();
      expect(review).toMatchObject({ reason: 'kana_differs', candidate_person_id: person!.id });

      await page.goto('/disaster/ledger');
      const item = page.locator(`[data-testid="review"][data-review="${review!.id}"]`);
      await expect(item.getByTestId('review-reason')).toHaveText('フリガナが違う');
      await expect(item.getByTestId('review-record')).toContainText(kana);
      await expect(item.getByTestId('review-candidate')).toContainText(person!.kana);
      await expect(page.getByTestId('review')).toHaveCount(reviews.length);
      await item.scrollIntoViewIfNeeded();
      await shot(page, 'disaster-review-phone.png');
      await page.setViewportSize({ width: 1280, height: 800 });
      await item.scrollIntoViewIfNeeded();
      await shot(page, 'disaster-review-desktop.png', false);
      await page.setViewportSize(PHONE_740.viewport);
      await item.getByTestId('review-link').click();
      await expect(item.getByTestId('review-confirm-box')).toContainText('同一人物として取り込む');
      await item.getByTestId('review-confirm').click();
      await expect(page.getByTestId('review-settled')).toContainText(person!.name);
      await expect(item).toHaveCount(0);
      const left = (await getJson<{ reviews: StoredReview[] }>(page.request, '/api/v1/disaster/ledger/reviews')).reviews;
      expect(left.some((r) => r.id === review!.id)).toBe(false);
      // The person now carries the file's resident number (the city's CSV of the event lists them with it).
      const after = (await (await page.request.get(`/api/v1/disaster/events/${drill.id}/safety.csv`)).text()).split('\r\n');
      expect(after.some((line) => line.startsWith(`${number},${person!.name},`))).toBe(true);
      // Settled twice: 409 already_resolved.
      const again = await post(page.request, `/api/v1/disaster/ledger/reviews/${review!.id}`, { decision: 'dismiss' });
      expect(again.status).toBe(409);
      await expectAccessible(page);
    });
  });
});

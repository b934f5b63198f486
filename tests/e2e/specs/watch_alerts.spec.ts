import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { adminTest, ARTIFACTS, expect, expectAccessible, watchPage } from '../helpers/app';
import { useDemoSession } from '../helpers/demo';
import { CALL_SHEET, createSensorHousehold, csrfToken, householdAlerts, openHeatAlert } from '../helpers/watch';

/** The demo's call operator, the "other operator" of the claim conflict. */
const OPERATOR = 'op.takeuchi';

function card(page: Page, alert: number) {
  return page.locator(`[data-testid="alert-card"][data-alert="${alert}"]`);
}

async function historyActions(page: Page): Promise<string[]> {
  return page
    .getByTestId('alert-history-step')
    .evaluateAll((steps) => steps.map((s) => `${s.getAttribute('data-action')}:${s.getAttribute('data-outcome') ?? ''}`));
}

adminTest('worklist → claim → call the resident, the family, hand over to the city → close; history in order', async ({ page }) => {
  const household = await createSensorHousehold(page.request, CALL_SHEET);
  const alert = await openHeatAlert(page.request, household);
  expect(alert.urgency).toBe(3);

  // Reached from the status list.
  await page.goto('/watch');
  await page.getByTestId('watch-alerts-link').click();
  await expect(page).toHaveURL(/\/watch\/alerts$/);
  await expect(page.getByTestId('alerts-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('見守りアラート対応');
  await expect(page.getByTestId('nav-watch-alerts')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('nav-watch')).not.toHaveAttribute('aria-current', 'page');

  // Open alerts, most urgent first (the demo's three and ours).
  const cards = page.getByTestId('alert-card');
  await expect(card(page, alert.id)).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(4);
  const urgencies = await cards.evaluateAll((all) => all.map((c) => Number(c.getAttribute('data-urgency'))));
  expect(urgencies, 'most urgent first').toEqual([...urgencies].sort((a, b) => b - a));
  const states = await cards.evaluateAll((all) => all.map((c) => c.getAttribute('data-state')));
  expect(states.every((s) => s !== 'closed')).toBeTruthy();
  const kinds = await cards.evaluateAll((all) => all.map((c) => c.getAttribute('data-kind')));
  for (const kind of ['no_activity', 'heat', 'missed_upload']) expect(kinds, `demo alert ${kind}`).toContain(kind);
  // (The monitor may open another alert meanwhile: compare with the cards shown at the same moment.)
  await expect
    .poll(async () => (await page.getByTestId('alerts-count').textContent()) === `対応が必要なアラート ${await cards.count()}件`)
    .toBe(true);

  // Our card: the reason, urgency and level in words, nobody holding it, the age, the call sheet.
  const mine = card(page, alert.id);
  await expect(mine.getByTestId('alert-text')).toHaveText(alert.text);
  await expect(mine.getByTestId('alert-text')).toContainText('熱中症');
  await expect(mine.getByTestId('alert-urgency')).toHaveText('緊急度 高');
  await expect(mine.getByTestId('alert-kind')).toHaveText('熱中症の危険');
  await expect(mine.getByTestId('alert-state')).toHaveText('未対応');
  await expect(mine.getByTestId('alert-level').locator('[aria-current="step"]')).toHaveText('①本人');
  await expect(mine.getByTestId('alert-holder')).toHaveText('まだ誰も対応していません');
  await expect(mine.getByTestId('alert-age')).toHaveText(/^(たった今|\d+分前)$/);
  await expect(mine.getByTestId('alert-resident-name')).toHaveText(household.name);
  await expect(mine.getByTestId('alert-resident-kana')).toHaveText(household.kana);
  await expect(mine.getByTestId('alert-address')).toHaveText('愛知県瀬戸市追分町64-1');
  await expect(mine.getByTestId('alert-phone')).toHaveAttribute('href', 'tel:0561820001');
  await expect(mine.getByTestId('alert-phone')).toContainText('0561-82-0001');

  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-desktop.png'), fullPage: true });

  // The detail page.
  await mine.getByTestId('alert-open').click();
  await expect(page).toHaveURL(new RegExp(`/watch/alerts/${alert.id}$`));
  await expect(page.getByTestId('alert-detail')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText(`${household.name}さんのアラート`);
  await expect(page.getByTestId('alert-summary').getByTestId('alert-text')).toHaveText(alert.text);
  await expect(page.getByTestId('step-resident-tel')).toHaveAttribute('href', 'tel:0561820001');
  const family = page.getByTestId('family-contact');
  await expect(family).toHaveCount(2);
  await expect(family.nth(0)).toContainText('見守 一郎（長男）');
  await expect(family.nth(0).getByTestId('family-contact-tel')).toHaveAttribute('href', 'tel:09011112222');
  await expect(family.nth(1)).toContainText('見守 花子（長女）');
  await expect(page.getByTestId('city-contact-tel')).toHaveAttribute('href', 'tel:0561882631');
  await expect(page.getByTestId('step-resident')).toHaveAttribute('data-current', 'true');
  await expect(page.getByTestId('alert-claim')).toBeVisible();
  await expectAccessible(page);

  // Claim: the signed-in user holds it now.
  const me = (await page.getByTestId('user-name').textContent())!.trim();
  await page.getByTestId('alert-claim').click();
  await expect(page.getByTestId('alert-mine')).toHaveText('あなたが担当しています。①から順に電話して、結果を記録してください。');
  await expect(page.getByTestId('alert-summary').getByTestId('alert-holder')).toHaveText(me);
  await expect(page.getByTestId('alert-summary').getByTestId('alert-state')).toHaveText('対応中');

  // ① the resident does not answer.
  await page.getByTestId('resident-no_answer').click();
  await expect(page.getByTestId('alert-feedback')).toHaveText('記録しました：本人に電話 — 応答なし');
  await expect(page.getByTestId('step-resident').getByTestId('recorded')).toContainText('本人に電話 — 応答なし');

  // ② the first family member does not answer either: the alert is at level ② now.
  await family.nth(0).getByTestId('family-no_answer').click();
  await expect(page.getByTestId('alert-feedback')).toHaveText('記録しました：見守 一郎 — 応答なし');
  await expect(page.getByTestId('alert-summary').getByTestId('alert-level').locator('[aria-current="step"]')).toHaveText('②家族');
  await expect(page.getByTestId('step-family')).toHaveAttribute('data-current', 'true');

  // ③ handed over to the city.
  await page.getByTestId('step-handover').click();
  await expect(page.getByTestId('alert-feedback')).toHaveText('記録しました：市に引き継ぎ');
  await expect(page.getByTestId('alert-summary').getByTestId('alert-state')).toHaveText('市が対応中');
  await expect(page.getByTestId('alert-summary').getByTestId('alert-level').locator('[aria-current="step"]')).toHaveText('③市');
  await expect(page.getByTestId('step-handover')).toBeDisabled();

  // A note needs text; then it is kept.
  await page.getByTestId('alert-note-submit').click();
  await expect(page.getByTestId('alert-note-error')).toHaveText('メモを入力してください。');
  await page.getByTestId('alert-note').fill('市の担当者が15時に訪問予定');
  await page.getByTestId('alert-note-submit').click();
  await expect(page.getByTestId('alert-feedback')).toHaveText('記録しました：メモ');

  // Closing needs an outcome.
  await page.getByTestId('alert-close-submit').click();
  await expect(page.getByTestId('alert-close-error')).toHaveText('対応の結果を選んでください。');
  await expect(page.getByTestId('alert-close-outcome')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('alert-summary').getByTestId('alert-state')).toHaveText('市が対応中');
  await page.getByTestId('alert-close-outcome').selectOption('city_handled');
  await page.getByTestId('alert-close-note').fill('訪問して無事を確認');
  await page.getByTestId('alert-close-submit').click();
  await expect(page.getByTestId('alert-feedback')).toHaveText('対応を終了しました（市が対応）。');
  await expect(page.getByTestId('alert-summary').getByTestId('alert-state')).toHaveText('終了');
  await expect(page.getByTestId('alert-outcome')).toContainText('市が対応');
  await expect(page.getByTestId('alert-closed')).toBeVisible();
  await expect(page.getByTestId('alert-close-submit')).toHaveCount(0);
  await expect(page.getByTestId('resident-fine')).toBeDisabled();

  // The history: every step in order, with who did it and the outcome in words.
  await expect
    .poll(() => historyActions(page))
    .toEqual([
      'opened:',
      'claim:',
      'call_resident:no_answer',
      'call_family:no_answer',
      'handover_city:',
      'note:',
      'close:city_handled',
    ]);
  const steps = page.getByTestId('alert-history-step');
  await expect(steps.nth(0).getByTestId('history-actor')).toHaveText('システム');
  await expect(steps.nth(0).getByTestId('history-action')).toHaveText('アラート発生');
  await expect(steps.nth(1).getByTestId('history-actor')).toHaveText(me);
  await expect(steps.nth(2).getByTestId('history-action')).toHaveText('本人に電話');
  await expect(steps.nth(2).getByTestId('history-outcome')).toHaveText('応答なし');
  await expect(steps.nth(3).getByTestId('history-target')).toHaveText('1. 見守 一郎（長男）');
  await expect(steps.nth(3).getByTestId('history-outcome')).toHaveText('応答なし');
  await expect(steps.nth(4).getByTestId('history-action')).toHaveText('市に引き継ぎ');
  await expect(steps.nth(5).getByTestId('history-note')).toHaveText('市の担当者が15時に訪問予定');
  await expect(steps.nth(6).getByTestId('history-action')).toHaveText('対応終了');
  await expect(steps.nth(6).getByTestId('history-outcome')).toHaveText('市が対応');
  await expect(steps.nth(6).getByTestId('history-note')).toHaveText('訪問して無事を確認');
  for (let i = 0; i < 7; i++) await expect(steps.nth(i).getByTestId('history-time')).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
  await expectAccessible(page);

  // The server agrees, and the worklist no longer shows it among the open ones.
  const [closed] = await householdAlerts(page.request, household.household, 'all');
  expect(closed.state).toBe('closed');
  await page.getByTestId('alert-back').click();
  await expect(page.getByTestId('alerts-page')).toBeVisible();
  await expect(page.getByTestId('alert-card').first()).toBeVisible();
  await expect(card(page, alert.id)).toHaveCount(0);
  await page.getByTestId('alerts-filter-all').click();
  await expect(page).toHaveURL(/[?&]state=all/);
  await expect(card(page, alert.id)).toHaveAttribute('data-state', 'closed');
  await expect(card(page, alert.id).getByTestId('alert-state')).toHaveText('終了');
});

adminTest('a second operator who claims the same alert is told it is already taken', async ({ page, browser, baseURL }) => {
  const household = await createSensorHousehold(page.request, CALL_SHEET);
  const alert = await openHeatAlert(page.request, household);

  // The demo's call operator opens the alert too, but their page hears no live updates, as if both
  // pressed "take" at about the same moment.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const other = await context.newPage();
  const otherErrors = watchPage(other);
  const operator = await useDemoSession(other, baseURL, OPERATOR);
  await other.route('**/api/v1/events', (route) => route.abort());
  await other.goto(`/watch/alerts/${alert.id}`);
  await expect(other.getByTestId('alert-detail')).toBeVisible();
  await expect(other.getByTestId('alert-claim')).toBeVisible();
  // A call operator records calls only on an alert they hold.
  await expect(other.getByTestId('alert-claim-first')).toBeVisible();
  await expect(other.getByTestId('resident-fine')).toBeDisabled();

  // The admin takes it first.
  await page.goto(`/watch/alerts/${alert.id}`);
  await page.getByTestId('alert-claim').click();
  await expect(page.getByTestId('alert-mine')).toBeVisible();
  const me = (await page.getByTestId('user-name').textContent())!.trim();

  // The operator's "take" is refused by the server (409 already_claimed), said in Japanese; the page
  // then shows who has it.
  await other.getByTestId('alert-claim').click();
  const error = other.getByTestId('alert-error');
  await expect(error).toHaveAttribute('data-code', 'already_claimed');
  await expect(error).toHaveText('ほかのオペレーターがすでにこのアラートを担当しています。画面を最新の状態にしました。');
  await expect(other.getByTestId('alert-held')).toHaveText(`${me}さんが担当しています。`);
  await expect(other.getByTestId('alert-claim')).toHaveCount(0);
  await expect(other.getByTestId('alert-claim-first')).toHaveText(`${me}さんが担当しています。`);
  await expect(other.getByTestId('resident-no_answer')).toBeDisabled();
  await expectAccessible(other);

  // The server refuses the operator's calls too (409 not_claimed).
  const csrf = await csrfToken(other.request);
  const refused = await other.request.post(`/api/v1/watch/alerts/${alert.id}/steps`, {
    data: { action: 'call_resident', outcome: 'fine' },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_claimed');

  // The operator's worklist shows the admin as the holder.
  await other.goto('/watch/alerts');
  await expect(card(other, alert.id).getByTestId('alert-holder')).toHaveText(`対応者：${me}`);
  expect(operator.role).toBe('call_operator');
  expect(otherErrors).toEqual([]);
  await context.close();
});

adminTest('an alert opened while the worklist is open pops up with a chime, and the list refreshes', async ({ page }) => {
  // Count the beeps the page makes (Web Audio oscillators started).
  await page.addInitScript(() => {
    const w = window as unknown as { __beeps: number };
    w.__beeps = 0;
    if (typeof OscillatorNode !== 'undefined') {
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
        w.__beeps += 1;
        return start.apply(this, args);
      };
    }
  });
  const household = await createSensorHousehold(page.request, CALL_SHEET);

  await page.goto('/watch/alerts');
  await expect(page.getByTestId('alert-card').first()).toBeVisible();
  await expect(page.getByTestId('connection-dot')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('alerts-sound')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('alerts-sound')).toHaveText('通知音：オン');
  // Browsers play sound only after the user has touched the page.
  await page.getByTestId('page-title').click();
  await expect(page.getByTestId('alert-popup')).toHaveCount(0);
  const beepsBefore = await page.evaluate(() => (window as unknown as { __beeps: number }).__beeps);

  const alert = await openHeatAlert(page.request, household);

  const popup = page.locator(`[data-testid="alert-popup"][data-alert="${alert.id}"]`);
  await expect(popup).toBeVisible({ timeout: 15_000 });
  await expect(popup).toHaveAttribute('role', 'alert');
  await expect(popup).toHaveAttribute('data-reason', 'new');
  await expect(popup).toContainText('新しいアラート');
  await expect(popup.getByTestId('alert-popup-what')).toContainText(`${household.name}さん`);
  await expect(popup.getByTestId('alert-popup-what')).toContainText('熱中症の危険（緊急度 高）');
  await expect(popup.getByTestId('alert-popup-text')).toHaveText(alert.text);
  await expect(popup).toHaveAttribute('data-sound', 'played');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __beeps: number }).__beeps))
    .toBeGreaterThanOrEqual(beepsBefore + 2);
  // The list has it too, in urgency order.
  await expect(card(page, alert.id)).toBeVisible();
  const urgencies = await page.getByTestId('alert-card').evaluateAll((all) => all.map((c) => Number(c.getAttribute('data-urgency'))));
  expect(urgencies).toEqual([...urgencies].sort((a, b) => b - a));
  await expectAccessible(page);

  // Sound off: the next new alert pops up silently.
  await page.getByTestId('alerts-sound').click();
  await expect(page.getByTestId('alerts-sound')).toHaveAttribute('aria-pressed', 'false');
  await popup.getByTestId('alert-popup-dismiss').click();
  await expect(popup).toHaveCount(0);
  const quiet = await createSensorHousehold(page.request, CALL_SHEET);
  const second = await openHeatAlert(page.request, quiet);
  const popup2 = page.locator(`[data-testid="alert-popup"][data-alert="${second.id}"]`);
  await expect(popup2).toBeVisible({ timeout: 15_000 });
  await expect(popup2).toHaveAttribute('data-sound', 'off');
  await page.getByTestId('alerts-sound').click();
  await expect(page.getByTestId('alerts-sound')).toHaveAttribute('aria-pressed', 'true');

  // "対応する" opens the alert.
  await popup2.getByTestId('alert-popup-open').click();
  await expect(page).toHaveURL(new RegExp(`/watch/alerts/${second.id}$`));
  await expect(page.getByTestId('alert-detail')).toBeVisible();
});

adminTest('home and menu lead to the worklist; an unknown alert is "not found"', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home-shortcuts').getByTestId('part-card-watch-alerts')).toBeVisible();
  await expect(page.getByTestId('part-card-family')).toHaveCount(0);
  await expect(page.getByTestId('nav-family')).toHaveCount(0);
  await page.getByTestId('part-card-watch-alerts').click();
  await expect(page).toHaveURL(/\/watch\/alerts$/);
  await expect(page.getByTestId('alerts-page')).toBeVisible();

  await page.goto('/watch/alerts/99999999');
  await expect(page.getByTestId('alert-not-found')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('このアラートは見つかりません');
  await expectAccessible(page);
});

adminTest.describe('phone, 375 × 812', () => {
  adminTest.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  adminTest('worklist and alert detail fit the screen with large touch targets', async ({ page }) => {
    const household = await createSensorHousehold(page.request, CALL_SHEET);
    const alert = await openHeatAlert(page.request, household);

    await page.goto('/watch/alerts');
    const mine = card(page, alert.id);
    await expect(mine).toBeVisible();
    expect((await mine.boundingBox())!.width, 'a card spans the screen').toBeGreaterThan(320);
    for (const id of ['alert-open', 'alert-phone']) {
      const box = await mine.getByTestId(id).boundingBox();
      expect(box && box.height >= 44 && box.width >= 44, `${id} is a large touch target`).toBeTruthy();
    }
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    await mine.getByTestId('alert-open').click();
    await expect(page.getByTestId('alert-detail')).toBeVisible();
    const claim = await page.getByTestId('alert-claim').boundingBox();
    expect(claim && claim.height >= 56 && claim.width > 300, 'the claim button is big').toBeTruthy();
    await page.getByTestId('alert-claim').click();
    await expect(page.getByTestId('alert-mine')).toBeVisible();
    await page.getByTestId('resident-no_answer').click();
    await expect(page.getByTestId('alert-feedback')).toContainText('応答なし');
    // The three results of the call side by side, each a large target; calling and the other steps span the screen.
    for (const id of ['resident-fine', 'resident-needs_help', 'resident-no_answer']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box && box.height >= 56 && box.width >= 90, `${id} is a big button`).toBeTruthy();
    }
    for (const id of ['step-resident-tel', 'step-handover', 'call119-submit', 'alert-close-submit']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box && box.height >= 48 && box.width > 300, `${id} is a big, full-width button`).toBeTruthy();
    }
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'alert-detail-phone.png'), fullPage: true });
  });
});

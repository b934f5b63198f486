import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, expect, expectAccessible, test } from '../helpers/app';
import { horizontalOverflow, PHONE, signedInActor, withActor, type Actor } from '../helpers/emergency';
import * as insight from '../helpers/insight';

// Life-rhythm analytics with the demo town's 30 sensor households and 90 days of history. The
// household with short stays on Friday and Saturday is put on the team of the demo doctor
// (dr.kato, 加藤 誠), who opens its analysis from the patient's page, changes the period and the
// cohort, downloads the CSV and marks a recorded finding as discussed; on a phone too. A call
// operator (op.takeuchi) may not see it. The tests share the doctor's browser, so they run in order.
const DOCTOR = { username: 'dr.kato', name: '加藤 誠' };

let doctor: Actor | null = null;
let resident: insight.WatchedResident | null = null;

/** The numbers an SVG chart was drawn from (its bars', dots' or marks' data-value), in order. */
async function drawn(scope: Locator, selector: string): Promise<number[]> {
  // Legend swatches share the classes but carry no value.
  return scope
    .locator(selector)
    .evaluateAll((all) => all.filter((el) => el.hasAttribute('data-value')).map((el) => Number(el.getAttribute('data-value'))));
}

/** The period and cohort the page shows, as the summary line carries them. */
async function shown(page: Page): Promise<{ from: string; to: string; cohort: string }> {
  const summary = page.getByTestId('insight-summary');
  await expect(page.getByTestId('insight-body')).toHaveAttribute('aria-busy', 'false');
  return {
    from: (await summary.getAttribute('data-from')) ?? '',
    to: (await summary.getAttribute('data-to')) ?? '',
    cohort: (await summary.getAttribute('data-cohort')) ?? '',
  };
}

/** Every chart of the page says what the server computed for the period and cohort shown. */
async function expectCharts(page: Page, profile: insight.Profile): Promise<void> {
  const hour = page.getByTestId('insight-hour-svg');
  expect(await drawn(hour, 'rect.ins-person-bar')).toEqual(profile.hourly);
  expect(await drawn(hour, 'circle.ins-cohort-dot')).toEqual(profile.cohort.hourly);
  const weekday = page.getByTestId('insight-weekday-svg');
  expect(await drawn(weekday, 'rect.ins-person-bar')).toEqual(profile.weekday);
  expect(await drawn(weekday, 'g.ins-mark')).toEqual(profile.cohort.weekday_mean);
  expect(await drawn(page.getByTestId('insight-heat-svg'), 'rect.ins-heat-cell')).toEqual(profile.by_hour_weekday.flat());
  expect(await drawn(page.getByTestId('insight-weekly-svg'), 'rect.ins-person-bar')).toEqual(profile.weekly.map((w) => w.openings));
  await expect(page.getByTestId('insight-finding')).toHaveCount(profile.findings.length);
}

test.describe.serial('life-rhythm analysis', () => {
  test.afterAll(async () => {
    if (doctor) await doctor.context.close();
  });

  test('a care-team doctor opens the analysis of a watched patient from the patient page', async ({ browser, baseURL, adminState }) => {
    const admin = await browser.newContext({ baseURL, storageState: adminState });
    try {
      resident = await insight.findShortStayHousehold(admin.request);
      await insight.ensurePatientLedBy(admin.request, resident, DOCTOR.name);
    } finally {
      await admin.close();
    }
    doctor = await signedInActor(browser, baseURL, DOCTOR.username);
    const page = doctor.page;
    expect(await insight.hasPermission(page.request, 'insight.view'), 'a doctor may see the analysis').toBeTruthy();

    await page.goto(`/carenet/patients/${resident.person.id}/summary`);
    await expect(page.getByTestId('carenet-patient')).toBeVisible();
    await page.getByTestId('patient-insight').click();
    await expect(page).toHaveURL(new RegExp(`/insight/households/${resident.household}$`));
    await expect(page.getByTestId('page-title')).toHaveText('生活リズム分析');
    await expect(page.getByTestId('insight-person-name')).toHaveText(resident.person.name);
    await expect(page.getByTestId('insight-period-4w')).toBeChecked();

    // The last four weeks up to yesterday, compared with the whole municipality.
    const period = await shown(page);
    expect(period.cohort).toBe('tenant');
    expect(insight.addDays(period.to, -27)).toBe(period.from);
    const profile = await insight.getProfile(page.request, resident.household, period);
    await expect(page.getByTestId('insight-summary-period')).toContainText('28日間');
    await expectCharts(page, profile);

    // The seed's chart: the person's bars on the left axis, the cohort's line on the right, both named.
    const hour = page.getByTestId('insight-hour');
    await expect(hour.getByTestId('insight-hour-svg')).toContainText('本人（回）');
    await expect(hour.getByTestId('insight-hour-svg')).toContainText('全体の合計（回）');
    await expect(hour.getByTestId('insight-legend-person')).toContainText(resident.person.name);
    await expect(hour.getByTestId('insight-legend-cohort')).toContainText(`${profile.cohort.name}の合計（${profile.cohort.households}世帯）`);
    await expect(page.getByTestId('insight-hour-table')).toBeAttached();
    await page.getByTestId('insight-mode-mean').click();
    await expect(page.getByTestId('insight-mode-mean')).toHaveAttribute('aria-pressed', 'true');
    await expect(hour.getByTestId('insight-hour-svg')).toContainText('1世帯平均（回）');
    expect(await drawn(hour, 'circle.ins-cohort-dot')).toEqual(profile.cohort.hourly_mean);
    await page.getByTestId('insight-mode-sum').click();

    // Weekday bars Monday first, the heat map with its scale, and what the short stays leave behind.
    await expect(page.getByTestId('insight-weekday-svg')).toContainText('月火水木金土日');
    await expect(page.getByTestId('insight-heat-legend')).toContainText('0回');
    expect(profile.findings.length, 'the short stays give at least one finding').toBeGreaterThan(0);
    const first = page.getByTestId('insight-finding').first();
    await expect(first.getByTestId('insight-finding-text')).toHaveText(profile.findings[0].text);
    await expect(first.getByTestId('insight-finding-suggestion')).toHaveText(profile.findings[0].suggestion);
    await expect(page.getByTestId('insight-absent-day')).toHaveCount(profile.rhythm.absent_days.length);
    for (const day of profile.rhythm.absent_days) expect([4, 5]).toContain(insight.weekdayOf(day.date));
    await expect(page.getByTestId('insight-silent-day')).toHaveCount(profile.rhythm.silent_days.length);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'insight-desktop.png'), fullPage: true });

    // Printed: no menu or controls, the charts kept.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('nav')).toBeHidden();
    await expect(page.getByTestId('insight-controls')).toBeHidden();
    await expect(page.getByTestId('insight-print')).toBeHidden();
    await expect(page.getByTestId('insight-hour-svg')).toBeVisible();
    await page.pdf({ path: join(ARTIFACTS, 'insight-a4.pdf'), preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    expect(doctor.errors).toEqual([]);
  });

  test('the doctor changes the period and the cohort and downloads the CSV', async () => {
    expect(doctor && resident, 'the browser of the first test').toBeTruthy();
    const page = doctor!.page;
    const before = await shown(page);

    await page.getByTestId('insight-period-90d').check();
    await expect(page).toHaveURL(/[?&]period=90d/);
    await expect(page.getByTestId('insight-summary')).toHaveAttribute('data-from', insight.addDays(before.to, -89));
    await expect(page.getByTestId('insight-summary-period')).toContainText('90日間');
    await expectCharts(page, await insight.getProfile(page.request, resident!.household, await shown(page)));

    const cohorts = await insight.listCohorts(page.request);
    expect(cohorts[0]?.id, 'the whole municipality comes first').toBe('tenant');
    const other = cohorts.find((c) => c.id.startsWith('district:')) ?? cohorts.find((c) => c.id !== 'tenant');
    expect(other, 'a cohort besides the whole municipality').toBeTruthy();
    await page.getByTestId('insight-cohort').selectOption(other!.id);
    await expect(page).toHaveURL(new RegExp(`[?&]cohort=${encodeURIComponent(other!.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await expect(page.getByTestId('insight-summary')).toHaveAttribute('data-cohort', other!.id);
    await expect(page.getByTestId('insight-summary-cohort')).toContainText(other!.name);
    await expectCharts(page, await insight.getProfile(page.request, resident!.household, await shown(page)));

    // Two dates of one's own: two weeks up to the same day.
    await page.getByTestId('insight-period-custom').check();
    await page.getByTestId('insight-from').fill(insight.addDays(before.to, -13));
    await page.getByTestId('insight-to').fill(before.to);
    await page.getByTestId('insight-period-apply').click();
    await expect(page).toHaveURL(new RegExp(`[?&]from=${insight.addDays(before.to, -13)}&to=${before.to}`));
    await expect(page.getByTestId('insight-summary-period')).toContainText('14日間');
    const custom = await shown(page);
    expect(custom).toEqual({ from: insight.addDays(before.to, -13), to: before.to, cohort: other!.id });
    await expectCharts(page, await insight.getProfile(page.request, resident!.household, custom));
    // The end before the start is caught before asking the server.
    await page.getByTestId('insight-to').fill(insight.addDays(before.to, -20));
    await page.getByTestId('insight-period-apply').click();
    await expect(page.getByTestId('insight-period-error')).toBeVisible();
    await expect(page.getByTestId('insight-to')).toHaveAttribute('aria-invalid', 'true');

    // The CSV is the same profile: same query, a header line naming its columns.
    const link = page.getByTestId('insight-csv');
    const href = (await link.getAttribute('href')) ?? '';
    expect(new URL(href, 'http://x').searchParams.get('from')).toBe(custom.from);
    expect(new URL(href, 'http://x').searchParams.get('cohort')).toBe(other!.id);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const header = text.split(/\r?\n/)[0];
    expect(header.split(',').length, `CSV header: ${header}`).toBeGreaterThan(1);
    expect(header, 'a header, not data').not.toMatch(/^\d/);
    const response = await page.request.get(href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    expect(doctor!.errors).toEqual([]);
  });

  test('the doctor marks a recorded finding as discussed, with a note', async () => {
    expect(doctor && resident, 'the browser of the first test').toBeTruthy();
    const page = doctor!.page;
    await page.goto(`/insight/households/${resident!.household}`);
    const recorded = page.getByTestId('insight-recorded');
    await expect(recorded.getByTestId('insight-recorded-count').or(recorded.getByTestId('insight-recorded-none'))).toBeVisible();
    const open = page.locator('[data-testid="insight-recorded-finding"][data-discussed="false"]');
    // The demo town runs the daily analysis when it is made: the short stays are recorded.
    expect(await open.count(), 'an undiscussed recorded finding').toBeGreaterThan(0);
    expect(await insight.hasPermission(page.request, 'insight.discuss'), 'a care-team doctor discusses findings').toBe(true);

    const item = open.first();
    const id = await item.getAttribute('data-id');
    await item.getByTestId('insight-discuss-open').click();
    const dialog = page.getByTestId('insight-discuss-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('insight-discuss-submit').click();
    await expect(dialog.getByTestId('insight-discuss-note-error')).toBeVisible();
    const note = `次回訪問時に本人と確認する（e2e ${Date.now()}）`;
    await dialog.getByTestId('insight-discuss-note').fill(note);
    await expectAccessible(page);
    await dialog.getByTestId('insight-discuss-submit').click();
    await expect(dialog).toBeHidden();

    const done = page.locator(`[data-testid="insight-recorded-finding"][data-id="${id}"]`);
    await expect(done).toHaveAttribute('data-discussed', 'true');
    await expect(done.getByTestId('insight-discussed-by')).toContainText(DOCTOR.name);
    await expect(done.getByTestId('insight-discussed-note')).toHaveText(note);
    // Kept by the server.
    await page.reload();
    await expect(page.locator(`[data-testid="insight-recorded-finding"][data-id="${id}"]`)).toHaveAttribute('data-discussed', 'true');
    expect(doctor!.errors).toEqual([]);
  });

  test('on a 375 px phone the page does not scroll sideways; the heat map scrolls in its box', async ({ browser, baseURL }) => {
    expect(resident, 'the household of the first test').toBeTruthy();
    await withActor(browser, baseURL, DOCTOR.username, PHONE, async (page) => {
      await page.goto(`/insight/households/${resident!.household}`);
      await expect(page.getByTestId('insight-hour-svg')).toBeVisible();
      await expect(page.getByTestId('insight-heat-svg')).toBeVisible();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      const box = page.getByTestId('insight-heat-box');
      const [scrollWidth, clientWidth] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(scrollWidth, 'the heat map keeps readable cells and scrolls inside its box').toBeGreaterThan(clientWidth);
      // Chart type stays readable and the controls are large enough for a thumb.
      const sizes = await page.getByTestId('insight-hour-svg').locator('text').evaluateAll((all) => all.map((t) => Number(t.getAttribute('font-size'))));
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
      for (const id of ['insight-period-90d', 'insight-mode-mean', 'insight-print']) {
        const target = id.startsWith('insight-period') ? page.getByTestId(id).locator('xpath=..') : page.getByTestId(id);
        const rect = await target.boundingBox();
        expect(rect && rect.height >= 44, `${id} is a large touch target`).toBeTruthy();
      }
      await page.getByTestId('insight-period-1y').check();
      await expect(page.getByTestId('insight-summary-period')).toContainText('365日間');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      await page.screenshot({ path: join(ARTIFACTS, 'insight-phone.png'), fullPage: true });
    });
  });
});

test('a call operator sees no link to the analysis and is denied the page', async ({ browser, baseURL }) => {
  await withActor(browser, baseURL, 'op.takeuchi', {}, async (page) => {
    expect(await insight.hasPermission(page.request, 'insight.view'), 'a call operator may not see the analysis').toBeFalsy();
    await page.goto('/watch');
    const tiles = page.getByTestId('watch-tile');
    await expect(tiles.first()).toBeVisible();
    await expect(page.getByTestId('watch-tile-insight')).toHaveCount(0);
    const household = await tiles.first().getAttribute('data-household');

    await page.goto(`/insight/households/${household}`);
    await expect(page.getByTestId('denied')).toBeVisible();
    await expect(page.getByTestId('insight-page')).toHaveCount(0);
    expect((await page.request.get(`/api/v1/insight/households/${household}/profile?from=2026-01-05&to=2026-02-01`)).status()).toBe(403);
    await expectAccessible(page);
  });
});

test('a family member is denied the analysis of their relative', async ({ browser, baseURL }) => {
  await withActor(browser, baseURL, 'fam.ito.hanako', PHONE, async (page) => {
    expect(await insight.hasPermission(page.request, 'insight.view')).toBeFalsy();
    const { relatives } = (await (await page.request.get('/api/v1/family/relatives')).json()) as { relatives: { person: number; watch_over: boolean }[] };
    const watched = relatives.find((r) => r.watch_over);
    expect(watched, 'the demo family member has a watched relative').toBeTruthy();
    const summary = (await (await page.request.get(`/api/v1/watch/persons/${watched!.person}/summary`)).json()) as { today: { id: number } };
    await page.goto('/family');
    await expect(page.getByTestId('relative-summary').first()).toBeVisible();
    await expect(page.locator('a[href^="/insight/"]')).toHaveCount(0);

    await page.goto(`/insight/households/${summary.today.id}`);
    await expect(page.getByTestId('denied')).toBeVisible();
    expect((await page.request.get(`/api/v1/insight/households/${summary.today.id}/findings`)).status()).toBe(403);
  });
});

test('a city officer opens an analysis from a status tile when the role allows it', async ({ browser, baseURL }) => {
  await withActor(browser, baseURL, 'co.hayashi', {}, async (page) => {
    const allowed = await insight.hasPermission(page.request, 'insight.view');
    await page.goto('/watch');
    const tile = page.getByTestId('watch-tile').first();
    await expect(tile).toBeVisible();
    if (!allowed) {
      await expect(page.getByTestId('watch-tile-insight')).toHaveCount(0);
      return;
    }
    const household = await tile.getAttribute('data-household');
    await tile.getByTestId('watch-tile-insight').click();
    await expect(page).toHaveURL(new RegExp(`/insight/households/${household}$`));
    await expect(page.getByTestId('insight-hour-svg')).toBeVisible();
    await expect(page.getByTestId('insight-findings')).toBeVisible();
    // Without insight.discuss there is no button to mark a finding.
    if (!(await insight.hasPermission(page.request, 'insight.discuss'))) await expect(page.getByTestId('insight-discuss-open')).toHaveCount(0);
    await expectAccessible(page);
  });
});

import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { ARTIFACTS, expect, expectAccessible, familyTest, test } from '../helpers/app';
import { useDemoSession } from '../helpers/demo';

/** A demo family member whose mother lives alone with a watch-over sensor (printed by `moyakko demo`). */
const DEMO_FAMILY = 'fam.ito.hanako';

const STATE_TITLES: Record<string, string> = {
  ok: 'いつも通りです',
  attention: '少し気になる点があります',
  alert: 'いつもと違うようすがあり、確認しています',
  offline: 'センサーから連絡が届いていません',
};

interface Relative {
  person: number;
  name: string;
  relationship: string;
  watch_over: boolean;
}

interface Summary {
  today: { state: string; door_openings_today: number; temperature: number | null; humidity: number | null; last_upload: string | null };
  days: { date: string; door_openings: number }[];
  alerts: { id: number; state: string; outcome: string | null; text: string }[];
}

async function getJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path);
  expect(response.status(), `GET ${path}`).toBe(200);
  return (await response.json()) as T;
}

familyTest('a family member linked to nobody: the family card on home, an empty family page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home')).toBeVisible();
  const shortcut = page.getByTestId('home-shortcuts').getByTestId('part-card-family');
  await expect(shortcut).toBeVisible();
  await expect(shortcut).toContainText('家族の見守り');
  await expect(page.getByTestId('nav-family')).toBeAttached();
  await expect(page.getByTestId('nav-watch-alerts')).toHaveCount(0);
  await expect(page.getByTestId('part-card-watch-alerts')).toHaveCount(0);

  await shortcut.click();
  await expect(page).toHaveURL(/\/family$/);
  await expect(page.getByTestId('family-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('家族の見守り');
  await expect(page.getByTestId('family-empty')).toContainText('見守りの対象として登録されたご家族はまだいません');
  await expect(page.getByTestId('relative')).toHaveCount(0);
  await expectAccessible(page);

  // The call centre's pages are not for family members.
  await page.goto('/watch/alerts');
  await expect(page.getByTestId('denied')).toBeVisible();
  expect((await page.request.get('/api/v1/watch/alerts')).status()).toBe(403);
});

familyTest('relatives as the server describes them: state in words, seven bars, alert outcomes in plain Japanese', async ({ page }) => {
  // Answered by the test, to show every kind of relative and alert outcome.
  const relatives: Relative[] = [
    { person: 9001, name: '瀬戸 はな', relationship: '長女', watch_over: true },
    { person: 9002, name: '瀬戸 一郎', relationship: '次男', watch_over: false },
  ];
  const days = ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04', '2026-07-05', '2026-07-06', '2026-07-07'];
  const counts = [24, 30, 0, 18, 27, 22, 9];
  const summary = {
    today: {
      id: 77,
      person: 9001,
      name: '瀬戸 はな',
      kana: 'セト ハナ',
      district: '追分町',
      state: 'alert',
      last_upload: new Date(Date.now() - 5 * 60_000).toISOString(),
      door_openings_today: 9,
      temperature: 33.4,
      humidity: 71,
      battery: 80,
      open_alerts: 1,
    },
    days: days.map((date, i) => ({ date, door_openings: counts[i] })),
    alerts: [
      { id: 5, kind: 'heat', text: '室温33.4℃・湿度71%：熱中症の危険があります', state: 'claimed', opened_at: '2026-07-07T03:00:00Z', closed_at: null, outcome: null },
      { id: 4, kind: 'no_activity', text: '6:00以降、冷蔵庫の開閉がありません', state: 'closed', opened_at: '2026-07-05T03:00:00Z', closed_at: '2026-07-05T04:00:00Z', outcome: 'resident_fine' },
      { id: 3, kind: 'heat', text: '熱中症の危険', state: 'closed', opened_at: '2026-07-03T03:00:00Z', closed_at: '2026-07-03T05:00:00Z', outcome: 'transported' },
      { id: 2, kind: 'missed_upload', text: '定時送信が届いていません', state: 'closed', opened_at: '2026-07-02T03:00:00Z', closed_at: '2026-07-02T04:00:00Z', outcome: 'false_alarm' },
    ],
  };
  await page.route('**/api/v1/family/relatives', (route) => route.fulfill({ json: { relatives } }));
  await page.route('**/api/v1/watch/persons/9001/summary', (route) => route.fulfill({ json: summary }));

  await page.goto('/family');
  const cards = page.getByTestId('relative');
  await expect(cards).toHaveCount(2);
  const hana = cards.nth(0);
  await expect(hana.getByTestId('relative-name')).toHaveText('瀬戸 はな');
  await expect(hana.getByTestId('relative-relationship')).toHaveText('あなたの続柄：長女');
  await expect(hana.getByTestId('relative-state')).toHaveAttribute('data-state', 'alert');
  await expect(hana.getByTestId('relative-state-title')).toHaveText(STATE_TITLES.alert);
  await expect(hana.getByTestId('relative-state')).toContainText('コールセンターが確認しています');
  await expect(hana.getByTestId('relative-last-upload-ago')).toHaveText('5分前');
  await expect(hana.getByTestId('relative-openings-value')).toHaveText('9回');
  await expect(hana.getByTestId('relative-temperature-value')).toHaveText('33.4℃');
  await expect(hana.getByTestId('relative-humidity-value')).toHaveText('71%');

  const bars = hana.getByTestId('week-day');
  await expect(bars).toHaveCount(7);
  expect(await bars.evaluateAll((all) => all.map((b) => Number(b.getAttribute('data-count'))))).toEqual(counts);
  expect(await bars.evaluateAll((all) => all.map((b) => b.getAttribute('data-date')))).toEqual(days);
  await expect(bars.nth(0)).toContainText('7月1日水曜日：24回');
  await expect(bars.nth(0).getByTestId('week-label')).toHaveText('7/1(水)');
  await expect(bars.nth(6)).toContainText('今日 7月7日火曜日：9回');
  await expect(bars.nth(6).getByTestId('week-label')).toHaveText('今日');
  // Bar heights follow the counts: the busiest day is the tallest, an empty day has no bar.
  const heights = await bars.evaluateAll((all) => all.map((b) => Number(b.querySelector('rect')!.getAttribute('height'))));
  expect(heights[1]).toBe(Math.max(...heights));
  expect(heights[2]).toBe(0);
  expect(heights[6]).toBeLessThan(heights[0]);

  const alerts = hana.getByTestId('relative-alert');
  await expect(alerts).toHaveCount(4);
  await expect(alerts.nth(0).getByTestId('relative-alert-status')).toHaveText('コールセンターが確認しています');
  await expect(alerts.nth(1).getByTestId('relative-alert-status')).toHaveText('ご本人の無事を確認しました');
  await expect(alerts.nth(2).getByTestId('relative-alert-status')).toHaveText('救急車で病院へ運ばれました');
  await expect(alerts.nth(3).getByTestId('relative-alert-status')).toHaveText('確認の結果、問題はありませんでした');
  await expect(alerts.nth(1).getByTestId('relative-alert-text')).toHaveText('6:00以降、冷蔵庫の開閉がありません');

  const ichiro = cards.nth(1);
  await expect(ichiro.getByTestId('relative-no-sensor')).toHaveText('みまもりセンサーは設置されていません。');
  await expect(ichiro.getByTestId('relative-summary')).toHaveCount(0);
  // Read-only: nothing on the page changes anything.
  await expect(page.getByTestId('family-page').locator('button, form')).toHaveCount(0);
  await expectAccessible(page);
});

test.describe('phone, 375 × 812', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('a demo family member sees their mother as the server reports her', async ({ page, baseURL }) => {
    await useDemoSession(page, baseURL, DEMO_FAMILY);
    await expect(page.getByTestId('home-shortcuts').getByTestId('part-card-family')).toBeVisible();
    await page.getByTestId('part-card-family').click();
    await expect(page.getByTestId('family-page')).toBeVisible();

    const { relatives } = await getJson<{ relatives: Relative[] }>(page, '/api/v1/family/relatives');
    expect(relatives.length, 'the demo family member has a relative').toBeGreaterThan(0);
    const cards = page.getByTestId('relative');
    await expect(cards).toHaveCount(relatives.length);

    for (const [i, relative] of relatives.entries()) {
      const relativeCard = cards.nth(i);
      await expect(relativeCard).toHaveAttribute('data-person', String(relative.person));
      await expect(relativeCard.getByTestId('relative-name')).toHaveText(relative.name);
      if (!relative.watch_over) {
        await expect(relativeCard.getByTestId('relative-no-sensor')).toBeVisible();
        continue;
      }
      const summary = await getJson<Summary>(page, `/api/v1/watch/persons/${relative.person}/summary`);
      await expect(relativeCard.getByTestId('relative-state')).toHaveAttribute('data-state', summary.today.state);
      await expect(relativeCard.getByTestId('relative-state-title')).toHaveText(STATE_TITLES[summary.today.state]);
      await expect(relativeCard.getByTestId('relative-openings-value')).toHaveText(`${summary.today.door_openings_today}回`);
      if (summary.today.temperature !== null) {
        await expect(relativeCard.getByTestId('relative-temperature-value')).toHaveText(
          `${new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 1 }).format(summary.today.temperature)}℃`,
        );
      }
      const bars = relativeCard.getByTestId('week-day');
      await expect(bars).toHaveCount(summary.days.length);
      expect(await bars.evaluateAll((all) => all.map((b) => Number(b.getAttribute('data-count'))))).toEqual(
        summary.days.map((d) => d.door_openings),
      );
      if (summary.alerts.length === 0) {
        await expect(relativeCard.getByTestId('relative-alerts-none')).toHaveText('最近のお知らせはありません。');
      } else {
        await expect(relativeCard.getByTestId('relative-alert')).toHaveCount(Math.min(summary.alerts.length, 5));
      }
    }

    // Another person's summary is not theirs to see.
    const strangerId = [4, 5, 6].find((id) => !relatives.some((r) => r.person === id));
    const stranger = await page.request.get(`/api/v1/watch/persons/${strangerId}/summary`);
    expect([403, 404]).toContain(stranger.status());

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const bar = await cards.first().getByTestId('week-bars').boundingBox();
    if (bar) expect(bar.width).toBeLessThanOrEqual(375);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'family-phone.png'), fullPage: true });
  });
});

import type { Page, Route } from '@playwright/test';
import { join } from 'node:path';
import { adminTest, ARTIFACTS, expect, expectAccessible, familyTest } from '../helpers/app';
import {
  awayFromMidnight,
  createSensorHousehold,
  doorOpenings,
  ingest,
  secondsAgo,
  toHiragana,
  type SensorHousehold,
} from '../helpers/watch';

const STATE_LABELS: Record<string, string> = { ok: '正常', attention: '注意', alert: '通報中', offline: '未受信' };
const SEVERITY = ['alert', 'attention', 'offline', 'ok'];

async function tileStates(page: Page): Promise<string[]> {
  return page.getByTestId('watch-tile').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-state') ?? ''));
}

/** "1,234" → 1234 */
function countOf(text: string | null): number {
  return Number((text ?? '').replace(/,/g, ''));
}

function expectMostUrgentFirst(states: string[]): void {
  const ranks = states.map((state) => SEVERITY.indexOf(state));
  expect(ranks.every((rank) => rank >= 0), `known states: ${states.join(',')}`).toBeTruthy();
  expect(ranks, 'alert, attention, offline, then ok').toEqual([...ranks].sort((a, b) => a - b));
}

/**
 * A household with today's readings that need no attention and open no alert: 3 door openings,
 * 24.5 °C, 55 %, battery 60 % (→ ok; the battery is shown only when low).
 */
async function householdWithReadings(page: Page): Promise<SensorHousehold> {
  await awayFromMidnight();
  const household = await createSensorHousehold(page.request);
  await ingest(page.request, household, [
    ...doorOpenings(3, 1),
    { seq: 20, at: secondsAgo(20), kind: 'temperature', value: 24.5 },
    { seq: 21, at: secondsAgo(20), kind: 'humidity', value: 55 },
    { seq: 22, at: secondsAgo(20), kind: 'battery', value: 60 },
  ]);
  return household;
}

adminTest('status tiles: labels, most urgent first, exact readings, live update, state filter', async ({ page }) => {
  const mine = await householdWithReadings(page);

  await page.goto('/watch');
  await expect(page.getByTestId('watch-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('見守り ステータス一覧');
  const tiles = page.getByTestId('watch-tile');
  await expect(tiles.first()).toBeVisible();
  await expect(tiles.first().getByTestId('watch-tile-state')).toHaveText(/^(正常|注意|通報中|未受信)$/);
  await expect(page.getByTestId('watch-as-of')).toContainText('時点');

  // Every tile says its state in words (not colour alone); the order is most urgent first.
  const states = await tileStates(page);
  expectMostUrgentFirst(states);
  const count = await tiles.count();
  for (let i = 0; i < Math.min(count, 40); i++) {
    const tile = tiles.nth(i);
    await expect(tile.getByTestId('watch-tile-state')).toHaveText(STATE_LABELS[states[i]]);
  }
  // The "all" chip counts every household; up to 100 are on the first page.
  const all = countOf(await page.getByTestId('watch-chip-all').getByTestId('watch-chip-count').textContent());
  expect(all).toBeGreaterThanOrEqual(1);
  expect(count).toBe(Math.min(all, 100));
  await expect(page.getByTestId('watch-count')).toHaveText(`${all.toLocaleString('ja-JP')}世帯中 ${count}世帯を表示`);

  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'watch-desktop.png'), fullPage: true });

  // Search by kana (typed in hiragana): only the household made above, with its exact readings.
  await page.getByTestId('watch-search').fill(toHiragana(mine.givenKana));
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(toHiragana(mine.givenKana))}`));
  await expect(tiles).toHaveCount(1);
  const tile = tiles.first();
  await expect(tile).toHaveAttribute('data-household', String(mine.household));
  await expect(tile.getByTestId('watch-tile-name')).toHaveText(mine.name);
  await expect(tile.getByTestId('watch-tile-kana')).toHaveText(mine.kana);
  await expect(tile).toHaveAttribute('data-state', 'ok');
  await expect(tile.getByTestId('watch-tile-state')).toHaveText('正常');
  await expect(tile.getByTestId('watch-door-value')).toHaveText('3回');
  await expect(tile.getByTestId('watch-temperature-value')).toHaveText('24.5℃');
  await expect(tile.getByTestId('watch-humidity-value')).toHaveText('55%');
  await expect(tile.getByTestId('watch-battery')).toHaveCount(0);
  await expect(tile.getByTestId('watch-alerts')).toHaveCount(0);
  const lastUpload = tile.getByTestId('watch-last-upload-time');
  await expect(lastUpload).toHaveText(/^(たった今|\d+分前)$/);
  await expect(lastUpload).toHaveAttribute('title', /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
  await expect(page.getByTestId('watch-chip-ok').getByTestId('watch-chip-count')).toHaveText('1');
  await expect(page.getByTestId('watch-chip-attention').getByTestId('watch-chip-count')).toHaveText('0');
  await expect(page.getByTestId('watch-chip-all').getByTestId('watch-chip-count')).toHaveText('1');

  // "Refresh now" asks the server again: a later "as of".
  const asOf = await page.getByTestId('watch-as-of').getAttribute('datetime');
  await page.waitForTimeout(1100);
  await page.getByTestId('watch-refresh').click();
  await expect(page.getByTestId('watch-as-of')).not.toHaveAttribute('datetime', asOf ?? '');

  // Live: two more openings reach the page through the event stream, without a reload.
  await ingest(page.request, mine, doorOpenings(2, 100));
  await expect(tile.getByTestId('watch-door-value')).toHaveText('5回', { timeout: 15_000 });

  // State filter: only ok tiles, the chip pressed, the filter kept in the URL.
  await page.getByTestId('watch-search').fill('');
  await expect(page).not.toHaveURL(/[?&]q=/);
  await page.getByTestId('watch-chip-ok').click();
  await expect(page).toHaveURL(/[?&]state=ok/);
  await expect(page.getByTestId('watch-chip-ok')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('watch-chip-all')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator(`[data-testid="watch-tile"][data-household="${mine.household}"]`)).toBeVisible();
  await expect(page.locator('[data-testid="watch-tile"]:not([data-state="ok"])')).toHaveCount(0);
  const ok = countOf(await page.getByTestId('watch-chip-ok').getByTestId('watch-chip-count').textContent());
  await expect(tiles).toHaveCount(Math.min(ok, 100));

  // Another state: this household is not among them.
  await page.getByTestId('watch-chip-offline').click();
  await expect(page).toHaveURL(/[?&]state=offline/);
  await expect(page.getByTestId('watch-chip-ok')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator(`[data-testid="watch-tile"][data-household="${mine.household}"]`)).toHaveCount(0);
  await expect(page.locator('[data-testid="watch-tile"]:not([data-state="offline"])')).toHaveCount(0);

  // By kana: the same households, the order chosen in the URL.
  await page.getByTestId('watch-chip-all').click();
  await page.getByTestId('watch-sort').selectOption('name');
  await expect(page).toHaveURL(/[?&]sort=name/);
  await expect(page).not.toHaveURL(/[?&]state=/);
  await expect(page.getByTestId('watch-count')).toHaveText(`${all.toLocaleString('ja-JP')}世帯中 ${count}世帯を表示`);

  // A tile opens the resident.
  await page.getByTestId('watch-search').fill(toHiragana(mine.givenKana));
  await expect(tiles).toHaveCount(1);
  await tiles.first().getByTestId('watch-tile-link').click();
  await expect(page).toHaveURL(new RegExp(`/persons/${mine.person}$`));
  await expect(page.getByTestId('person-detail')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText(mine.name);
});

adminTest.describe('phone, 375 × 812', () => {
  adminTest.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  adminTest('one tile per row, large touch targets, nothing wider than the screen', async ({ page }) => {
    await page.goto('/watch');
    await expect(page.getByTestId('watch-page')).toBeVisible();
    const tiles = page.getByTestId('watch-tile');
    await expect(tiles.first()).toBeVisible();

    const boxes = [];
    for (let i = 0; i < Math.min(await tiles.count(), 3); i++) boxes.push(await tiles.nth(i).boundingBox());
    for (const box of boxes) {
      expect(box, 'tile laid out').not.toBeNull();
      expect(box!.x).toBeCloseTo(boxes[0]!.x, 0);
      expect(box!.width, 'a tile spans the screen').toBeGreaterThan(320);
    }
    for (const id of ['all', ...SEVERITY]) {
      const box = await page.getByTestId(`watch-chip-${id}`).boundingBox();
      expect(box && box.height >= 44 && box.width >= 44, 'chips are large touch targets').toBeTruthy();
    }
    const search = await page.getByTestId('watch-search').boundingBox();
    expect(search && search.height >= 44).toBeTruthy();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'watch-phone.png') });
  });
});

familyTest('a family member gets the denied page and a 403 from the API', async ({ page }) => {
  await page.goto('/watch');
  await expect(page.getByTestId('denied')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('アクセス権がありません');
  await expect(page.getByTestId('watch-page')).toHaveCount(0);
  await expectAccessible(page);
  const response = await page.request.get('/api/v1/watch/status');
  expect(response.status()).toBe(403);
});

// A large municipality, answered by the test instead of the server: 10,000 households in kana
// order, filtered, sorted (sort=kana|severity), counted per state and paged like GET /api/v1/watch/status does.
function fakeTenant(size: number, alerts: number, attention: number, offline: number) {
  const households = Array.from({ length: size }, (_, i) => {
    const state = i % 50 === 7 && i / 50 < alerts ? 'alert'
      : i % 50 === 11 && (i - 11) / 50 < attention ? 'attention'
      : i % 50 === 23 && (i - 23) / 50 < offline ? 'offline'
      : 'ok';
    const n = String(i).padStart(5, '0');
    return {
      id: 100_000 + i,
      person: 200_000 + i,
      name: `試験 ${n}`,
      kana: `シケン ${n}`,
      district: '追分町',
      state,
      last_upload: state === 'offline' ? new Date(Date.now() - 30 * 3600_000).toISOString() : new Date(Date.now() - 3 * 3600_000).toISOString(),
      door_openings_today: i % 40,
      temperature: state === 'attention' ? 32.5 : 21,
      humidity: 50,
      battery: state === 'attention' && i % 100 === 11 ? 12 : 80,
      open_alerts: state === 'alert' ? 1 : 0,
    };
  });
  return async (route: Route) => {
    const url = new URL(route.request().url());
    const q = url.searchParams.get('q') ?? '';
    const state = url.searchParams.get('state');
    const sort = url.searchParams.get('sort') ?? 'kana';
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 100), 1), 1000);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const texts = households.filter((h) => !q || h.kana.includes(q) || h.name.includes(q));
    const counts = { ok: 0, attention: 0, alert: 0, offline: 0 };
    for (const h of texts) counts[h.state as keyof typeof counts] += 1;
    const matching = texts.filter((h) => !state || h.state === state);
    // Stable: kana order within a state.
    if (sort === 'severity') matching.sort((a, b) => SEVERITY.indexOf(a.state) - SEVERITY.indexOf(b.state));
    await route.fulfill({
      json: {
        households: matching.slice(offset, offset + limit),
        total: matching.length,
        counts,
        as_of: new Date().toISOString(),
      },
    });
  };
}

adminTest('10,000 households: first 100 shown, "さらに表示" continues in order across states', async ({ page }) => {
  const counts = { alert: 3, attention: 120, offline: 40 };
  await page.route(/\/api\/v1\/watch\/status(\?|$)/, fakeTenant(10_000, counts.alert, counts.attention, counts.offline));
  await page.goto('/watch');
  const tiles = page.getByTestId('watch-tile');
  await expect(tiles).toHaveCount(100);
  await expect(page.getByTestId('watch-count')).toHaveText('10,000世帯中 100世帯を表示');
  await expect(page.getByTestId('watch-chip-alert').getByTestId('watch-chip-count')).toHaveText('3');
  await expect(page.getByTestId('watch-chip-attention').getByTestId('watch-chip-count')).toHaveText('120');
  await expect(page.getByTestId('watch-chip-offline').getByTestId('watch-chip-count')).toHaveText('40');
  await expect(page.getByTestId('watch-chip-ok').getByTestId('watch-chip-count')).toHaveText((10_000 - 163).toLocaleString('ja-JP'));
  await expect(tiles.first().getByTestId('watch-alerts-value')).toHaveText('1件');
  await expect(tiles.first().getByTestId('watch-tile-state')).toHaveText('通報中');
  await expect(tiles.nth(3).getByTestId('watch-tile-state')).toHaveText('注意');
  await expect(tiles.nth(3).getByTestId('watch-temperature-value')).toHaveText('32.5℃高温');
  await expect(tiles.nth(3).getByTestId('watch-battery-value')).toHaveText('12%残りわずか');
  await expect(tiles.nth(4).getByTestId('watch-battery')).toHaveCount(0);

  const more = page.getByTestId('watch-more');
  await expect(more).toHaveText('さらに表示（残り9,900世帯）');
  const started = Date.now();
  await more.click();
  await expect(tiles).toHaveCount(200);
  expect(Date.now() - started, 'the next 100 tiles appear quickly').toBeLessThan(3000);
  // Keyboard focus continues at the first new tile.
  await expect(tiles.nth(100).getByTestId('watch-tile-link')).toBeFocused();
  await more.click();
  await expect(tiles).toHaveCount(300);
  await expect(page.getByTestId('watch-count')).toHaveText('10,000世帯中 300世帯を表示');

  const states = await tileStates(page);
  expectMostUrgentFirst(states);
  expect(states.filter((s) => s === 'alert')).toHaveLength(3);
  expect(states.filter((s) => s === 'attention')).toHaveLength(120);
  expect(states.filter((s) => s === 'offline')).toHaveLength(40);
  const ids = await tiles.evaluateAll((all) => all.map((tile) => tile.getAttribute('data-household')));
  expect(new Set(ids).size, 'no household twice').toBe(300);

  // A filtered state small enough for one page has no "more".
  await page.getByTestId('watch-chip-offline').click();
  await expect(tiles).toHaveCount(40);
  await expect(more).toHaveCount(0);
  await expect(tiles.first().getByTestId('watch-last-upload-value')).toHaveText('30時間前');
});

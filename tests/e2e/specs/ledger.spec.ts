import type { Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, expect, expectAccessible, familyTest, test } from '../helpers/app';
import { horizontalOverflow, PHONE, withActor } from '../helpers/emergency';

// 災害時支援台帳の取り込み: the city officer (co.hayashi) brings the demo's sample ledger in on a
// 375 px phone — a dry run that finds the six defective records, an import without them, and the
// same file again creating nobody twice. The demo admin (admin.seto) gives a file with the
// municipality's own header names their meaning on the mapping screen; an empty file is refused;
// a family member may not open the page. The tests share the demo's municipality (one register,
// one saved mapping), so they run in order.
const OFFICER = 'co.hayashi';
const ADMIN = 'admin.seto';

/** tests/data/… of the repository; the shared copy when the branch does not carry it yet. */
const SAMPLE = [join(__dirname, '..', '..', 'data', 'ledger_seto_sample_cp932.csv'), '/work/shared/data/ledger_seto_sample_cp932.csv'].find((path) =>
  existsSync(path),
)!;

async function count(page: Page, id: string): Promise<number> {
  return Number(await page.getByTestId(`ledger-count-${id}`).getAttribute('data-value'));
}

/** Chooses a file and runs the check; waits for the report or the refusal. */
async function check(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.getByTestId('ledger-file').setInputFiles(file);
  await page.getByTestId('ledger-check').click();
  await expect(page.getByTestId('ledger-progress')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('ledger-report').or(page.getByTestId('ledger-file-error'))).toBeVisible();
}

/** A full-page screenshot from the top (taken scrolled down, the sticky header would land mid-page). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

async function errorRows(page: Page): Promise<{ row: number; column: string; code: string }[]> {
  return page.getByTestId('ledger-error').evaluateAll((rows) =>
    rows.map((r) => ({ row: Number(r.getAttribute('data-row')), column: r.getAttribute('data-column') ?? '', code: r.getAttribute('data-code') ?? '' })),
  );
}

test.describe.serial('disaster ledger import', () => {
  test('a city officer checks the sample ledger on a phone and imports it without the defective records, twice', async ({ browser, baseURL }) => {
    expect(SAMPLE, 'the sample ledger file').toBeTruthy();
    await withActor(browser, baseURL, OFFICER, PHONE, async (page) => {
      // The menu leads there, under 災害.
      await page.getByTestId('menu-button').click();
      await page.getByTestId('nav-disaster-ledger').click();
      await expect(page).toHaveURL(/\/disaster\/ledger$/);
      await expect(page.getByTestId('ledger-page')).toBeVisible();
      await expect(page.getByTestId('page-title')).toHaveText('災害時支援台帳の取り込み');
      await expect(page.getByTestId('ledger-check')).toBeDisabled();
      await expect(page.getByTestId('ledger-check')).toHaveText('内容を確認（取り込みません）');
      await shot(page, 'ledger-empty-phone.png');

      // The dry run: 200 records, the six defective ones by record and column, read as CP932.
      await check(page, SAMPLE);
      await expect(page.getByTestId('ledger-file-name')).toContainText('ledger_seto_sample_cp932.csv');
      const report = page.getByTestId('ledger-report');
      await expect(report).toHaveAttribute('data-dry-run', 'true');
      await expect(report).toHaveAttribute('data-written', 'false');
      expect(await count(page, 'rows')).toBe(200);
      expect(await count(page, 'errors')).toBe(6);
      expect(await count(page, 'valid')).toBe(194);
      expect(await count(page, 'created')).toBe(194);
      await expect(page.getByTestId('ledger-count-rows')).toContainText('件数');
      await expect(page.getByTestId('ledger-count-rows')).toContainText('200件');
      await expect(page.getByTestId('ledger-encoding')).toHaveAttribute('data-encoding', 'cp932');
      await expect(page.getByTestId('ledger-encoding')).toContainText('Shift_JIS（CP932）');
      const errors = await errorRows(page);
      expect(errors.map((e) => e.row)).toEqual([29, 36, 79, 120, 155, 163]);
      expect(errors).toContainEqual({ row: 29, column: '氏名', code: 'missing' });
      expect(errors.find((e) => e.row === 79)?.column).toBe('生年月日');
      const record29 = page.locator('[data-testid="ledger-error"][data-row="29"]');
      await expect(record29).toContainText('29件目');
      await expect(record29).toContainText('氏名がありません');
      await expect(page.getByTestId('ledger-review-empty').or(page.getByTestId('ledger-review-list'))).toBeVisible();
      await expect(page.getByTestId('ledger-mapping')).toHaveCount(0);

      // Phone layout: no sideways scrolling, the errors as stacked cards, large buttons.
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      const card = await record29.boundingBox();
      expect(card && card.width > 300, 'an error row is a full-width card on a phone').toBeTruthy();
      const apply = page.getByTestId('ledger-apply');
      const applyBox = await apply.boundingBox();
      expect(applyBox && applyBox.height >= 44, 'the import button is a large touch target').toBeTruthy();
      await expectAccessible(page);
      await shot(page, 'ledger-check-phone.png');

      // Importing a file with errors as it is writes nothing.
      await expect(apply).toBeEnabled();
      await expect(page.getByTestId('ledger-skip-invalid')).not.toBeChecked();
      await apply.click();
      await expect(page.getByTestId('ledger-not-written')).toBeVisible();
      await expect(page.getByTestId('ledger-not-written')).toContainText('何も取り込みませんでした');
      await expect(report).toHaveAttribute('data-written', 'false');
      await expect(report).toHaveAttribute('data-dry-run', 'false');

      // Without the defective records: 194 people created.
      await page.getByTestId('ledger-skip-invalid').check();
      await apply.click();
      const written = page.getByTestId('ledger-written');
      await expect(written).toBeVisible();
      await expect(written).toHaveAttribute('data-created', '194');
      await expect(written).toHaveAttribute('data-updated', '0');
      await expect(written).toContainText('新規 194件・更新 0件');
      await expect(report).toHaveAttribute('data-written', 'true');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'ledger-imported-phone.png');

      // The same file again: everyone is updated, nobody created twice.
      await apply.click();
      await expect(written).toHaveAttribute('data-created', '0');
      await expect(written).toHaveAttribute('data-updated', '194');
      await expect(written).toContainText('新規 0件・更新 194件');

      // A new check of the same file says the same before anything is written.
      await check(page, SAMPLE);
      await expect(report).toHaveAttribute('data-dry-run', 'true');
      expect(await count(page, 'created')).toBe(0);
      expect(await count(page, 'updated')).toBe(194);
    });
  });

  test('headers the system does not know are given their meaning on the mapping screen', async ({ browser, baseURL }) => {
    const csv = ['番号,氏名,生まれ,メモ', '99000000001,試験 一郎,1940/03/02,', '99000000002,試験 花子,昭和18年5月6日,歩行器', '99000000003,試験 三郎,S22.11.30,'].join('\r\n') + '\r\n';
    const file = { name: 'own_headers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') };
    await withActor(browser, baseURL, ADMIN, PHONE, async (page) => {
      await page.goto('/disaster/ledger');
      await expect(page.getByTestId('ledger-page')).toBeVisible();
      await expect(page.getByTestId('ledger-saved-empty')).toBeVisible();

      // No column the system knows as 住民番号: refused, and the mapping screen asks about the headers.
      await check(page, file);
      const refusal = page.getByTestId('ledger-file-error');
      await expect(refusal).toHaveAttribute('data-code', 'missing_column');
      await expect(refusal).toContainText('必要な列（住民番号・氏名）が見つかりません');
      await expect(refusal).toContainText('番号,氏名,生まれ,メモ');
      const mapping = page.getByTestId('ledger-mapping');
      await expect(mapping).toHaveAttribute('data-reason', 'missing');
      const items = mapping.getByTestId('ledger-mapping-item');
      await expect(items).toHaveCount(4);
      expect(await items.evaluateAll((all) => all.map((i) => i.getAttribute('data-header')))).toEqual(['番号', '氏名', '生まれ', 'メモ']);
      const select = (header: string) => mapping.locator(`[data-testid="ledger-mapping-item"][data-header="${header}"] select`);
      await expect(select('番号').locator('option')).toHaveCount(17);
      await select('番号').selectOption({ label: '住民番号' });
      await select('生まれ').selectOption({ label: '生年月日' });
      await expectAccessible(page);
      await shot(page, 'ledger-mapping-phone.png');

      // Saved and checked again: the three records are valid; メモ is still unknown and asked about.
      await mapping.getByTestId('ledger-mapping-save').click();
      const report = page.getByTestId('ledger-report');
      await expect(report).toBeVisible();
      await expect(page.getByTestId('ledger-file-error')).toHaveCount(0);
      expect(await count(page, 'rows')).toBe(3);
      expect(await count(page, 'valid')).toBe(3);
      expect(await count(page, 'errors')).toBe(0);
      await expect(page.getByTestId('ledger-errors-empty')).toBeVisible();
      await expect(page.getByTestId('ledger-encoding')).toHaveAttribute('data-encoding', 'utf-8');
      await expect(page.getByTestId('ledger-mapping')).toHaveAttribute('data-reason', 'unknown');
      await expect(page.getByTestId('ledger-mapping-item')).toHaveCount(1);
      await expect(page.getByTestId('ledger-mapping-item')).toHaveAttribute('data-header', 'メモ');
      await expect(page.getByTestId('ledger-mapping-select')).toHaveValue('');
      await expect(page.getByTestId('ledger-mapping-select').locator('option').first()).toHaveText('使わない');
      const saved = page.getByTestId('ledger-saved-item');
      expect(await saved.evaluateAll((all) => all.map((i) => `${i.getAttribute('data-header')}=${i.getAttribute('data-field')}`)).then((s) => s.sort())).toEqual([
        '生まれ=birth_date',
        '番号=resident_number',
      ]);
      await expect(page.getByTestId('ledger-apply')).toBeEnabled();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'ledger-mapped-phone.png');

      // Taking 番号 out of the saved mapping: the file is checked again and refused again.
      await page.locator('[data-testid="ledger-saved-item"][data-header="番号"] [data-testid="ledger-saved-remove"]').click();
      await expect(page.getByTestId('ledger-file-error')).toHaveAttribute('data-code', 'missing_column');
      await expect(saved).toHaveCount(1);
      await expect(page.getByTestId('ledger-apply-section')).toHaveCount(0);
      await page.getByTestId('ledger-saved-remove').click();
      await expect(page.getByTestId('ledger-saved-empty')).toBeVisible();
    });
  });

  test('an empty file dropped on the page is refused with its reason', async ({ browser, baseURL }) => {
    await withActor(browser, baseURL, ADMIN, {}, async (page) => {
      await page.goto('/disaster/ledger');
      await expect(page.getByTestId('ledger-page')).toBeVisible();
      // Dragged from the desktop onto the zone.
      const dataTransfer = await page.evaluateHandle(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([], 'empty.csv', { type: 'text/csv' }));
        return transfer;
      });
      const zone = page.getByTestId('ledger-drop');
      await zone.dispatchEvent('dragenter', { dataTransfer });
      await zone.dispatchEvent('dragover', { dataTransfer });
      await zone.dispatchEvent('drop', { dataTransfer });
      await expect(page.getByTestId('ledger-file-name')).toContainText('empty.csv');
      await page.getByTestId('ledger-check').click();
      const refusal = page.getByTestId('ledger-file-error');
      await expect(refusal).toHaveAttribute('data-code', 'empty_file');
      await expect(page.getByTestId('ledger-file-error-text')).toHaveText('空のファイルです。');
      await expect(page.getByTestId('ledger-report')).toHaveCount(0);
      await expect(page.getByTestId('ledger-apply-section')).toHaveCount(0);
      await expectAccessible(page);
      await shot(page, 'ledger-empty-file-desktop.png');
    });
  });
});

familyTest('a family member may not import the ledger', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('nav-disaster-ledger')).toHaveCount(0);
  await page.goto('/disaster/ledger');
  await expect(page.getByTestId('denied')).toBeVisible();
  await expect(page.getByTestId('ledger-page')).toHaveCount(0);
  await page.goto('/disaster');
  await expect(page.getByTestId('part-disaster')).toBeVisible();
  await expect(page.getByTestId('disaster-ready')).toHaveCount(0);
});

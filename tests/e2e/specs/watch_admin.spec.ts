import { join } from 'node:path';
import { adminTest, ARTIFACTS, expect, expectAccessible, familyTest } from '../helpers/app';
import { awayFromMidnight, createResident, doorOpenings, ingest, toHiragana, tryIngest } from '../helpers/watch';

adminTest('register a household and its device on screen, the gateway sends, then the device is revoked', async ({ page }) => {
  await awayFromMidnight();
  const resident = await createResident(page.request);

  await page.goto('/watch');
  await page.getByTestId('watch-admin-link').click();
  await expect(page).toHaveURL(/\/watch\/admin$/);
  await expect(page.getByTestId('watch-admin')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('見守り 世帯と機器の管理');
  await expect(page.getByTestId('household-submit')).toBeDisabled();

  // Resident: found by kana.
  await page.getByTestId('household-person-search').fill(toHiragana(resident.givenKana));
  await expect(page.getByTestId('household-person-option')).toHaveCount(1);
  await page.getByTestId('household-person-option').click();
  await expect(page.getByTestId('household-person')).toContainText(resident.name);

  // Two contacts in call order, and the plan.
  await page.getByTestId('contact-name').nth(0).fill('見守 一郎');
  await page.getByTestId('contact-relationship').nth(0).fill('長男');
  await page.getByTestId('contact-phone').nth(0).fill('090-1111-2222');
  await page.getByTestId('contact-add').click();
  await page.getByTestId('contact-kind').nth(1).selectOption('city');
  await page.getByTestId('contact-name').nth(1).fill('瀬戸市 高齢者福祉課');
  await page.getByTestId('contact-phone').nth(1).fill('0561-88-2620');
  await page.getByTestId('plan-name').fill('もーやっこサポート');
  await page.getByTestId('plan-yen').fill('1100');
  await page.getByTestId('plan-started').fill('2026-04-01');
  await expectAccessible(page);
  await page.getByTestId('household-submit').click();
  await expect(page.getByTestId('household-created')).toContainText(`${resident.name}さんの見守り世帯を登録しました`);
  const household = await page.getByTestId('device-household').inputValue();
  expect(household).toMatch(/^\d+$/);

  // The device: id and token shown once.
  await page.getByTestId('device-submit').click();
  await expect(page.getByTestId('device-credential')).toBeVisible();
  const device = (await page.getByTestId('device-id').textContent()) ?? '';
  const token = (await page.getByTestId('device-token').textContent()) ?? '';
  expect(device).toMatch(/^dev-[0-9a-f]+$/);
  expect(token.length).toBeGreaterThanOrEqual(32);
  await expectAccessible(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'watch-admin.png'), fullPage: true });

  // The gateway uploads with it; the household is on the status list.
  await ingest(page.request, { device, token }, doorOpenings(2, 1));
  await page.getByTestId('watch-admin-back').click();
  await page.getByTestId('watch-search').fill(toHiragana(resident.givenKana));
  const tile = page.getByTestId('watch-tile');
  await expect(tile).toHaveCount(1);
  await expect(tile).toHaveAttribute('data-household', household);
  await expect(tile.getByTestId('watch-door-value')).toHaveText('2回');

  // A second household for the same resident is refused, in words.
  await page.goto('/watch/admin');
  await page.getByTestId('household-person-search').fill(toHiragana(resident.givenKana));
  await page.getByTestId('household-person-option').click();
  await page.getByTestId('household-submit').click();
  await expect(page.getByTestId('household-error')).toHaveText('この住民はすでに見守り世帯に登録されています。');

  // Revoke (asks first); the token stops working.
  await page.getByTestId('revoke-device').fill(device);
  await page.getByTestId('revoke-submit').click();
  await expect(page.getByTestId('revoke-question')).toContainText(device);
  await page.getByTestId('revoke-submit').click();
  await expect(page.getByTestId('revoke-done')).toContainText(device);
  expect((await tryIngest(page.request, { device, token }, doorOpenings(1, 50))).status).toBe(401);

  // Revoking it again: not a live device.
  await page.getByTestId('revoke-device').fill(device);
  await page.getByTestId('revoke-submit').click();
  await page.getByTestId('revoke-submit').click();
  await expect(page.getByTestId('revoke-error')).toContainText('見つかりません');
});

familyTest('a family member cannot open the household administration', async ({ page }) => {
  await page.goto('/watch/admin');
  await expect(page.getByTestId('denied')).toBeVisible();
  await expect(page.getByTestId('watch-admin')).toHaveCount(0);
});

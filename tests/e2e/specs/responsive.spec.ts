import { join } from 'node:path';
import { ADMIN } from '../helpers/accounts';
import { adminTest, ARTIFACTS, expect, expectAccessible, loginViaUi, test } from '../helpers/app';

test.describe('phone, 375 × 812', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('log in, open the menu, go to the residents', async ({ page }) => {
    await loginViaUi(page, ADMIN);
    await expect(page.getByTestId('home')).toBeVisible();

    // The side navigation is folded away behind the menu button.
    const nav = page.getByTestId('nav');
    await expect(nav).toBeHidden();
    const menu = page.getByTestId('menu-button');
    await expect(menu).toBeVisible();
    const box = await menu.boundingBox();
    expect(box && box.height >= 44 && box.width >= 44, 'menu button is a large touch target').toBeTruthy();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');

    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(nav).toBeVisible();
    await expect(page.getByTestId('menu-logout')).toBeVisible();
    await page.getByTestId('nav-persons').click();

    await expect(page).toHaveURL(/\/persons$/);
    await expect(nav).toBeHidden();
    await expect(page.getByTestId('persons-page')).toBeVisible();
    await expect(page.getByTestId('person-list').or(page.getByTestId('person-empty'))).toBeVisible();
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-persons.png'), fullPage: true });
  });
});

test('desktop screenshots of the login page', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'login.png'), fullPage: true });
});

adminTest('desktop home and a resident', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('nav')).toBeVisible();
  await expect(page.getByTestId('menu-button')).toBeHidden();
  await expect(page.getByTestId('user-name')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'desktop-home.png'), fullPage: true });

  await page.getByTestId('nav-persons').click();
  await expect(page.getByTestId('persons-page')).toBeVisible();
  const first = page.getByTestId('person-link').first();
  if ((await page.getByTestId('person-row').count()) > 0) {
    const name = (await first.locator('.person-name').textContent()) ?? '';
    await first.click();
    await expect(page.getByTestId('person-detail')).toBeVisible();
    await expect(page.getByTestId('page-title')).toHaveText(name);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-person.png'), fullPage: true });
  }
});

import { join } from 'node:path';
import { adminTest as test, ARTIFACTS, expect } from '../helpers/app';

test('language switch changes the labels and <html lang>, and is remembered', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByTestId('nav-home')).toHaveText('ホーム');
  await expect(page.getByTestId('nav-persons')).toHaveText('住民');
  await expect(page.getByTestId('lang-ja')).toHaveAttribute('aria-pressed', 'true');

  await page.getByTestId('lang-en').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('nav-home')).toHaveText('Home');
  await expect(page.getByTestId('nav-persons')).toHaveText('Residents');
  await expect(page.getByTestId('nav-watch')).toHaveText('Watch-over');
  await expect(page.getByTestId('lang-en')).toHaveAttribute('aria-pressed', 'true');

  await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('nav-home')).toHaveText('Home');
  await expect(page.getByTestId('logout')).toHaveText('Sign out');
  await expect(page.getByTestId('home-role')).toHaveText('Administrator');
  await page.screenshot({ path: join(ARTIFACTS, 'desktop-home-en.png'), fullPage: true });

  await page.getByTestId('lang-ja').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByTestId('nav-home')).toHaveText('ホーム');
});

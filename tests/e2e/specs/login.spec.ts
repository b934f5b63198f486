import { ADMIN } from '../helpers/accounts';
import { expect, expectAccessible, fillLogin, SIX_PARTS, test } from '../helpers/app';
import { wrongCode } from '../helpers/totp';

test('login with two-step code: a wrong code is refused, the right one opens home', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('login-form')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByTestId('login-otp')).toHaveAttribute('inputmode', 'numeric');
  await expect(page.getByTestId('login-otp')).toHaveAttribute('autocomplete', 'one-time-code');
  await expectAccessible(page);

  await fillLogin(page, ADMIN, wrongCode(ADMIN.totpSecret));
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await expect(page.getByTestId('login-error')).toContainText('正しくありません');
  await expect(page).toHaveURL(/\/login$/);

  await fillLogin(page, ADMIN);
  await page.getByTestId('login-submit').click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('page-title')).toContainText('さん');
  for (const part of SIX_PARTS) {
    await expect(page.getByTestId(`part-card-${part}`)).toBeVisible();
    await expect(page.getByTestId(`nav-${part}`)).toBeVisible();
  }
  await expect(page.getByTestId('home-role')).toHaveText('管理者');
  await expect(page.getByTestId('connection-dot')).toHaveAttribute('data-state', 'open');
  await expectAccessible(page);

  // A part without its own page yet is a placeholder that says what it will hold.
  await page.getByTestId('part-card-insight').click();
  await expect(page).toHaveURL(/\/insight$/);
  await expect(page.getByTestId('part-insight')).toBeVisible();
  await expect(page.getByTestId('coming-soon')).toHaveText('準備中');
  // The care network opens at its patients.
  await page.getByTestId('nav-carenet').click();
  await expect(page).toHaveURL(/\/carenet$/);
  await expect(page.getByTestId('carenet-patients')).toBeVisible();
  await expect(page.getByTestId('coming-soon')).toHaveCount(0);
  // The watch-over part has its status list.
  await page.getByTestId('nav-watch').click();
  await expect(page).toHaveURL(/\/watch$/);
  await expect(page.getByTestId('watch-page')).toBeVisible();
  await expect(page.getByTestId('coming-soon')).toHaveCount(0);

  // Sign out: back to the login page, and the session is gone.
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.goto('/persons');
  await expect(page).toHaveURL(/\/login\?next=%2Fpersons$/);
});

import { join } from 'node:path';
import { freshCode } from '../helpers/accounts';
import { adminTest as test, ARTIFACTS, expect, expectAccessible, watchPage } from '../helpers/app';
import { wrongCode } from '../helpers/totp';

test('the audit log lists the login events', async ({ page }) => {
  await page.goto('/admin/audit');
  await expect(page.getByTestId('admin-audit')).toBeVisible();
  await expect(page.getByTestId('audit-list')).toBeVisible();

  await page.getByTestId('audit-action').fill('auth.login');
  await page.getByTestId('audit-search').click();
  await expect(page).toHaveURL(/action=auth\.login/);
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await expect(rows.nth(i)).toHaveAttribute('data-action', 'auth.login');
  await expect(page.getByTestId('audit-list')).toContainText('e2e_admin');
  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'desktop-audit.png'), fullPage: false });
});

test('users: add a user, who sets up 2FA at first sign-in; then disable them', async ({ page, browser, baseURL }) => {
  await page.goto('/admin/users');
  await expect(page.getByTestId('admin-users')).toBeVisible();
  await expect(page.locator('[data-testid=user-row][data-username=e2e_admin]')).toBeVisible();
  await expect(page.locator('[data-testid=user-row][data-username=e2e_family]')).toBeVisible();
  await expectAccessible(page);

  const username = `e2e_new_${Date.now().toString(36)}`;
  await page.getByTestId('user-create-toggle').click();
  await page.getByTestId('new-username').fill(username);
  await page.getByTestId('new-display-name').fill('試験 看護師');
  await page.getByTestId('new-role').selectOption('nurse');
  const organizations = page.getByTestId('new-organization').locator('option');
  if ((await organizations.count()) > 1) {
    await page.getByTestId('new-organization').selectOption({ index: 1 });
  }
  const password = 'e2e-new-pass-123456';
  await page.getByTestId('new-password').fill(password);
  await page.getByTestId('user-create-submit').click();
  await expect(page.getByTestId('users-notice')).toContainText('試験 看護師');

  const row = page.locator(`[data-testid=user-row][data-username=${username}]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('user-totp')).toHaveText('未設定');

  // First sign-in of the new user: password only, then the 2FA set-up page with QR code and key.
  // (browser.newContext inherits the test's options, the admin session included: start empty.)
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const newcomer = await context.newPage();
  const newcomerErrors = watchPage(newcomer);
  await newcomer.goto('/login');
  await newcomer.getByTestId('login-username').fill(username);
  await newcomer.getByTestId('login-password').fill(password);
  await newcomer.getByTestId('login-submit').click();
  await expect(newcomer).toHaveURL(/\/login\/2fa$/);
  await expect(newcomer.getByTestId('enrolment-qr').locator('svg')).toBeVisible();
  const secret = await newcomer.getByTestId('enrolment-secret').getAttribute('data-secret');
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await expectAccessible(newcomer);
  await newcomer.screenshot({ path: join(ARTIFACTS, 'desktop-enrolment.png'), fullPage: true });

  await newcomer.getByTestId('enrolment-otp').fill(wrongCode(secret!));
  await newcomer.getByTestId('enrolment-submit').click();
  await expect(newcomer.getByTestId('enrolment-error')).toBeVisible();

  await newcomer.getByTestId('enrolment-otp').fill(await freshCode({ username, password, totpSecret: secret! }));
  await newcomer.getByTestId('enrolment-submit').click();
  await expect(newcomer.getByTestId('home')).toBeVisible();
  await expect(newcomer.getByTestId('home-role')).toHaveText('訪問看護師');
  expect(newcomerErrors).toEqual([]);
  await context.close();

  await page.reload();
  await expect(row.getByTestId('user-totp')).toHaveText('設定済み');

  await row.getByTestId('user-disable').click();
  await row.getByTestId('user-confirm').click();
  await expect(page.getByTestId('users-notice')).toContainText('無効にしました');
  await expect(row.getByTestId('user-status')).toContainText('無効');
  await expect(row.getByTestId('user-disable')).toBeDisabled();
});

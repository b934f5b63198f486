import { join } from 'node:path';
import { adminTest as test, ARTIFACTS, expect, expectAccessible } from '../helpers/app';

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

test('users: list, add a user who must enrol, disable them', async ({ page }) => {
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
  await page.getByTestId('new-password').fill('e2e-new-pass-123456');
  await page.getByTestId('user-create-submit').click();
  await expect(page.getByTestId('users-notice')).toContainText('試験 看護師');

  const row = page.locator(`[data-testid=user-row][data-username=${username}]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('user-totp')).toHaveText('未設定');

  await row.getByTestId('user-disable').click();
  await row.getByTestId('user-confirm').click();
  await expect(page.getByTestId('users-notice')).toContainText('無効にしました');
  await expect(row.getByTestId('user-status')).toContainText('無効');
  await expect(row.getByTestId('user-disable')).toBeDisabled();
});

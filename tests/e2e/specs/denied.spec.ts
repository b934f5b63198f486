import { expect, expectAccessible, familyTest as test } from '../helpers/app';

test('a family member sees "no access" for the audit log and the resident list', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('home-role')).toHaveText('家族');
  // No admin entries in the navigation.
  await expect(page.getByTestId('nav-admin-audit')).toHaveCount(0);
  await expect(page.getByTestId('nav-admin-users')).toHaveCount(0);

  await page.goto('/admin/audit');
  await expect(page.getByTestId('denied')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('アクセス権がありません');
  await expect(page.getByTestId('nav')).toBeAttached();
  await expectAccessible(page);

  await page.goto('/admin/users');
  await expect(page.getByTestId('denied')).toBeVisible();

  // The server answers 403 for the list; the page says so instead of breaking.
  await page.goto('/persons');
  await expect(page.getByTestId('denied')).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByTestId('denied-home').click();
  await expect(page.getByTestId('home')).toBeVisible();
});

test('an unknown address shows the not-found page', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expectAccessible(page);
});

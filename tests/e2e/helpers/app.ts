// Page helpers and fixtures shared by the specs.
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, FAMILY, freshCode, type Account } from './accounts';

export { expect };

export const ARTIFACTS = join(__dirname, '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const SIX_PARTS = ['carenet', 'watch', 'insight', 'disaster', 'emergency', 'lifelog'] as const;

/** Fills the login form; `otp` defaults to a fresh code of the account. */
export async function fillLogin(page: Page, account: Account, otp?: string): Promise<void> {
  await page.getByTestId('login-username').fill(account.username);
  await page.getByTestId('login-password').fill(account.password);
  await page.getByTestId('login-otp').fill(otp ?? (await freshCode(account)));
}

/** Signs in through the login page and waits for the signed-in shell. */
export async function loginViaUi(page: Page, account: Account): Promise<void> {
  await page.goto('/login');
  await expect(page.getByTestId('login-form')).toBeVisible();
  await fillLogin(page, account);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('nav')).toBeAttached();
}

async function saveSignedInState(browser: Browser, baseURL: string | undefined, account: Account, file: string): Promise<string> {
  // Worker fixtures get a bare browser: the context needs the base URL itself.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await loginViaUi(page, account);
  await context.storageState({ path: file });
  await context.close();
  return file;
}

/** Serious and critical axe findings on the current page, as readable lines. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousA11yViolations(page), `axe on ${page.url()}`).toEqual([]);
}

/** Collects uncaught exceptions and Content-Security-Policy violations of a page. */
export function watchPage(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(`csp: ${message.text()}`);
  });
  return errors;
}

interface TestFixtures {
  /** Fails the test when the page throws an uncaught error or breaks the CSP. */
  pageErrors: string[];
}

interface WorkerFixtures {
  /** Storage state (session cookie) of a signed-in e2e_admin, made once per worker. */
  adminState: string;
  /** Same for e2e_family. */
  familyState: string;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  pageErrors: [
    async ({ page }, use) => {
      const errors = watchPage(page);
      await use(errors);
      expect(errors, 'uncaught errors or CSP violations in the page').toEqual([]);
    },
    { auto: true },
  ],
  adminState: [
    async ({ browser }, use, info) => {
      await use(await saveSignedInState(browser, info.project.use.baseURL, ADMIN, join(info.project.outputDir, `state-admin-${info.workerIndex}.json`)));
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  familyState: [
    async ({ browser }, use, info) => {
      await use(await saveSignedInState(browser, info.project.use.baseURL, FAMILY, join(info.project.outputDir, `state-family-${info.workerIndex}.json`)));
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

/** Tests that start signed in as e2e_admin (no logout in these: the session is shared). */
export const adminTest = test.extend({
  storageState: async ({ adminState }, use) => use(adminState),
});

/** Tests that start signed in as e2e_family. */
export const familyTest = test.extend({
  storageState: async ({ familyState }, use) => use(familyState),
});

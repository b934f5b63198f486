// The demo town's own accounts (call operators, family members, …). `moyakko demo` prints their
// password, and a demo served on loopback (run.sh) lists them with a current one-time code at
// GET /api/v1/demo/logins.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { markStepUsed, usedSteps } from './accounts';
import { fillLogin } from './app';
import { stepAt } from './totp';

export interface DemoLogin {
  username: string;
  password: string;
  role: string;
  display_name: string;
  otp: string;
  otp_expires_in: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The demo account `username` with a one-time code of a time step it has not used yet, valid for
 * a few more seconds (the server refuses a code twice).
 */
export async function demoLogin(request: APIRequestContext, username: string): Promise<DemoLogin> {
  for (;;) {
    const response = await request.get('/api/v1/demo/logins');
    expect(response.status(), 'GET /api/v1/demo/logins (a demo database served on loopback)').toBe(200);
    const logins = ((await response.json()) as { logins: DemoLogin[] }).logins;
    const login = logins.find((l) => l.username === username);
    expect(login, `demo account ${username}`).toBeTruthy();
    const step = stepAt(Date.now());
    if (step > (usedSteps()[username] ?? -1) && login!.otp_expires_in > 4) {
      markStepUsed(username, step);
      return login!;
    }
    await sleep(login!.otp_expires_in * 1000 + 300);
  }
}

/** Signs in as the demo account `username` through the login page. */
export async function loginDemoViaUi(page: Page, username: string): Promise<DemoLogin> {
  const login = await demoLogin(page.request, username);
  await page.goto('/login');
  await expect(page.getByTestId('login-form')).toBeVisible();
  await fillLogin(page, { username: login.username, password: login.password, totpSecret: '' }, login.otp);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('nav')).toBeAttached();
  return login;
}

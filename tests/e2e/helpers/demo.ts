// The demo town's own accounts (call operators, family members, …). `moyakko demo` prints their
// password, and a demo served on loopback (run.sh) lists them with a current one-time code at
// GET /api/v1/demo/logins.
import { expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { freshCode, markStepUsed, usedSteps } from './accounts';
import { stepAt } from './totp';

export interface DemoLogin {
  username: string;
  password: string;
  role: string;
  display_name: string;
  otp: string;
  otp_expires_in: number;
}

/** Cookies and local storage of a signed-in session, as Playwright keeps them. */
export type SessionState = Awaited<ReturnType<APIRequestContext['storageState']>>;

export interface DemoSession {
  login: DemoLogin;
  state: SessionState;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The TOTP secret run.sh passes for a demo account (MOYAKKO_DEMO_SECRETS="user=SECRET …"). */
function demoSecret(username: string): string | undefined {
  for (const pair of (process.env.MOYAKKO_DEMO_SECRETS ?? '').split(/\s+/)) {
    const [user, secret] = pair.split('=');
    if (user === username && secret) return secret;
  }
  return undefined;
}

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
    // With the secret, the steps next to now serve as well; the panel only gives the current one.
    const secret = demoSecret(username);
    if (secret) return { ...login!, otp: await freshCode({ username, password: login!.password, totpSecret: secret }) };
    const step = stepAt(Date.now());
    if (step > (usedSteps()[username] ?? -1) && login!.otp_expires_in > 4) {
      markStepUsed(username, step);
      return login!;
    }
    await sleep(login!.otp_expires_in * 1000 + 300);
  }
}

const sessions = new Map<string, Promise<DemoSession>>();

async function signIn(baseURL: string, username: string): Promise<DemoSession> {
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    const login = await demoLogin(api, username);
    const response = await api.post('/api/v1/auth/login', { data: { username, password: login.password, otp: login.otp } });
    expect(response.status(), `login ${username}`).toBe(200);
    return { login, state: await api.storageState() };
  } finally {
    await api.dispose();
  }
}

/**
 * The session of the demo account `username` on `baseURL`, signed in through the API the first
 * time a worker asks and shared afterwards: each login spends one of the user's one-time code steps,
 * of which there is one per 30 s. (Signing in on the page is what login.spec and emergency.spec test.)
 */
export function demoSession(baseURL: string | undefined, username: string): Promise<DemoSession> {
  const key = `${baseURL} ${username}`;
  let session = sessions.get(key);
  if (!session) {
    session = signIn(baseURL!, username);
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return session;
}

/** Gives the page's browser the session of the demo account `username` (its only session) and opens home. */
export async function useDemoSession(page: Page, baseURL: string | undefined, username: string): Promise<DemoLogin> {
  const { login, state } = await demoSession(baseURL, username);
  await page.context().clearCookies();
  await page.context().addCookies(state.cookies);
  await page.goto('/');
  await expect(page.getByTestId('nav')).toBeAttached();
  return login;
}

/** An API context with the session of the demo account `username`. */
export async function demoApi(baseURL: string | undefined, username: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, storageState: (await demoSession(baseURL, username)).state });
}

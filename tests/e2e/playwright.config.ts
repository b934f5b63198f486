import { defineConfig } from '@playwright/test';

// The server is started by run.sh (a fresh database per run); this config only points at it.
const baseURL = process.env.MOYAKKO_URL;
if (!baseURL) {
  throw new Error('MOYAKKO_URL is not set: run the tests through tests/e2e/run.sh, or export the URL of a running `moyakko serve`.');
}

export default defineConfig({
  testDir: 'specs',
  outputDir: 'test-results',
  forbidOnly: !!process.env.CI,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  // Logins wait for a fresh one-time code (up to one 30-s step), so allow for that.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});

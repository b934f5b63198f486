import { defineConfig } from '@playwright/test';

// The servers are started by run.sh (a fresh database each per run); this config only points at them.
// With several (MOYAKKO_URLS, space-separated) there is one worker per server, each on its own, so
// the workers' data and one-time code steps never meet. Workers load this file too, with their slot.
const urls = (process.env.MOYAKKO_URLS ?? process.env.MOYAKKO_URL ?? '').split(/\s+/).filter(Boolean);
if (urls.length === 0) {
  throw new Error('MOYAKKO_URL is not set: run the tests through tests/e2e/run.sh, or export the URL of a running `moyakko serve`.');
}
const baseURL = urls[Number(process.env.TEST_PARALLEL_INDEX ?? 0) % urls.length];
// The helpers key their one-time code bookkeeping by it (helpers/accounts.ts).
process.env.MOYAKKO_URL = baseURL;

export default defineConfig({
  testDir: 'specs',
  outputDir: 'test-results',
  forbidOnly: !!process.env.CI,
  workers: urls.length,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  // A login may wait for a fresh one-time code (up to one 30-s step), so allow for that.
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
        // Chromium's new headless mode loads the address bar's WebUI pop-ups into every window (one per
        // context here), about 0.6 CPU-seconds each; the pages under test never see them.
        '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
      ],
    },
  },
});

import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { adminTest, ARTIFACTS, expect, expectAccessible } from '../helpers/app';
import { findCareTeamCast, makePdf, makePng, type CareTeamCast } from '../helpers/carenet';
import { useDemoSession } from '../helpers/demo';
import { signedInActor } from '../helpers/emergency';

// The demo town registers patients with care teams, summaries and posts. The cast (a patient, two
// professionals on its team, one of the same town who is not) is found through the API as the e2e
// admin, who sees every patient, so the tests do not depend on the demo's names.
let cast: CareTeamCast | null = null;
async function theCast(page: Page): Promise<CareTeamCast> {
  cast ??= await findCareTeamCast(page.request);
  return cast;
}

function stamp(): string {
  return new Date().toISOString().replace(/\D/g, '').slice(4, 14);
}

function post(page: Page, body: string) {
  return page.getByTestId('post').filter({ has: page.getByTestId('post-body').getByText(body, { exact: true }) });
}

/** The card of one post by id: stays the same locator while the text is being edited. */
async function postById(page: Page, body: string) {
  const id = await post(page, body).getAttribute('data-post-id');
  return page.locator(`[data-testid="post"][data-post-id="${id}"]`);
}

/** From the menu to the patient's page; `screenshot` names a picture of the patients page on the way. */
async function openPatient(page: Page, patient: CareTeamCast['patient'], screenshot?: string): Promise<void> {
  await page.getByTestId('nav-carenet-patients').click();
  await expect(page.getByTestId('carenet-patients')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('患者');
  await expect(page.getByTestId('patient-row').first()).toBeVisible();
  if (screenshot) {
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
  }
  await page.getByTestId('patient-search').fill(patient.person.kana);
  const row = page.locator(`[data-testid="patient-row"][data-person-id="${patient.person.id}"]`);
  await expect(row).toBeVisible();
  await row.getByTestId('patient-link').click();
  await expect(page).toHaveURL(new RegExp(`/carenet/patients/${patient.person.id}$`));
  await expect(page.getByTestId('carenet-patient')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText(`${patient.person.name}さん`);
}

adminTest('a team member reads the summary, posts a note with a photo; another member reads it; the author sees who read it', async ({
  page,
  browser,
  baseURL,
}) => {
  const { patient, author, reader } = await theCast(page);
  await useDemoSession(page, baseURL, author.username);
  await expect(page.getByTestId('nav-carenet-patients')).toBeVisible();
  // The menu shows the unread count of the server.
  const unread = ((await (await page.request.get('/api/v1/carenet/unread')).json()) as { total: number }).total;
  if (unread > 0) await expect(page.getByTestId('nav-carenet-patients-badge')).toContainText(unread > 99 ? '99+' : String(unread));
  else await expect(page.getByTestId('nav-carenet-patients-badge')).toHaveCount(0);
  await openPatient(page, patient, 'carenet-patients.png');

  // The tabs, timeline first.
  await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('timeline')).toBeVisible();

  // The summary: every section, the advance care plan with its current version marked.
  await page.getByTestId('tab-summary').click();
  await expect(page).toHaveURL(new RegExp(`/carenet/patients/${patient.person.id}/summary$`));
  await expect(page.getByTestId('summary')).toBeVisible();
  for (const section of ['care_level', 'history', 'prescriptions', 'allergies', 'family_doctor', 'next_of_kin', 'acp']) {
    await expect(page.getByTestId(`section-${section}`)).toHaveAttribute('data-withheld', 'false');
  }
  await expect(page.getByTestId('summary-withheld')).toHaveCount(0);
  const acp = page.getByTestId('section-acp');
  if ((await acp.getByTestId('summary-entry').count()) > 0) {
    await expect(acp.getByTestId('acp-current')).toHaveCount(1);
    await expect(acp.locator('[data-current="true"]')).toHaveCount(1);
  }
  if (patient.care_level) await expect(page.getByTestId('section-care_level')).toContainText(patient.care_level);
  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-summary.png'), fullPage: true });

  // The change history opens under the toolbar.
  await page.getByTestId('summary-history-toggle').click();
  await expect(page.getByTestId('summary-history')).toBeVisible();
  await expect(page.getByTestId('summary-change').first()).toBeVisible();

  // Printed: no menu, no buttons.
  await page.getByTestId('summary-history-toggle').click();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('nav')).toBeHidden();
  await expect(page.getByTestId('summary-print')).toBeHidden();
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-summary-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // The timeline: a note marked important, mentioning the other member, with a photo.
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('composer')).toBeVisible();
  const body = `訪問しました。食事は半分ほど、表情は穏やかです（e2e ${stamp()}）`;
  await page.getByTestId('composer-body').fill(body);
  await page.getByTestId('composer-important').check();
  await page.getByTestId('composer-mentions').locator('summary').click();
  await page.locator(`[data-testid="mention-option"]`).filter({ hasText: reader.display_name }).locator('input').check();

  // A file that is no photo is refused before upload.
  await page.getByTestId('composer-file-input').setInputFiles({ name: 'memo.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
  await expect(page.getByTestId('composer-file-problems')).toContainText('memo.txt');
  // So is a photo over 10 MB, with the limit named.
  const huge = Buffer.concat([makePng(), Buffer.alloc(10 * 1024 * 1024)]);
  await page.getByTestId('composer-file-input').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
  await expect(page.getByTestId('composer-file-problems')).toContainText('huge.png は大きすぎます（10.0 MBまで）');
  await expect(page.getByTestId('composer-file-file')).toHaveCount(0);
  await page.getByTestId('composer-file-input').setInputFiles({ name: 'wound.png', mimeType: 'image/png', buffer: makePng() });
  await expect(page.getByTestId('composer-file-file')).toHaveCount(1);
  await expect(page.getByTestId('composer-file-file')).toContainText('wound.png');
  await page.getByTestId('composer-submit').click();
  await expect(page.getByTestId('composer-posted')).toBeVisible();
  await expect(page.getByTestId('composer-body')).toHaveValue('');

  await expect(post(page, body)).toHaveCount(1);
  const mine = await postById(page, body);
  await expect(page.getByTestId('post').first()).toHaveAttribute('data-post-id', (await mine.getAttribute('data-post-id'))!);
  await expect(mine).toHaveAttribute('data-important', 'true');
  await expect(mine.getByTestId('post-important')).toHaveText('重要');
  await expect(mine.getByTestId('post-mentions')).toContainText(`@${reader.display_name}`);
  await expect(mine.getByTestId('post-read-count')).toHaveText('既読 0');
  const image = mine.getByTestId('attachment-image');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-timeline.png'), fullPage: true });

  // The other member sees it, unread; seeing it marks it read.
  const other = await signedInActor(browser, baseURL, reader.username);
  await other.page.goto(`/carenet/patients/${patient.person.id}`);
  await expect(post(other.page, body)).toBeVisible();
  const theirs = await postById(other.page, body);
  await expect(theirs.getByTestId('post-mentions')).toContainText(`@${reader.display_name}`);
  await expect(theirs).toHaveAttribute('data-read', 'true', { timeout: 15_000 });
  // The reader does not see the list of readers (only the author does).
  await expect(theirs.getByTestId('post-readers')).toHaveCount(0);

  // They comment; the author's open page gets it live.
  const comment = `確認しました。次回の訪問で様子を見ます（${stamp()}）`;
  await theirs.getByTestId('comment-open').click();
  await theirs.getByTestId('comment-body-input').fill(comment);
  await theirs.getByTestId('comment-submit').click();
  await expect(theirs.getByTestId('comment-body')).toHaveText([comment]);
  await expect(mine.getByTestId('comment-body')).toHaveText([comment], { timeout: 15_000 });

  // The author sees "既読 1" and who read it.
  await page.reload();
  await expect(mine.getByTestId('post-read-count')).toHaveText('既読 1');
  await mine.getByTestId('post-readers').locator('summary').click();
  await expect(mine.getByTestId('post-reader')).toHaveCount(1);
  await expect(mine.getByTestId('post-reader')).toContainText(reader.display_name);

  // Editing keeps the previous text in the history.
  await mine.getByTestId('post-edit').click();
  await mine.getByTestId('post-edit-body').fill(`${body}（追記：水分も摂れています）`);
  await mine.getByTestId('post-edit-save').click();
  await expect(mine.getByTestId('post-body')).toHaveText(`${body}（追記：水分も摂れています）`);
  await expect(mine.getByTestId('post-edited')).toBeVisible();
  await mine.getByTestId('post-history').locator('summary').click();
  const versions = mine.getByTestId('post-version');
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toHaveAttribute('data-current', 'true');
  await expect(versions.nth(1).locator('.cn-post-body')).toHaveText(body);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-timeline-read.png'), fullPage: true });

  expect(other.errors).toEqual([]);
  await other.context.close();
});

adminTest('boards: open a board, start a thread with a PDF, reply', async ({ page, baseURL }) => {
  const { author } = await theCast(page);
  await useDemoSession(page, baseURL, author.username);
  await page.getByTestId('nav-carenet-boards').click();
  await expect(page.getByTestId('boards-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('連携プロジェクト・掲示板');

  const title = `退院前カンファレンス（e2e ${stamp()}）`;
  await page.getByTestId('board-create-open').click();
  await page.getByTestId('board-title').fill(title);
  await page.getByTestId('board-description').fill('幡山みなみ病院からの退院調整の連絡用');
  await page.getByTestId('board-create-submit').click();
  // The new board opens.
  await expect(page.getByTestId('board-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText(title);
  await expect(page.getByTestId('board-member')).toContainText([author.display_name]);

  await page.getByTestId('thread-create-open').click();
  const threadTitle = '退院日の調整';
  await page.getByTestId('thread-title').fill(threadTitle);
  await page.getByTestId('thread-body').fill('退院予定日の候補と、当日の訪問の分担を相談させてください。');
  await page.getByTestId('thread-file-input').setInputFiles({ name: 'schedule.pdf', mimeType: 'application/pdf', buffer: makePdf() });
  await expect(page.getByTestId('thread-file-file')).toContainText('schedule.pdf');
  await page.getByTestId('thread-create-submit').click();

  await expect(page.getByTestId('thread-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText(threadTitle);
  const first = page.getByTestId('thread-post').first();
  await expect(first.getByTestId('post-body')).toHaveText('退院予定日の候補と、当日の訪問の分担を相談させてください。');
  await expect(first.getByTestId('attachment')).toHaveAttribute('data-media-type', 'application/pdf');
  await expect(first.getByTestId('attachment-link')).toContainText('schedule.pdf');
  const pdf = await page.request.get((await first.getByTestId('attachment-link').getAttribute('href'))!);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');

  await page.getByTestId('reply-body').fill('訪問看護は退院翌日の午前に伺えます。');
  await page.getByTestId('reply-submit').click();
  await expect(page.getByTestId('thread-post')).toHaveCount(2);
  await expect(page.getByTestId('thread-post').nth(1).getByTestId('post-body')).toHaveText('訪問看護は退院翌日の午前に伺えます。');
  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-board-thread.png'), fullPage: true });

  await page.getByTestId('thread-back').click();
  await expect(page.getByTestId('thread-row').filter({ hasText: threadTitle })).toBeVisible();
});

adminTest('directory: organisations by text, kind and service; an organisation and its professionals; professionals by kana', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('nav-carenet-directory').click();
  await expect(page.getByTestId('directory-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('事業所・専門職');

  const rows = page.getByTestId('org-row');
  /** True once every listed organisation passes `test` (the list is replaced when an answer arrives). */
  const allRows = (test: (row: { name: string; kind: string | null; services: string[] }) => boolean) =>
    expect
      .poll(async () => {
        const list = await rows.evaluateAll((all) =>
          all.map((r) => ({
            name: r.querySelector('[data-testid="org-link"]')?.textContent ?? '',
            kind: r.getAttribute('data-org-kind'),
            services: [...r.querySelectorAll('[data-service]')].map((s) => s.getAttribute('data-service') ?? ''),
          })),
        );
        return list.length > 0 && list.every(test);
      })
      .toBe(true);

  await page.getByTestId('org-search').fill('訪問看護');
  await expect(page).toHaveURL(/[?&]q=/);
  await allRows((r) => r.name.includes('訪問看護'));

  await page.getByTestId('org-kind').selectOption('visiting_nursing');
  await expect(page).toHaveURL(/[?&]kind=visiting_nursing/);
  await allRows((r) => r.kind === 'visiting_nursing');
  await page.getByTestId('org-search').fill('');
  // The cleared text reaches the address after a typing pause, written with the filters of that
  // moment: choosing the service before then can be overwritten (seen on a busy machine).
  await expect(page).not.toHaveURL(/[?&]q=/);
  await page.getByTestId('org-service').selectOption('24h');
  await expect(page).toHaveURL(/[?&]service=24h/);
  await allRows((r) => r.services.includes('24h') && r.kind === 'visiting_nursing');
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-directory.png'), fullPage: true });

  await page.getByTestId('org-kind').selectOption('');
  await page.getByTestId('org-service').selectOption('');
  await page.getByTestId('org-search').fill('こもれび');
  // Wait for this search's answer (the list is replaced when it arrives).
  await expect(page).toHaveURL(/q=%E3%81%93%E3%82%82%E3%82%8C%E3%81%B3/);
  await expect(page.getByTestId('org-count')).toHaveText('1件');
  const hagiyama = page.locator('[data-testid="org-row"][data-org-code="seto-hagiyama-nursing"]');
  await expect(hagiyama).toBeVisible();
  await hagiyama.getByTestId('org-link').click();
  await expect(page.getByTestId('organization-page')).toBeVisible();
  await expect(page.getByTestId('page-title')).toHaveText('訪問看護ステーションこもれび萩山');
  await expect(page.getByTestId('organization-phone')).toHaveAttribute('href', 'tel:0561857310');
  await expect(page.getByTestId('organization-professional')).toContainText(['鈴木 陽子']);
  await expectAccessible(page);

  await page.goto('/carenet/directory?tab=professionals');
  await page.getByTestId('pro-search').fill('すずき');
  await expect(page.getByTestId('pro-row').filter({ hasText: '鈴木 陽子' })).toBeVisible();
  await page.getByTestId('pro-role').selectOption('doctor');
  await expect(page.getByTestId('pro-empty').or(page.getByTestId('pro-list'))).toBeVisible();
  await expect(page.getByTestId('pro-row').filter({ hasText: '鈴木 陽子' })).toHaveCount(0);
});

adminTest.describe('phone, 360 × 740', () => {
  adminTest.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  adminTest('a visiting nurse: menu, timeline, a photo post, the summary', async ({ page, baseURL }) => {
    const { patient, author } = await theCast(page);
    await useDemoSession(page, baseURL, author.username);

    const menu = page.getByTestId('menu-button');
    await menu.click();
    await expect(page.getByTestId('nav')).toBeVisible();
    await page.screenshot({ path: join(ARTIFACTS, 'carenet-phone-menu.png') });
    await openPatient(page, patient, 'carenet-phone-patients.png');
    await expect(page.getByTestId('nav')).toBeHidden();

    const body = `スマホから：血圧 128/74、褥瘡の写真です（${stamp()}）`;
    await page.getByTestId('composer-body').fill(body);
    await page.getByTestId('composer-file-input').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: makePng(160, 120) });
    await expect(page.getByTestId('composer-file-file')).toHaveCount(1);
    const submit = page.getByTestId('composer-submit');
    const box = await submit.boundingBox();
    expect(box && box.height >= 44, 'post button is a large touch target').toBeTruthy();
    await submit.click();
    await expect(post(page, body).getByTestId('attachment-image')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'carenet-phone-timeline.png'), fullPage: true });

    await page.getByTestId('tab-summary').click();
    await expect(page.getByTestId('summary')).toBeVisible();
    await expect(page.getByTestId('section-allergies')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'carenet-phone-summary.png'), fullPage: true });
  });
});

adminTest('a professional outside the care team gets the denied page for the patient', async ({ page, baseURL }) => {
  const { patient, outsider } = await theCast(page);
  await useDemoSession(page, baseURL, outsider.username);

  // Not in their list …
  await page.goto(`/carenet/patients?q=${encodeURIComponent(patient.person.kana)}`);
  await expect(page.getByTestId('carenet-patients')).toBeVisible();
  await expect(page.getByTestId('patient-list').or(page.getByTestId('patient-empty'))).toBeVisible();
  await expect(page.locator(`[data-testid="patient-row"][data-person-id="${patient.person.id}"]`)).toHaveCount(0);

  // … and refused when they go there directly, on every tab; the server says 403 as well.
  for (const tab of ['', '/summary', '/team']) {
    await page.goto(`/carenet/patients/${patient.person.id}${tab}`);
    await expect(page.getByTestId('denied')).toBeVisible();
    await expect(page.getByTestId('page-title')).toHaveText('アクセス権がありません');
    await expect(page.getByTestId('timeline')).toHaveCount(0);
    await expect(page.getByTestId('summary')).toHaveCount(0);
  }
  const response = await page.request.get(`/api/v1/carenet/patients/${patient.person.id}/timeline`);
  expect(response.status()).toBe(403);
  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-denied.png'), fullPage: true });
});

adminTest('a city officer sees care level and contacts, is told what is withheld, and has no timeline', async ({ page, baseURL }) => {
  const { patient } = await theCast(page);
  const logins = ((await (await page.request.get('/api/v1/demo/logins')).json()) as { logins: { username: string; role: string }[] }).logins;
  const officer = logins.find((l) => l.role === 'city_officer');
  adminTest.skip(!officer, 'the demo lists no city officer');
  await useDemoSession(page, baseURL, officer!.username);

  await page.goto(`/carenet/patients/${patient.person.id}`);
  await expect(page.getByTestId('carenet-patient')).toBeVisible();
  // Not on the team: the summary first, no timeline tab.
  await expect(page.getByTestId('tab-timeline')).toHaveCount(0);
  await expect(page.getByTestId('tab-summary')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('patient-not-member')).toBeVisible();
  await expect(page.getByTestId('summary-withheld')).toContainText('既往歴・処方・アレルギー');
  await expect(page.getByTestId('summary-withheld')).toContainText('人生会議（ACP）');
  for (const section of ['history', 'prescriptions', 'allergies', 'acp']) {
    await expect(page.getByTestId(`section-${section}`)).toHaveAttribute('data-withheld', 'true');
    await expect(page.getByTestId(`section-${section}-withheld`)).toBeVisible();
    await expect(page.getByTestId(`section-${section}`).getByTestId('summary-entry')).toHaveCount(0);
  }
  for (const section of ['care_level', 'family_doctor', 'next_of_kin']) {
    await expect(page.getByTestId(`section-${section}`)).toHaveAttribute('data-withheld', 'false');
  }
  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-city-summary.png'), fullPage: true });
});

adminTest('a doctor registers a resident found by name and birth date, and leads the new team', async ({ page, baseURL }) => {
  await useDemoSession(page, baseURL, 'dr.kato');
  await page.getByTestId('nav-carenet-patients').click();
  await expect(page.getByTestId('carenet-patients')).toBeVisible();
  await page.getByTestId('register-open').click();
  // The doctor may not browse the register: a name alone finds nobody …
  await page.getByTestId('register-person-search').fill('ふじた かずこ');
  await expect(page.getByText('該当する住民はいません').or(page.getByTestId('register-person-search-results'))).toBeVisible();
  await expect(page.getByTestId('register-person-search-option')).toHaveCount(0);
  // … with the birth date the person is found (demo resident 藤田 和子, born 1944-08-08).
  await page.getByTestId('register-person-search-birth').fill('1944-08-08');
  await page.getByTestId('register-person-search-option').click();
  await expect(page.getByTestId('register-person')).toContainText('藤田 和子');
  await page.getByTestId('register-submit').click();
  await expect(page).toHaveURL(/\/carenet\/patients\/\d+/);
  await expect(page.getByTestId('carenet-patient')).toBeVisible();
  await page.goto(page.url().replace(/\/?$/, '/team'));
  await expect(page.getByTestId('team')).toContainText('加藤 誠');
  await page.screenshot({ path: join(ARTIFACTS, 'carenet-registered.png'), fullPage: true });

  // The lead ends the registration: the records stay, the team's access ends.
  const patientUrl = page.url().replace(/\/team$/, '');
  await page.goto(`${patientUrl}/consents`);
  await page.getByTestId('deregister-reason').fill('転居のため');
  await page.getByTestId('deregister-submit').click();
  await expect(page.getByTestId('deregister-done')).toBeVisible();
  await page.goto(patientUrl);
  await expect(page.getByTestId('denied')).toBeVisible();
});

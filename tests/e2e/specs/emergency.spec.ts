import { join } from 'node:path';
import { HOSPITAL_DOCTOR } from '../helpers/accounts';
import { adminTest, ARTIFACTS, expect, expectAccessible, fillLogin, loginViaUi, test } from '../helpers/app';
import { demoLogin } from '../helpers/demo';
import {
  csrfOf,
  horizontalOverflow,
  leadPatientWithAcp,
  newActor,
  pdfPageSizes,
  PHONE,
  RESUSCITATION_TEXT,
  signedInActor,
  type Actor,
  type KitPatient,
} from '../helpers/emergency';

// The fridge kit from printing to the ambulance: the demo doctor (dr.kato) prints the kit of a patient
// he leads, a demo paramedic (em.kawai) on a phone scans its QR code, signs in, gives a reason and
// reads the emergency sheet, records a transport to 幡山みなみ病院; a new kit voids the old code.
// The tests share the two signed-in browsers, so they run in order.
const HOSPITAL = { code: 'seto-hatayama-hospital', name: '幡山みなみ病院' };

let doctor: Actor | null = null;
let paramedic: Actor | null = null;
let patient: KitPatient | null = null;
let kitPath = '';

test.describe.serial('fridge kit and break-glass access', () => {
  test.afterAll(async () => {
    for (const actor of [doctor, paramedic]) {
      if (actor) await actor.context.close();
    }
  });

  test('(a) a care-team doctor issues the kit of his patient and prints it', async ({ browser, baseURL }) => {
    doctor = await signedInActor(browser, baseURL, 'dr.kato');
    const page = doctor.page;
    patient = await leadPatientWithAcp(page.request);

    // From the patient's summary, the doctor opens the kit page.
    await page.goto(`/carenet/patients/${patient.id}/summary`);
    await expect(page.getByTestId('summary')).toBeVisible();
    await page.getByTestId('patient-kit').click();
    await expect(page).toHaveURL(new RegExp(`/emergency/kit/${patient.id}$`));
    await expect(page.getByTestId('page-title')).toHaveText('救急医療情報キット');
    // Nothing is issued by opening the page: a new code would void the one on the fridge.
    await expect(page.getByTestId('kit-sheet')).toHaveCount(0);
    await page.getByTestId('kit-issue').click();

    const sheet = page.getByTestId('kit-sheet');
    await expect(sheet).toBeVisible();
    await expect(sheet).toContainText('救急医療情報');
    await expect(page.getByTestId('kit-name')).toHaveText(patient.name);
    await expect(sheet).toContainText(patient.kana);
    await expect(page.getByTestId('kit-qr').locator('svg')).toBeVisible();
    await expect(sheet).toContainText('救急隊員はこのQRコードを読み取ってください（個人情報は含まれません）');
    await expect(sheet).toContainText('再発行すると以前のQRコードは無効になります');
    await expect(page.getByTestId('kit-issued')).toContainText('発行日');
    const url = await page.getByTestId('kit-url').getAttribute('data-url');
    expect(url).toMatch(/\/e\/[^/?#]+$/);
    kitPath = new URL(url!).pathname;
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-kit.png'), fullPage: true });

    // Printed: the sheet alone, on one A4 page (or one A5 page).
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('nav')).toBeHidden();
    await expect(page.getByTestId('kit-toolbar')).toBeHidden();
    await expect(sheet).toBeVisible();
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-kit-print.png'), fullPage: true });
    const a4 = await page.pdf({ path: join(ARTIFACTS, 'emergency-kit-a4.pdf'), preferCSSPageSize: true });
    expect(pdfPageSizes(a4)).toEqual([[595, 842]]);
    await page.emulateMedia({ media: 'screen' });
    await page.getByTestId('kit-size-a5').check();
    await expect(sheet).toHaveAttribute('data-size', 'a5');
    await page.emulateMedia({ media: 'print' });
    const a5 = await page.pdf({ path: join(ARTIFACTS, 'emergency-kit-a5.pdf'), preferCSSPageSize: true });
    expect(pdfPageSizes(a5)).toEqual([[420, 595]]);
    await page.emulateMedia({ media: 'screen' });
    await page.getByTestId('kit-size-a4').check();
    expect(doctor.errors).toEqual([]);
  });

  test('(b) a paramedic on a phone scans the QR code, signs in, opens the sheet and records a transport', async ({ browser, baseURL }) => {
    expect(kitPath, 'the kit of test (a)').not.toBe('');
    paramedic = await newActor(browser, baseURL, PHONE);
    const page = paramedic.page;

    // Not signed in: the login page, which returns to the kit afterwards.
    await page.goto(kitPath);
    await expect(page.getByTestId('login-form')).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(kitPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const login = await demoLogin(page.request, 'em.kawai');
    await fillLogin(page, { username: login.username, password: login.password, totpSecret: '' }, login.otp);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(new RegExp(`${kitPath}$`));

    // Whose kit it is (identity only), then the break-glass form with its warning.
    await expect(page.getByTestId('kit-person-name')).toHaveText(patient!.name);
    await expect(page.getByTestId('break-glass-warning')).toContainText('記録されます');
    await expect(page.getByTestId('break-glass-warning')).toContainText('ケアチームと市に通知');
    // Reason and note are both required.
    await page.getByTestId('break-glass-submit').click();
    await expect(page.getByTestId('break-glass-reason-error')).toBeVisible();
    await page.getByTestId('break-glass-reason').first().click();
    await page.getByTestId('break-glass-submit').click();
    await expect(page.getByTestId('break-glass-note-error')).toBeVisible();
    await page.getByTestId('break-glass-note').fill('自宅で倒れているところを長女が発見。呼びかけに反応が鈍い（e2e）');
    await expect(page.getByTestId('break-glass-note-error')).toHaveCount(0);
    await expectAccessible(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-kit-landing-phone.png'), fullPage: true });
    await page.getByTestId('break-glass-submit').click();

    // The sheet: name, age, the advance care plan with its date, the time left, on one phone screen.
    await expect(page).toHaveURL(new RegExp(`/emergency/persons/${patient!.id}$`));
    await expect(page.getByTestId('emergency-sheet')).toBeVisible();
    await expect(page.getByTestId('page-title')).toHaveText(patient!.name);
    await expect(page.getByTestId('sheet-age')).toContainText('歳');
    await expect(page.getByTestId('sheet-acp')).toHaveAttribute('data-resuscitation', patient!.resuscitation);
    await expect(page.getByTestId('sheet-acp-resuscitation')).toHaveText(RESUSCITATION_TEXT[patient!.resuscitation]);
    await expect(page.getByTestId('sheet-acp-confirmed')).toContainText('に確認');
    await expect(page.getByTestId('sheet-remaining')).toHaveText(/\d+(時間\d+)?分/);
    await expect(page.getByTestId('sheet-allergies')).toBeVisible();
    const acpBox = await page.getByTestId('sheet-acp-resuscitation').boundingBox();
    expect(acpBox && acpBox.y + acpBox.height <= 812, 'the resuscitation wish is on the first screen').toBeTruthy();
    const bodySize = await page.getByTestId('sheet-next-of-kin').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(bodySize).toBeGreaterThanOrEqual(18);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-sheet-phone.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-sheet-phone-full.png'), fullPage: true });
    // The paramedic's open sheets list it with the time left.
    const grants = (await (await page.request.get('/api/v1/emergency/grants')).json()) as { grants: { person: { id: number } }[] };
    expect(grants.grants.some((g) => g.person.id === patient!.id)).toBeTruthy();

    // Transport to 幡山みなみ病院, time "now".
    await page.getByTestId('sheet-go-transport').click();
    await page.getByTestId('transport-hospital').selectOption(HOSPITAL.code);
    await page.getByTestId('transport-condition').fill('JCS 10、血圧 96/58、SpO2 94%。右大腿部痛の訴えあり（e2e）');
    await page.getByTestId('transport-submit').click();
    await expect(page.getByTestId('transport-done')).toContainText(`${HOSPITAL.name}への搬送を記録しました`);
    await expect(page.getByTestId('transport-hospital-access')).toContainText(`${HOSPITAL.name}の医師・看護師は`);
    const recorded = page.getByTestId('sheet-transport').first();
    await expect(recorded).toContainText(HOSPITAL.name);
    await expect(recorded).toContainText('JCS 10');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByTestId('transport-done').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-transport-phone.png') });

    // Printed: the sheet without the form and the buttons.
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(page.getByTestId('transport-form')).toBeHidden();
    await expect(page.getByTestId('sheet-print')).toBeHidden();
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-sheet-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    expect(paramedic.errors).toEqual([]);
  });

  test("the receiving hospital's doctor reads the sheet, without ending it or recording transports", async ({ browser, baseURL }) => {
    expect(patient, 'the transport of test (b)').toBeTruthy();
    const hospital = await newActor(browser, baseURL);
    try {
      const page = hospital.page;
      await loginViaUi(page, HOSPITAL_DOCTOR);
      await expect(page.getByTestId('nav-emergency-search')).toHaveCount(0);
      await page.getByTestId('nav-emergency').click();
      await expect(page.getByTestId('emergency-hub')).toBeVisible();
      const grant = page.locator(`[data-testid="live-grant"][data-person-id="${patient!.id}"]`);
      await expect(grant).toContainText(patient!.name);
      await expect(grant).toContainText('搬送先病院');
      await grant.getByTestId('live-grant-link').click();
      await expect(page.getByTestId('page-title')).toHaveText(patient!.name);
      await expect(page.getByTestId('sheet-acp-resuscitation')).toHaveText(RESUSCITATION_TEXT[patient!.resuscitation]);
      await expect(page.getByTestId('sheet-transport').first()).toContainText(HOSPITAL.name);
      await expect(page.getByTestId('sheet-end')).toHaveCount(0);
      await expect(page.getByTestId('transport-form')).toHaveCount(0);
      await expectAccessible(page);
      await page.screenshot({ path: join(ARTIFACTS, 'emergency-sheet-hospital.png'), fullPage: true });
      expect(hospital.errors).toEqual([]);
    } finally {
      await hospital.context.close();
    }
  });

  test('(c) a new kit makes the old QR code invalid', async () => {
    expect(doctor && paramedic && kitPath, 'the browsers of tests (a) and (b)').toBeTruthy();
    const page = doctor!.page;
    await page.getByTestId('kit-reissue').click();
    await expect(page.getByTestId('kit-reissue-box')).toContainText('使えなくなります');
    await page.getByTestId('kit-reissue-confirm').click();
    await expect(page.getByTestId('kit-url')).not.toHaveAttribute('data-url', new RegExp(`${kitPath}$`));
    const newPath = new URL((await page.getByTestId('kit-url').getAttribute('data-url'))!).pathname;
    expect(newPath).not.toBe(kitPath);

    const phone = paramedic!.page;
    await phone.goto(kitPath);
    await expect(phone.getByTestId('kit-invalid')).toContainText('このQRコードは無効です（再発行済み）');
    await expect(phone.getByTestId('break-glass-form')).toHaveCount(0);
    await expectAccessible(phone);
    await phone.screenshot({ path: join(ARTIFACTS, 'emergency-kit-invalid-phone.png'), fullPage: true });
    // The new code leads to the same person (whose sheet is still open for this paramedic).
    await phone.goto(newPath);
    await expect(phone.getByTestId('kit-person-name')).toHaveText(patient!.name);
    await expect(phone.getByTestId('kit-landing-sheet')).toBeVisible();
    expect(doctor!.errors).toEqual([]);
    expect(paramedic!.errors).toEqual([]);
  });

  test('the paramedic ends the access, then opens it again from the search', async () => {
    expect(paramedic && patient, 'the paramedic of test (b)').toBeTruthy();
    const page = paramedic!.page;
    await page.goto(`/emergency/persons/${patient!.id}`);
    await expect(page.getByTestId('emergency-sheet')).toBeVisible();
    await page.getByTestId('sheet-end').click();
    await page.getByTestId('sheet-end-confirm').click();
    await expect(page.getByTestId('sheet-closed-reason')).toHaveAttribute('data-why', 'ended');
    // Without a live grant the sheet is a friendly way back, not an error.
    await page.reload();
    await expect(page.getByTestId('sheet-closed-reason')).toHaveAttribute('data-why', 'none');
    await expect(page.getByTestId('sheet-closed-open')).toBeVisible();
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-sheet-closed-phone.png'), fullPage: true });

    // The search: identity only, then the break-glass dialog.
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-emergency-search').click();
    await expect(page.getByTestId('emergency-search-page')).toBeVisible();
    await page.getByTestId('emergency-search-q').fill(patient!.kana);
    await page.getByTestId('emergency-search-submit').click();
    const row = page.locator(`[data-testid="emergency-person-row"][data-person-id="${patient!.id}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(patient!.name);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-search-phone.png'), fullPage: true });
    await row.getByTestId('emergency-person-open').click();
    const dialog = page.getByTestId('break-glass');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('break-glass-person')).toContainText(patient!.name);
    await dialog.getByTestId('break-glass-reason').first().click();
    await dialog.getByTestId('break-glass-note').fill('搬送先で再確認のため（e2e）');
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'emergency-break-glass-phone.png') });
    await dialog.getByTestId('break-glass-submit').click();
    await expect(page).toHaveURL(new RegExp(`/emergency/persons/${patient!.id}$`));
    await expect(page.getByTestId('sheet-acp-resuscitation')).toHaveText(RESUSCITATION_TEXT[patient!.resuscitation]);
    // The earlier transport is on the sheet.
    await expect(page.getByTestId('sheet-transport').first()).toContainText(HOSPITAL.name);
    expect(paramedic!.errors).toEqual([]);
  });
});

test('(d) a nurse who is no paramedic gets no break-glass access', async ({ browser, baseURL }) => {
  const nurse = await signedInActor(browser, baseURL, 'ns.suzuki');
  try {
    const p = nurse.page;
    await expect(p.getByTestId('nav-emergency')).toBeAttached();
    await expect(p.getByTestId('nav-emergency-search')).toHaveCount(0);
    await expect(p.getByTestId('part-card-emergency-search')).toHaveCount(0);
    await p.goto('/emergency');
    await expect(p.getByTestId('emergency-hub')).toBeVisible();
    await expect(p.getByTestId('emergency-search')).toHaveCount(0);
    await expect(p.getByTestId('break-glass-form')).toHaveCount(0);
    await p.goto('/emergency/search');
    await expect(p.getByTestId('denied')).toBeVisible();

    // The server says no as well.
    const csrf = await csrfOf(p.request);
    const anyone = (await (await p.request.get('/api/v1/carenet/patients?limit=1')).json()) as { patients: { person: { id: number } }[] };
    const person = anyone.patients[0]?.person.id ?? 1;
    const grant = await p.request.post('/api/v1/emergency/grants', {
      data: { person, reason: 'unresponsive', note: '看護師による試行（e2e）' },
      headers: { 'X-CSRF-Token': csrf },
    });
    expect(grant.status()).toBe(403);
    expect(nurse.errors).toEqual([]);
  } finally {
    await nurse.context.close();
  }
});

adminTest('a reviewer sees each break-glass use and marks it as reviewed; the admin sets the duration', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('nav-emergency-review')).toBeAttached();
  await page.goto('/emergency/review');
  await expect(page.getByTestId('emergency-review')).toBeVisible();
  const rows = page.getByTestId('review-row');
  await expect(rows.first()).toBeVisible();
  const viaKit = rows.filter({ has: page.getByTestId('review-via-kit') }).first();
  if (patient) {
    await expect(viaKit).toContainText(patient.name);
    await expect(viaKit.getByTestId('review-note')).toContainText('（e2e）');
  }
  // One row by its grant: it stays the same locator while its button becomes a form.
  const grant = await rows.filter({ has: page.getByTestId('review-open') }).first().getAttribute('data-grant');
  const reviewed = page.locator(`[data-testid="review-row"][data-grant="${grant}"]`);
  await expect(reviewed).toHaveAttribute('data-reviewed', 'false');
  await reviewed.getByTestId('review-open').click();
  await reviewed.getByTestId('review-note-input').fill('救急搬送のための閲覧。問題なし（e2e）');
  await reviewed.getByTestId('review-submit').click();
  await expect(reviewed).toHaveAttribute('data-reviewed', 'true');
  await expect(reviewed.getByTestId('review-done')).toContainText('確認済み');

  await expect(page.getByTestId('emergency-settings')).toBeVisible();
  const minutes = page.getByTestId('settings-minutes');
  await expect(minutes).not.toHaveValue('');
  const before = await minutes.inputValue();
  await minutes.fill('5');
  await page.getByTestId('settings-submit').click();
  await expect(page.getByTestId('settings-error')).toBeVisible();
  await minutes.fill(before);
  await page.getByTestId('settings-submit').click();
  await expect(page.getByTestId('settings-saved')).toContainText(before);
  await expectAccessible(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'emergency-review.png'), fullPage: true });
});

import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { issueKit, type IssuedKit } from '../api/emergency';
import { formatBirthDate, localDate } from '../common/format';
import { t, tOptional, useLang, type Lang } from '../common/i18n';
import { useSubmit } from '../common/use_submit';
import { ConfirmBox } from '../components/confirm_box';
import { describeError } from '../components/error_message';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { QrCode } from '../components/qr_code';
import { byOrder, phonesOf } from './contacts';
import './emergency.css';

type PaperSize = 'a4' | 'a5';
const PAPER_SIZES: readonly PaperSize[] = ['a4', 'a5'];

/**
 * 救急医療情報キット: the sheet for the kit in the fridge — who lives here, the family doctor, whom
 * to call, and a QR code that leads a paramedic to the break-glass page. The code is issued on
 * request (not on opening the page), because each issue makes the previous code invalid.
 */
export function KitPage({ id }: { id: string }) {
  useLang();
  const personId = /^\d+$/.test(id) ? Number(id) : NaN;
  const [kit, setKit] = useState<IssuedKit | null>(null);
  const [size, setSize] = useState<PaperSize>('a4');
  const [confirming, setConfirming] = useState(false);
  const { submit, busy, error } = useSubmit(async () => {
    setKit(await issueKit(personId));
    setConfirming(false);
  });

  return (
    <div class="em-kit-page">
      <Page title={t('emergency.kit.title')} lead={t('emergency.kit.lead')} testId="kit-page">
        <p class="no-print">
          <Link href={`/carenet/patients/${personId}/summary`} class="button button-quiet button-small" data-testid="kit-back">
            {t('emergency.kit.back')}
          </Link>
        </p>
        {error ? (
          <div class="notice notice-error no-print" role="alert" data-testid="kit-error">
            <p>{kitErrorText(error)}</p>
          </div>
        ) : null}
        {kit === null ? (
          <div class="card no-print" data-testid="kit-issue-box">
            <p>{t('emergency.kit.issue_explain')}</p>
            <p class="field-hint">{t('emergency.kit.reissue_note')}</p>
            <button
              type="button"
              class="button button-primary"
              disabled={busy || Number.isNaN(personId)}
              onClick={(e) => void submit(e)}
              data-testid="kit-issue"
            >
              {busy ? t('emergency.kit.issuing') : t('emergency.kit.issue')}
            </button>
          </div>
        ) : (
          <>
            <div class="em-kit-toolbar no-print" data-testid="kit-toolbar">
              <fieldset class="em-kit-size">
                <legend>{t('emergency.kit.size')}</legend>
                {PAPER_SIZES.map((s) => (
                  <label key={s} class="em-kit-size-option">
                    <input type="radio" name="kit-size" value={s} checked={size === s} onChange={() => setSize(s)} data-testid={`kit-size-${s}`} />
                    <span>{s.toUpperCase()}</span>
                  </label>
                ))}
              </fieldset>
              <button type="button" class="button button-primary" onClick={() => window.print()} data-testid="kit-print">
                {t('emergency.kit.print')}
              </button>
              {confirming ? null : (
                <button type="button" class="button button-secondary" onClick={() => setConfirming(true)} data-testid="kit-reissue">
                  {t('emergency.kit.reissue')}
                </button>
              )}
            </div>
            {confirming ? (
              <ConfirmBox
                className="notice notice-warning"
                label={t('emergency.kit.reissue')}
                question={t('emergency.kit.reissue_question')}
                confirmLabel={t('emergency.kit.reissue_confirm')}
                busy={busy}
                onConfirm={(e) => void submit(e)}
                onCancel={() => setConfirming(false)}
                testId={{ box: 'kit-reissue-box', confirm: 'kit-reissue-confirm' }}
              />
            ) : null}
            <KitSheet kit={kit} size={size} />
          </>
        )}
      </Page>
    </div>
  );
}

/** The printed sheet itself; on screen a preview of the paper. */
function KitSheet({ kit, size }: { kit: IssuedKit; size: PaperSize }) {
  const lang = useLang();
  const person = kit.person;
  const kin = byOrder(kit.next_of_kin);
  return (
    <article class={`kit-sheet kit-${size}`} aria-label={t('emergency.kit.sheet_label')} data-testid="kit-sheet" data-size={size}>
      <header class="kit-header">
        <h2 class="kit-title">{t('emergency.kit.sheet_title')}</h2>
      </header>
      <div class="kit-top">
        <div class="kit-identity">
          <p class="kit-kana">{person.kana}</p>
          <p class="kit-name" data-testid="kit-name">
            {person.name}
          </p>
          <dl class="kit-facts">
            <div>
              <dt>{t('person.birth_date')}</dt>
              <dd>
                {person.birth_date ? `${formatBirthDate(person.birth_date, lang)}　` : ''}
                {t('person.age_value', { age: person.age })}
              </dd>
            </div>
            <div>
              <dt>{t('person.sex')}</dt>
              <dd>{tOptional(`sex.${person.sex}`, person.sex)}</dd>
            </div>
            <div>
              <dt>{t('person.address')}</dt>
              <dd>{person.address}</dd>
            </div>
            <div>
              <dt>{t('person.phones')}</dt>
              <dd>{person.phones.length > 0 ? person.phones.join('　') : t('emergency.sheet.none')}</dd>
            </div>
            <div>
              <dt>{t('emergency.sheet.care_level')}</dt>
              <dd data-testid="kit-care-level">{kit.care_level ? kit.care_level.level : t('emergency.sheet.none')}</dd>
            </div>
          </dl>
        </div>
        <div class="kit-qr-box">
          <QrCode svg={kit.kit.qr_svg} label={t('emergency.kit.qr_label')} testId="kit-qr" class="kit-qr" />
          <p class="kit-qr-note">{t('emergency.kit.qr_note')}</p>
        </div>
      </div>
      <section class="kit-block" aria-labelledby="kit-doctor">
        <h3 id="kit-doctor" class="kit-block-title">
          {t('emergency.sheet.family_doctor')}
        </h3>
        {kit.family_doctor ? (
          <p class="kit-doctor" data-testid="kit-family-doctor">
            <span class="kit-strong">{kit.family_doctor.name}</span>
            {kit.family_doctor.clinic ? `（${kit.family_doctor.clinic}）` : ''}
            {kit.family_doctor.phone ? <span class="kit-phone">{t('emergency.kit.tel', { phone: kit.family_doctor.phone })}</span> : null}
          </p>
        ) : (
          <p class="kit-blank">{t('emergency.sheet.none')}</p>
        )}
      </section>
      <section class="kit-block" aria-labelledby="kit-kin">
        <h3 id="kit-kin" class="kit-block-title">
          {t('emergency.sheet.next_of_kin')}
        </h3>
        {kin.length === 0 ? (
          <p class="kit-blank">{t('emergency.sheet.none')}</p>
        ) : (
          <table class="kit-kin" data-testid="kit-next-of-kin">
            <thead>
              <tr>
                <th scope="col">{t('emergency.kit.kin_name')}</th>
                <th scope="col">{t('emergency.kit.kin_relationship')}</th>
                <th scope="col">{t('person.phones')}</th>
              </tr>
            </thead>
            <tbody>
              {kin.map((c, i) => (
                <tr key={i}>
                  <td class="kit-strong">{c.name}</td>
                  <td>{c.relationship}</td>
                  <td class="kit-phone">{phonesOf(c).join('　')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <footer class="kit-foot">
        <p data-testid="kit-issued">{t('emergency.kit.issued_on', { date: issuedDay(kit.kit.issued_at, lang) })}</p>
        <p>{t('emergency.kit.reissue_note')}</p>
        <p class="kit-url" data-testid="kit-url" data-url={kit.kit.url}>
          {kit.kit.url}
        </p>
      </footer>
    </article>
  );
}

/** The day of issue in the tenant's zone, written like a birth date. */
function issuedDay(iso: string, lang: Lang): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatBirthDate(localDate(ms), lang);
}

function kitErrorText(error: ApiError): string {
  if (error.status === 403) return t('emergency.kit.forbidden');
  return describeError(error);
}

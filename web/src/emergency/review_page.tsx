import { useState } from 'preact/hooks';
import {
  getEmergencySettings,
  GRANT_MINUTES_MAX,
  GRANT_MINUTES_MIN,
  listGrantUses,
  reviewGrant,
  updateEmergencySettings,
  type GrantUse,
} from '../api/emergency';
import { formatDateTimeShort, localDate } from '../common/format';
import { t, tOptional, useLang, type Lang } from '../common/i18n';
import { replaceQuery, useLocation } from '../common/router';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { InputField } from '../components/form_field';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { ResultTable } from '../components/result_table';
import { formatUntil } from './remaining';
import './emergency.css';

const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * 緊急時アクセスの確認: every break-glass use in a date range — who opened whose sheet, why, through
 * a kit or not, how long, how often read, transports — and the reviewer's "checked" with a note.
 * Admins also set how long a grant stays open.
 */
export function ReviewPage() {
  const lang = useLang();
  const session = useSession();
  const { query } = useLocation();
  const now = Date.now();
  const from = validDate(query.get('from')) ?? localDate(now - DEFAULT_DAYS * DAY_MS);
  const to = validDate(query.get('to')) ?? localDate(now);
  const [fromText, setFromText] = useState(from);
  const [toText, setToText] = useState(to);
  const [uses, reload] = useResource((signal) => listGrantUses(from, to, signal), [from, to]);

  return (
    <Page title={t('emergency.review.title')} lead={t('emergency.review.lead')} testId="emergency-review">
      <form
        class="card form em-review-filter"
        onSubmit={(e) => {
          e.preventDefault();
          replaceQuery({ from: fromText || undefined, to: toText || undefined });
        }}
        data-testid="review-filter"
      >
        <InputField id="review-from" label={t('emergency.review.from')} type="date" value={fromText} onValue={setFromText} data-testid="review-from" />
        <InputField id="review-to" label={t('emergency.review.to')} type="date" value={toText} onValue={setToText} data-testid="review-to" />
        <div class="form-actions">
          <button type="submit" class="button button-primary" data-testid="review-filter-submit">
            {t('emergency.review.show')}
          </button>
        </div>
      </form>
      <ResourceView resource={uses} onRetry={reload}>
        {(list) => <UseTable uses={list} lang={lang} onReviewed={reload} />}
      </ResourceView>
      {hasPermission(session, 'emergency.settings') ? <GrantSettings /> : null}
    </Page>
  );
}

function validDate(text: string | null): string | null {
  return text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
}

/** The reason in the UI language; the server's (Japanese) label for a code this UI does not know. */
function reasonLabel(use: GrantUse): string {
  return tOptional(`emergency.reason.${use.reason}`, use.reason_label || use.reason);
}

function UseTable({ uses, lang, onReviewed }: { uses: GrantUse[]; lang: Lang; onReviewed: () => void }) {
  const open = uses.filter((u) => !u.review).length;
  return (
    <ResultTable
      items={uses}
      testId="review"
      count={t('emergency.review.count', { count: uses.length, open })}
      empty={t('emergency.review.empty')}
      columns={[
        t('emergency.review.col_opened'),
        t('emergency.review.col_by'),
        t('emergency.review.col_person'),
        t('emergency.review.col_reason'),
        t('emergency.review.col_end'),
        t('emergency.review.col_use'),
        t('emergency.review.col_review'),
      ]}
      class="em-review-table"
      scrollLabel={t('emergency.review.title')}
    >
      {(use) => (
        <tr key={use.grant} data-testid="review-row" data-grant={use.grant} data-reviewed={use.review ? 'true' : 'false'}>
          <td data-label={t('emergency.review.col_opened')}>
            <time dateTime={use.created_at}>{formatDateTimeShort(use.created_at, lang)}</time>
            <span class="em-badges">
              {use.kind === 'hospital' ? <span class="badge badge-muted">{t('emergency.kind.hospital')}</span> : null}
              {use.via_kit ? (
                <span class="badge badge-muted" data-testid="review-via-kit">
                  {t('emergency.review.via_kit')}
                </span>
              ) : null}
            </span>
          </td>
          <td data-label={t('emergency.review.col_by')}>
            <span class="cell-strong">{use.opened_by.name}</span>
            {use.kind === 'hospital' ? <span class="cell-sub">{t('emergency.review.for_hospital', { hospital: use.note })}</span> : null}
            {use.opened_by.organization ? <span class="cell-sub">{use.opened_by.organization}</span> : null}
          </td>
          <td data-label={t('emergency.review.col_person')} data-testid="review-person">
            {use.person.name}
          </td>
          <td data-label={t('emergency.review.col_reason')}>
            <span class="cell-strong" data-testid="review-reason">
              {reasonLabel(use)}
            </span>
            {use.kind === 'paramedic' ? (
              <span class="cell-sub em-pre" data-testid="review-note">
                {use.note}
              </span>
            ) : null}
          </td>
          <td data-label={t('emergency.review.col_end')} data-testid="review-end">
            {use.ended_at ? (
              <>
                <time dateTime={use.ended_at}>{formatDateTimeShort(use.ended_at, lang)}</time>
                <span class="cell-sub">{use.end_reason === 'expired' ? t('emergency.review.expired') : t('emergency.review.ended')}</span>
              </>
            ) : (
              <span class="badge badge-warning">{t('emergency.review.live', { time: formatUntil(use.expires_at, Date.now(), lang) })}</span>
            )}
          </td>
          <td data-label={t('emergency.review.col_use')} data-testid="review-use">
            {t('emergency.review.use', { reads: use.sheet_reads, transports: use.transports })}
          </td>
          <td data-label={t('emergency.review.col_review')}>
            <ReviewCell use={use} lang={lang} onReviewed={onReviewed} />
          </td>
        </tr>
      )}
    </ResultTable>
  );
}

function ReviewCell({ use, lang, onReviewed }: { use: GrantUse; lang: Lang; onReviewed: () => void }) {
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    await reviewGrant(use.grant, note.trim());
    setEditing(false);
    onReviewed();
  });
  if (use.review) {
    return (
      <div data-testid="review-done">
        <span class="badge badge-ok">{t('emergency.review.reviewed')}</span>
        <span class="cell-sub">{t('emergency.review.reviewed_by', { name: use.review.by.name, time: formatDateTimeShort(use.review.at, lang) })}</span>
        {use.review.note ? <span class="cell-sub em-pre">{use.review.note}</span> : null}
      </div>
    );
  }
  if (!editing) {
    return (
      <button type="button" class="button button-secondary button-small" onClick={() => setEditing(true)} data-testid="review-open">
        {t('emergency.review.mark')}
      </button>
    );
  }
  const id = `review-note-${use.grant}`;
  return (
    <form class="em-review-form" onSubmit={submit} data-testid="review-form">
      <label for={id}>{t('emergency.review.note')}</label>
      <textarea id={id} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="review-note-input" />
      {error ? (
        <p class="field-error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary button-small" disabled={busy} data-testid="review-submit">
          {t('emergency.review.mark')}
        </button>
        <button type="button" class="button button-quiet button-small" onClick={() => setEditing(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Admin: how long a break-glass grant stays open (minutes). */
function GrantSettings() {
  const [settings, reload] = useResource((signal) => getEmergencySettings(signal), []);
  return (
    <section class="card em-settings" aria-labelledby="em-settings-title" data-testid="emergency-settings">
      <h2 id="em-settings-title" class="section-title">
        {t('emergency.settings.title')}
      </h2>
      <ResourceView resource={settings} onRetry={reload}>
        {(data) => <GrantMinutesForm minutes={data.grant_minutes} />}
      </ResourceView>
    </section>
  );
}

function GrantMinutesForm({ minutes }: { minutes: number }) {
  const [text, setText] = useState(String(minutes));
  const [saved, setSaved] = useState<number | null>(null);
  const [outOfRange, setOutOfRange] = useState(false);
  const { submit, busy, error } = useSubmit(async () => {
    const value = Number(text);
    const bad = !Number.isInteger(value) || value < GRANT_MINUTES_MIN || value > GRANT_MINUTES_MAX;
    setOutOfRange(bad);
    setSaved(null);
    if (bad) return;
    const next = await updateEmergencySettings({ grant_minutes: value });
    setSaved(next.grant_minutes ?? value);
  });
  const invalid = outOfRange || (error?.status === 400 && error.field === 'grant_minutes');
  return (
    <form class="form em-settings-form" onSubmit={submit} noValidate data-testid="settings-form">
      <InputField
        id="settings-minutes"
        label={t('emergency.settings.minutes')}
        hint={t('emergency.settings.minutes_hint', { min: GRANT_MINUTES_MIN, max: GRANT_MINUTES_MAX })}
        type="number"
        inputMode="numeric"
        min={GRANT_MINUTES_MIN}
        max={GRANT_MINUTES_MAX}
        step={1}
        value={text}
        onValue={setText}
        aria-invalid={invalid ? 'true' : undefined}
        data-testid="settings-minutes"
      />
      {outOfRange ? (
        <p class="field-error" role="alert" data-testid="settings-error">
          {t('emergency.settings.out_of_range', { min: GRANT_MINUTES_MIN, max: GRANT_MINUTES_MAX })}
        </p>
      ) : null}
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="settings-error">
          {describeError(error)}
        </p>
      ) : null}
      {saved !== null ? (
        <p class="notice notice-success" role="status" data-testid="settings-saved">
          {t('emergency.settings.saved', { minutes: saved })}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy} data-testid="settings-submit">
          {t('emergency.settings.save')}
        </button>
      </div>
    </form>
  );
}

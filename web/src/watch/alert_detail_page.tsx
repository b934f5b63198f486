import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { ApiError } from '../api/client';
import {
  claimAlert,
  CLOSE_OUTCOMES,
  closeAlert,
  getAlert,
  recordStep,
  STEP_OUTCOMES,
  type Alert,
  type AlertContact,
  type AlertStep,
  type CloseOutcome,
  type NewStep,
} from '../api/watch_alerts';
import { formatAgo, formatBirthDate, formatDateTime } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { useClock } from '../common/use_clock';
import { asApiError } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import {
  AlertCardHead,
  alertErrorText,
  closeOutcomeLabel,
  contactName,
  LevelSteps,
  stepActionLabel,
  stepOutcomeLabel,
  stepTargetLabel,
  TelLink,
} from './alert_parts';
import { useAlertEvents } from './use_alert_events';
import './alerts.css';

const LIVE_REFRESH_DELAY_MS = 500;
const CLOCK_TICK_MS = 30_000;

/** Where on the page an action was started, so its result is shown next to it. */
type Section = 'claim' | 'resident' | 'family' | 'city' | 'emergency' | 'note' | 'close';

type Feedback = { section: Section; kind: 'ok'; text: string } | { section: Section; kind: 'error'; error: ApiError };

/** Errors after which what is on screen is out of date. */
const STALE_ERRORS = ['already_claimed', 'not_claimed', 'closed'];

export function AlertDetailPage({ id, user }: { id: string; user: User }) {
  const lang = useLang();
  useClock(CLOCK_TICK_MS);
  const alertId = /^\d+$/.test(id) ? Number(id) : NaN;
  const [alert, setAlert] = useState<Alert | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const running = useRef<AbortController | null>(null);
  const timer = useRef<number | undefined>(undefined);

  const load = () => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    const request = Number.isNaN(alertId) ? Promise.reject(new ApiError(404, 'not_found', 'not found')) : getAlert(alertId, controller.signal);
    request.then(
      (next) => {
        if (controller.signal.aborted) return;
        setAlert(next);
        setLoadError(null);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setLoadError(asApiError(err));
      },
    );
  };
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    loadRef.current();
    return () => {
      running.current?.abort();
      window.clearTimeout(timer.current);
    };
  }, [alertId]);

  // Another operator's steps, the timers' escalations: the page follows the alert live.
  useAlertEvents(
    (event) => {
      if (event.alert !== alertId || timer.current !== undefined) return;
      timer.current = window.setTimeout(() => {
        timer.current = undefined;
        loadRef.current();
      }, LIVE_REFRESH_DELAY_MS);
    },
    () => loadRef.current(),
  );

  /** Runs one change; the answer (without the call sheet) replaces the alert's state and steps. */
  const act = async (key: string, section: Section, change: () => Promise<Alert>, done: () => string | null): Promise<boolean> => {
    if (busy) return false;
    setBusy(key);
    setFeedback(null);
    try {
      const updated = await change();
      setAlert((current) => (current ? { ...current, ...updated } : updated));
      const text = done();
      setFeedback(text === null ? null : { section, kind: 'ok', text });
      return true;
    } catch (err) {
      const error = asApiError(err);
      setFeedback({ section, kind: 'error', error });
      if (STALE_ERRORS.includes(error.code)) loadRef.current();
      return false;
    } finally {
      setBusy(null);
    }
  };

  if (loadError && !alert) {
    if (loadError.status === 403) return <Denied />;
    if (loadError.status === 404) {
      return (
        <Page title={t('alert.not_found')} testId="alert-not-found">
          <BackLink />
        </Page>
      );
    }
    return (
      <Page title={t('alert.title')}>
        <ErrorMessage error={loadError} onRetry={() => loadRef.current()} />
        <BackLink />
      </Page>
    );
  }
  if (!alert) {
    return (
      <Page title={t('alert.title')}>
        <Loading />
      </Page>
    );
  }

  const mine = alert.claimed_by?.id === user.id;
  const closed = alert.state === 'closed';
  // Call operators record calls only on alerts they hold (the server says 409 not_claimed otherwise).
  const mustClaim = user.role === 'call_operator' && !mine;
  const locked = closed || mustClaim;
  const name = alert.resident?.name ?? t('alerts.unknown_resident');

  const step = (key: string, section: Section, input: NewStep, what: string) =>
    act(key, section, () => recordStep(alert.id, input), () => t('alert.recorded', { what }));

  return (
    <Page title={t('alert.title_named', { name })} testId="alert-detail">
      <p>
        <BackLink />
      </p>
      <Summary alert={alert} lang={lang} />

      <section class="alert-section" aria-labelledby="alert-claim-title" data-testid="alert-claim-section">
        <h2 id="alert-claim-title" class="visually-hidden">
          {t('alert.claim_title')}
        </h2>
        <ClaimBlock
          alert={alert}
          mine={mine}
          busy={busy === 'claim'}
          onClaim={() => act('claim', 'claim', () => claimAlert(alert.id), () => null)}
        />
        <SectionFeedback feedback={feedback} section="claim" />
      </section>

      {alert.resident ? <ResidentCard alert={alert} lang={lang} /> : null}

      <section class="alert-section" aria-labelledby="alert-sequence-title">
        <h2 id="alert-sequence-title" class="section-title">
          {t('alert.sequence')}
        </h2>
        {mustClaim && !closed ? (
          <p class="notice notice-warning" data-testid="alert-claim-first">
            {alert.claimed_by ? t('alert.held_by_other', { name: alert.claimed_by.name }) : t('alert.claim_first')}
          </p>
        ) : null}
        <ol class="call-sequence" data-testid="call-sequence">
          <SequenceStep n={1} level={alert.level} title={t('alert.step1')} testId="step-resident">
            <div class="alert-phones">
              {alert.resident && alert.resident.phones.length > 0 ? (
                alert.resident.phones.map((phone) => <TelLink key={phone} phone={phone} testId="step-resident-tel" />)
              ) : (
                <p class="watch-none">{t('alerts.phone_none')}</p>
              )}
            </div>
            <OutcomeButtons
              action="call_resident"
              group={t('alert.step1')}
              disabled={locked || busy !== null}
              busyKey={busy}
              onPick={(outcome) =>
                step(`call_resident:${outcome}`, 'resident', { action: 'call_resident', outcome }, `${t('alert.action.call_resident')} — ${t(`alert.outcome.${outcome}`)}`)
              }
            />
            <Recorded alert={alert} lang={lang} match={(s) => s.action === 'call_resident'} />
            <SectionFeedback feedback={feedback} section="resident" />
          </SequenceStep>

          <SequenceStep n={2} level={alert.level} title={t('alert.step2')} testId="step-family">
            {familyContacts(alert).length === 0 ? (
              <p class="watch-none" data-testid="step-family-none">
                {t('alert.no_family')}
              </p>
            ) : (
              <ul class="contact-list">
                {familyContacts(alert).map((contact) => (
                  <li key={contact.position} class="contact-item" data-testid="family-contact" data-position={contact.position}>
                    <p class="contact-name">
                      <span class="contact-order">{contact.position}</span>
                      {contactName(contact)}
                    </p>
                    {contact.phone ? <TelLink phone={contact.phone} testId="family-contact-tel" /> : null}
                    <OutcomeButtons
                      action="call_family"
                      group={t('alert.call_contact', { name: contactName(contact) })}
                      disabled={locked || busy !== null}
                      busyKey={busy}
                      keyPrefix={`call_family:${contact.position}`}
                      onPick={(outcome) =>
                        step(
                          `call_family:${contact.position}:${outcome}`,
                          'family',
                          { action: 'call_family', target: String(contact.position), outcome },
                          `${contact.name} — ${t(`alert.outcome.${outcome}`)}`,
                        )
                      }
                    />
                    <Recorded
                      alert={alert}
                      lang={lang}
                      match={(s) => s.action === 'call_family' && s.target === String(contact.position)}
                    />
                  </li>
                ))}
              </ul>
            )}
            <SectionFeedback feedback={feedback} section="family" />
          </SequenceStep>

          <SequenceStep n={3} level={alert.level} title={t('alert.step3')} testId="step-city">
            {cityContacts(alert).length > 0 ? (
              <div class="alert-phones">
                {cityContacts(alert).map((contact) =>
                  contact.phone ? (
                    <TelLink key={contact.position} phone={contact.phone} label={contact.name} testId="city-contact-tel" />
                  ) : null,
                )}
              </div>
            ) : null}
            <div class="step-buttons">
              <button
                type="button"
                class="button button-primary step-button"
                disabled={locked || busy !== null || alert.state === 'city'}
                onClick={() => step('handover_city', 'city', { action: 'handover_city' }, t('alert.action.handover_city'))}
                data-testid="step-handover"
              >
                {alert.state === 'city' ? t('alert.handed_over') : t('alert.handover')}
              </button>
            </div>
            {user.role === 'city_officer' || user.role === 'admin' ? (
              <div class="city-visit">
                <h4 class="step-subtitle">{t('alert.city_visit')}</h4>
                <OutcomeButtons
                  action="city_visit"
                  group={t('alert.city_visit')}
                  disabled={closed || busy !== null}
                  busyKey={busy}
                  onPick={(outcome) =>
                    step(`city_visit:${outcome}`, 'city', { action: 'city_visit', outcome }, `${t('alert.action.city_visit')} — ${t(`alert.outcome.${outcome}`)}`)
                  }
                />
              </div>
            ) : null}
            <Recorded alert={alert} lang={lang} match={(s) => s.action === 'handover_city' || s.action === 'city_visit'} />
            <SectionFeedback feedback={feedback} section="city" />
          </SequenceStep>

          <SequenceStep n={4} level={alert.level} title={t('alert.step4')} testId="step-emergency">
            <EmergencyForm
              disabled={locked || busy !== null}
              busy={busy === 'call_119'}
              onSubmit={(destination, note) =>
                step('call_119', 'emergency', { action: 'call_119', target: destination, note }, t('alert.action.call_119'))
              }
            />
            <Recorded alert={alert} lang={lang} match={(s) => s.action === 'call_119'} />
            <SectionFeedback feedback={feedback} section="emergency" />
          </SequenceStep>
        </ol>
      </section>

      {!closed ? (
        <div class="alert-forms">
          <NoteForm
            disabled={locked || busy !== null}
            busy={busy === 'note'}
            onSubmit={(note) => step('note', 'note', { action: 'note', note }, t('alert.action.note'))}
            feedback={<SectionFeedback feedback={feedback} section="note" />}
          />
          <CloseForm
            disabled={locked || busy !== null}
            busy={busy === 'close'}
            onSubmit={(outcome, note) =>
              act('close', 'close', () => closeAlert(alert.id, outcome, note), () => t('alert.closed_done', { outcome: closeOutcomeLabel(outcome) }))
            }
            feedback={<SectionFeedback feedback={feedback} section="close" />}
          />
        </div>
      ) : (
        <SectionFeedback feedback={feedback} section="close" />
      )}

      <History alert={alert} lang={lang} />
    </Page>
  );
}

function BackLink() {
  return (
    <Link href="/watch/alerts" class="button button-quiet" data-testid="alert-back">
      {t('alert.back')}
    </Link>
  );
}

function familyContacts(alert: Alert): AlertContact[] {
  return (alert.contacts ?? []).filter((c) => c.kind !== 'city').sort((a, b) => a.position - b.position);
}

function cityContacts(alert: Alert): AlertContact[] {
  return (alert.contacts ?? []).filter((c) => c.kind === 'city').sort((a, b) => a.position - b.position);
}

function Summary({ alert, lang }: { alert: Alert; lang: Lang }) {
  const nowMs = Date.now();
  return (
    <div class={`card alert-summary alert-card-u${Math.min(Math.max(alert.urgency, 1), 3)}`} data-testid="alert-summary">
      <AlertCardHead alert={alert} />
      <p class="alert-text alert-text-large" data-testid="alert-text">
        {alert.text}
      </p>
      <LevelSteps level={alert.level} />
      <dl class="alert-facts">
        <div>
          <dt>{t('alerts.opened')}</dt>
          <dd data-testid="alert-opened">
            <time dateTime={alert.opened_at}>{formatDateTime(alert.opened_at, lang)}</time>（{formatAgo(alert.opened_at, nowMs)}）
          </dd>
        </div>
        <div>
          <dt>{t('alerts.holder_label')}</dt>
          <dd data-testid="alert-holder">{alert.claimed_by ? alert.claimed_by.name : t('alerts.holder_nobody')}</dd>
        </div>
        {alert.state !== 'closed' && alert.next_timer_at ? (
          <div>
            <dt>{t('alert.next_timer')}</dt>
            <dd data-testid="alert-next-timer">
              <time dateTime={alert.next_timer_at}>{formatDateTime(alert.next_timer_at, lang)}</time>
            </dd>
          </div>
        ) : null}
        {alert.state === 'closed' && alert.outcome ? (
          <div>
            <dt>{t('alert.outcome_label')}</dt>
            <dd data-testid="alert-outcome" data-outcome={alert.outcome}>
              {closeOutcomeLabel(alert.outcome)}
              {alert.closed_at ? `（${formatDateTime(alert.closed_at, lang)}）` : ''}
            </dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}

function ResidentCard({ alert, lang }: { alert: Alert; lang: Lang }) {
  const r = alert.resident!;
  return (
    <section class="card alert-resident-card" aria-labelledby="alert-resident-title" data-testid="alert-resident">
      <h2 id="alert-resident-title" class="alert-resident-title">
        <span data-testid="alert-resident-name">{r.name}</span>
        <span class="alert-kana" data-testid="alert-resident-kana">
          {r.kana}
        </span>
      </h2>
      <dl class="alert-facts">
        <div>
          <dt>{t('alerts.address')}</dt>
          <dd data-testid="alert-address">{r.address || t('common.not_registered')}</dd>
        </div>
        {r.birth_date ? (
          <div>
            <dt>{t('alert.birth_date')}</dt>
            <dd>{formatBirthDate(r.birth_date, lang)}</dd>
          </div>
        ) : null}
      </dl>
      <p>
        <Link href={`/persons/${r.id}`} data-testid="alert-person-link">
          {t('alert.person_link')}
        </Link>
      </p>
    </section>
  );
}

function ClaimBlock({ alert, mine, busy, onClaim }: { alert: Alert; mine: boolean; busy: boolean; onClaim: () => void }) {
  if (alert.state === 'closed') {
    return (
      <p class="notice notice-info" data-testid="alert-closed">
        {t('alert.closed_notice', { outcome: alert.outcome ? closeOutcomeLabel(alert.outcome) : '' })}
      </p>
    );
  }
  if (mine) {
    return (
      <p class="notice notice-success" role="status" data-testid="alert-mine">
        {t('alert.claimed_by_me')}
      </p>
    );
  }
  return (
    <div class="claim-block">
      {alert.claimed_by ? (
        <p class="notice notice-warning" data-testid="alert-held">
          {t('alert.held_by_other', { name: alert.claimed_by.name })}
        </p>
      ) : (
        <button type="button" class="button button-primary claim-button" disabled={busy} onClick={onClaim} data-testid="alert-claim">
          {busy ? t('alert.claiming') : t('alert.claim')}
        </button>
      )}
    </div>
  );
}

function SequenceStep({
  n,
  level,
  title,
  testId,
  children,
}: {
  n: number;
  level: number;
  title: string;
  testId: string;
  children: ComponentChildren;
}) {
  const state = n === level ? 'current' : n < level ? 'passed' : 'ahead';
  return (
    <li class={`sequence-step sequence-step-${state}`} data-testid={testId} data-current={n === level}>
      <h3 class="sequence-title">
        {title}
        {n === level ? <span class="sequence-now">{t('alert.current_step')}</span> : null}
      </h3>
      {children}
    </li>
  );
}

function OutcomeButtons<A extends 'call_resident' | 'call_family' | 'city_visit'>({
  action,
  group,
  disabled,
  busyKey,
  keyPrefix,
  onPick,
}: {
  action: A;
  group: string;
  disabled: boolean;
  busyKey: string | null;
  keyPrefix?: string;
  onPick: (outcome: (typeof STEP_OUTCOMES)[A][number]) => void;
}) {
  const outcomes = STEP_OUTCOMES[action] as readonly (typeof STEP_OUTCOMES)[A][number][];
  return (
    <div class="step-buttons" role="group" aria-label={group}>
      {outcomes.map((outcome) => {
        const key = `${keyPrefix ?? action}:${outcome}`;
        return (
          <button
            key={outcome}
            type="button"
            class={`button step-button step-outcome-${outcome}`}
            disabled={disabled}
            aria-busy={busyKey === key}
            onClick={() => onPick(outcome)}
            data-testid={`${action === 'call_family' ? 'family' : action === 'call_resident' ? 'resident' : 'visit'}-${outcome}`}
          >
            {t(`alert.outcome.${outcome}`)}
          </button>
        );
      })}
    </div>
  );
}

/** The steps already recorded for one part of the sequence, newest last. */
function Recorded({ alert, lang, match }: { alert: Alert; lang: Lang; match: (step: AlertStep) => boolean }) {
  const steps = (alert.steps ?? []).filter(match);
  if (steps.length === 0) return null;
  return (
    <ul class="recorded" data-testid="recorded">
      {steps.map((s) => (
        <li key={s.seq}>
          <time dateTime={s.at}>{formatTime(s.at, lang)}</time> {stepActionLabel(s)}
          {s.outcome ? ` — ${stepOutcomeLabel(s)}` : ''}
          {s.action === 'call_119' && s.target ? `（${s.target}）` : ''}
        </li>
      ))}
    </ul>
  );
}

function SectionFeedback({ feedback, section }: { feedback: Feedback | null; section: Section }) {
  if (!feedback || feedback.section !== section) return null;
  if (feedback.kind === 'ok') {
    return (
      <p class="notice notice-success step-feedback" role="status" data-testid="alert-feedback">
        {feedback.text}
      </p>
    );
  }
  return (
    <div class="notice notice-error step-feedback" role="alert" data-testid="alert-error" data-code={feedback.error.code}>
      <p>{alertErrorText(feedback.error)}</p>
    </div>
  );
}

function EmergencyForm({
  disabled,
  busy,
  onSubmit,
}: {
  disabled: boolean;
  busy: boolean;
  onSubmit: (destination: string, note: string) => Promise<boolean>;
}) {
  const [destination, setDestination] = useState('');
  const [note, setNote] = useState('');
  return (
    <form
      class="step-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onSubmit(destination.trim(), note.trim())) {
          setDestination('');
          setNote('');
        }
      }}
    >
      <div class="field">
        <label for="call119-destination">{t('alert.call119.destination')}</label>
        <input
          id="call119-destination"
          value={destination}
          maxLength={200}
          autocomplete="off"
          onInput={(e) => setDestination(e.currentTarget.value)}
          data-testid="call119-destination"
        />
      </div>
      <div class="field">
        <label for="call119-note">{t('alert.call119.note')}</label>
        <textarea id="call119-note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="call119-note" />
      </div>
      <button type="submit" class="button button-danger step-button" disabled={disabled} data-testid="call119-submit">
        {busy ? t('alert.saving') : t('alert.call119.submit')}
      </button>
    </form>
  );
}

/** What the page hands each of its forms: whether it may be used, whether it is saving, and the result to show under it. */
interface FormProps<Args extends unknown[]> {
  disabled: boolean;
  busy: boolean;
  onSubmit: (...args: Args) => Promise<boolean>;
  feedback: ComponentChildren;
}

/** A card with one of the page's forms: title, fields, the submit button and the result of the last try. */
function AlertForm({
  name,
  title,
  submitClass,
  submitLabel,
  disabled,
  busy,
  onSubmit,
  feedback,
  children,
}: {
  name: 'note' | 'close';
  title: string;
  submitClass: string;
  submitLabel: string;
  disabled: boolean;
  busy: boolean;
  onSubmit: () => Promise<void>;
  feedback: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section class="card alert-form" aria-labelledby={`alert-${name}-title`} data-testid={`alert-${name}-section`}>
      <h2 id={`alert-${name}-title`} class="section-title">
        {title}
      </h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          await onSubmit();
        }}
        noValidate
      >
        {children}
        <button type="submit" class={`button ${submitClass} step-button`} disabled={disabled} data-testid={`alert-${name}-submit`}>
          {busy ? t('alert.saving') : submitLabel}
        </button>
      </form>
      {feedback}
    </section>
  );
}

/** The message under a required field left empty; its id is also its test id. */
function FieldError({ id, text }: { id: string; text: string }) {
  return (
    <p id={id} class="field-error" data-testid={id}>
      {text}
    </p>
  );
}

function NoteForm({ disabled, busy, onSubmit, feedback }: FormProps<[note: string]>) {
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <AlertForm
      name="note"
      title={t('alert.note.title')}
      submitClass="button-secondary"
      submitLabel={t('alert.note.submit')}
      disabled={disabled}
      busy={busy}
      feedback={feedback}
      onSubmit={async () => {
        if (!note.trim()) {
          setMissing(true);
          return;
        }
        setMissing(false);
        if (await onSubmit(note.trim())) setNote('');
      }}
    >
      <div class="field">
        <label for="alert-note">{t('alert.note.label')}</label>
        <textarea
          id="alert-note"
          rows={3}
          maxLength={2000}
          value={note}
          aria-invalid={missing}
          aria-describedby={missing ? 'alert-note-error' : undefined}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="alert-note"
        />
        {missing ? <FieldError id="alert-note-error" text={t('alert.note.required')} /> : null}
      </div>
    </AlertForm>
  );
}

function CloseForm({ disabled, busy, onSubmit, feedback }: FormProps<[outcome: CloseOutcome, note: string]>) {
  const [outcome, setOutcome] = useState<CloseOutcome | ''>('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  return (
    <AlertForm
      name="close"
      title={t('alert.close.title')}
      submitClass="button-primary"
      submitLabel={t('alert.close.submit')}
      disabled={disabled}
      busy={busy}
      feedback={feedback}
      onSubmit={async () => {
        if (!outcome) {
          setMissing(true);
          select.current?.focus();
          return;
        }
        setMissing(false);
        await onSubmit(outcome, note.trim());
      }}
    >
      <div class="field">
        <label for="alert-close-outcome">{t('alert.close.outcome')}</label>
        <select
          id="alert-close-outcome"
          ref={select}
          value={outcome}
          required
          aria-invalid={missing}
          aria-describedby={missing ? 'alert-close-error' : undefined}
          onChange={(e) => {
            setOutcome(e.currentTarget.value as CloseOutcome | '');
            setMissing(false);
          }}
          data-testid="alert-close-outcome"
        >
          <option value="">{t('alert.close.choose')}</option>
          {CLOSE_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {closeOutcomeLabel(o)}
            </option>
          ))}
        </select>
        {missing ? <FieldError id="alert-close-error" text={t('alert.close.required')} /> : null}
      </div>
      <div class="field">
        <label for="alert-close-note">{t('alert.close.note')}</label>
        <textarea
          id="alert-close-note"
          rows={2}
          maxLength={2000}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="alert-close-note"
        />
      </div>
    </AlertForm>
  );
}

function formatTime(iso: string, lang: Lang): string {
  return formatDateTime(iso, lang).replace(/^\d{4}\//, '');
}

function History({ alert, lang }: { alert: Alert; lang: Lang }) {
  const steps = alert.steps ?? [];
  return (
    <section class="alert-section" aria-labelledby="alert-history-title">
      <h2 id="alert-history-title" class="section-title">
        {t('alert.history')}
      </h2>
      <ol class="alert-timeline" data-testid="alert-history">
        {steps.map((s) => {
          const target = stepTargetLabel(s, alert);
          const outcome = stepOutcomeLabel(s);
          return (
            <li
              key={s.seq}
              class={`timeline-item timeline-${s.action}`}
              data-testid="alert-history-step"
              data-seq={s.seq}
              data-action={s.action}
              data-outcome={s.outcome}
            >
              <p class="timeline-head">
                <time class="timeline-time" dateTime={s.at} data-testid="history-time">
                  {formatDateTime(s.at, lang)}
                </time>
                <span class="timeline-actor" data-testid="history-actor">
                  {s.actor === 'system' ? t('alert.system') : s.actor}
                </span>
              </p>
              <p class="timeline-what">
                <strong data-testid="history-action">{stepActionLabel(s)}</strong>
                {target ? <span data-testid="history-target">{target}</span> : null}
                {outcome ? (
                  <span class={`timeline-outcome timeline-outcome-${s.outcome}`} data-testid="history-outcome">
                    {outcome}
                  </span>
                ) : null}
              </p>
              {s.note && s.action !== 'opened' ? (
                <p class="timeline-note" data-testid="history-note">
                  {s.note}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

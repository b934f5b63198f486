import { useMemo, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { getEvent, getPersonCard, getSettings, LOCATIONS, postSafety, type SafetyLabel, type SafetyLocation } from '../api/disaster';
import { CALL_OUTCOMES, getBroadcast, recordCall, type Call, type CallOutcome } from '../api/disaster_calls';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { asApiError, useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { ErrorMessage } from '../components/error_message';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { newClientId } from '../lifelog/client_id';
import { BroadcastProgressBar, outcomeName } from './broadcasts';
import { findLabel, labelName, textColorOn } from './labels';
import { EventHeading, LabelBadge } from './parts';
import './disaster.css';

/**
 * 架電リスト of one broadcast, for the call centre on a phone: the progress at the top, then one row
 * per person with the phone number as a big link, the outcome buttons and a note; after つながった
 * a quick 無事 / 要支援 post of the person's safety.
 */
export function BroadcastPage({ id, broadcastId }: { id: string; broadcastId: string }) {
  useLang();
  const [event] = useResource((signal) => getEvent(id, signal), [id]);
  const [settings] = useResource((signal) => getSettings(signal), []);
  const [resource, reload] = useResource((signal) => getBroadcast(id, broadcastId, signal), [id, broadcastId]);
  const [pendingOnly, setPendingOnly] = useState(false);
  const [calls, setCalls] = useState<Map<number, Call>>(new Map());
  /** Calls recorded since 未対応のみ was last switched. */
  const [kept, setKept] = useState<Set<number>>(new Set());
  const labels = settings.state === 'ok' ? settings.data.labels : [];

  return (
    <Page
      title={t('disaster.calls.title')}
      lead={event.state === 'ok' ? <EventHeading event={event.data} back /> : null}
      testId="disaster-calls-page"
    >
      <ResourceView resource={resource} onRetry={reload}>
        {(broadcast) => {
          const shown = broadcast.calls.map((c) => calls.get(c.id) ?? c);
          const called = shown.filter((c) => c.outcome !== null);
          const outcomes = Object.fromEntries(CALL_OUTCOMES.map((o) => [o, shown.filter((c) => c.outcome === o).length])) as Record<CallOutcome, number>;
          // Calls recorded on this page stay in 未対応のみ, so that the safety post after つながった can follow.
          const rows = pendingOnly ? shown.filter((c) => c.outcome === null || kept.has(c.id)) : shown;
          return (
            <>
              <section class="card dz-broadcast-head" data-testid="calls-progress-card">
                <p class="dz-broadcast-message">{broadcast.message}</p>
                <BroadcastProgressBar progress={{ total: shown.length, called: called.length, outcomes }} />
              </section>
              <label class="dz-check dz-pending-filter">
                <input type="checkbox" checked={pendingOnly} onChange={(e) => {
                    setPendingOnly(e.currentTarget.checked);
                    setKept(new Set());
                  }} data-testid="calls-pending-only" />
                <span>{t('disaster.calls.pending_only')}</span>
              </label>
              <ol class="plain-list dz-calls" data-testid="calls-list">
                {rows.map((call) => (
                  <CallRow
                    key={call.id}
                    eventId={id}
                    broadcastId={broadcastId}
                    call={call}
                    labels={labels}
                    writable={event.state === 'ok' && event.data.ended_at === null}
                    onChange={(next) => {
                      setCalls((prev) => new Map(prev).set(next.id, next));
                      setKept((prev) => new Set(prev).add(next.id));
                    }}
                  />
                ))}
              </ol>
              {rows.length === 0 ? <p class="field-hint" data-testid="calls-empty">{t('disaster.calls.none_pending')}</p> : null}
            </>
          );
        }}
      </ResourceView>
    </Page>
  );
}

function CallRow({
  eventId,
  broadcastId,
  call,
  labels,
  writable,
  onChange,
}: {
  eventId: string;
  broadcastId: string;
  call: Call;
  labels: SafetyLabel[];
  writable: boolean;
  onChange: (call: Call) => void;
}) {
  const lang = useLang();
  const [note, setNote] = useState(call.note);
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const [justReached, setJustReached] = useState(false);
  const save = useSubmit(async () => {
    if (!outcome) return;
    const next = await recordCall(eventId, broadcastId, call.id, { outcome, note: note.trim() });
    setJustReached(outcome === 'reached');
    setOutcome(null);
    onChange(next);
  });
  return (
    <li class="card dz-call" data-testid="call-row" data-call={call.id} data-person={call.person_id} data-outcome={call.outcome ?? ''} data-attempts={call.attempts}>
      <div class="dz-call-head">
        <span class="dz-call-name">
          <strong>{call.name}</strong>
          <span class="dz-call-kana">{call.kana}</span>
        </span>
        <LabelBadge label={findLabel(labels, call.label)} testId="call-label" />
      </div>
      <p class="dz-call-meta">
        {call.district}
        {' ・ '}
        <span data-testid="call-attempts">{t('disaster.calls.attempts', { n: call.attempts })}</span>
        {call.outcome ? (
          <>
            {' ・ '}
            <span data-testid="call-outcome">{outcomeName(call.outcome)}</span>
            {call.called_at ? ` (${formatDateTimeShort(call.called_at, lang)}${call.called_by ? ` ${call.called_by}` : ''})` : null}
          </>
        ) : (
          <>
            {' ・ '}
            <span class="badge badge-warning" data-testid="call-outcome">{t('disaster.calls.not_called')}</span>
          </>
        )}
      </p>
      {call.phone ? (
        <a class="button button-secondary dz-call-phone" href={`tel:${call.phone.replace(/[^0-9+]/g, '')}`} data-testid="call-phone">
          ☎ {call.phone}
        </a>
      ) : (
        <p class="field-hint">{t('disaster.calls.no_phone')}</p>
      )}
      {writable ? (
        <form class="dz-call-form" onSubmit={save.submit}>
          <fieldset class="dz-fieldset">
            <legend>{t('disaster.calls.outcome')}</legend>
            <div class="dz-outcome-choices">
              {CALL_OUTCOMES.map((o) => (
                <label key={o} class={outcome === o ? 'dz-location-choice is-checked' : 'dz-location-choice'} data-testid="call-outcome-choice" data-outcome={o}>
                  <input type="radio" class="visually-hidden" name={`dz-outcome-${call.id}`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                  <span>{outcomeName(o)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div class="field">
            <label for={`dz-call-note-${call.id}`}>{t('disaster.calls.note')}</label>
            <input id={`dz-call-note-${call.id}`} value={note} maxLength={1000} onInput={(e) => setNote(e.currentTarget.value)} data-testid="call-note" />
          </div>
          {save.error ? <ErrorMessage error={save.error} /> : null}
          <button type="submit" class="button button-primary button-wide" disabled={save.busy || outcome === null} data-testid="call-save">
            {t('disaster.calls.save')}
          </button>
        </form>
      ) : null}
      {justReached ? <QuickSafety eventId={eventId} call={call} labels={labels} onPosted={(label) => onChange({ ...call, label })} /> : null}
    </li>
  );
}

/** After a call that got through: 無事 or 要支援 in one tap (by the settings' names, else the keys blue and red). */
function QuickSafety({ eventId, call, labels, onPosted }: { eventId: string; call: Call; labels: SafetyLabel[]; onPosted: (label: string) => void }) {
  const lang = useLang();
  const choices = useMemo(() => labels.filter((l) => l.name === '無事' || l.name === '要支援' || l.key === 'blue' || l.key === 'red').slice(0, 2), [labels]);
  const [posted, setPosted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // One id per label chosen: the same post sent again after a lost answer is not written twice.
  const ids = useRef(new Map<string, string>());
  const post = async (label: string) => {
    if (!ids.current.has(label)) ids.current.set(label, newClientId());
    setBusy(true);
    setError(null);
    try {
      // Where the person is stays as last recorded: the call only says how they are.
      const { status } = await getPersonCard(eventId, call.person_id);
      const location = (LOCATIONS as readonly string[]).includes(status.location) ? (status.location as SafetyLocation) : 'unknown';
      const answer = await postSafety(eventId, call.person_id, {
        label,
        location,
        shelter: location === 'shelter' ? status.shelter : '',
        note: t('disaster.calls.safety_note'),
        client_id: ids.current.get(label)!,
      });
      setPosted(answer.status.label);
      onPosted(answer.status.label);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  if (posted) {
    return (
      <p class="notice notice-success" role="status" data-testid="call-safety-posted" data-label={posted}>
        {t('disaster.calls.safety_posted', { label: labelName(findLabel(labels, posted), lang) })}
      </p>
    );
  }
  return (
    <div class="dz-quick-safety" data-testid="call-safety">
      <p class="dz-quick-title">{t('disaster.calls.safety_title')}</p>
      <div class="dz-label-choices">
        {choices.map((l) => (
          <button
            key={l.key}
            type="button"
            class="dz-label-choice"
            style={{ background: l.color, color: textColorOn(l.color) }}
            disabled={busy}
            onClick={() => void post(l.key)}
            data-testid="call-safety-label"
            data-label={l.key}
          >
            {labelName(l, lang)}
          </button>
        ))}
      </div>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

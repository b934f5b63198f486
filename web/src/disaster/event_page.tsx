import { useState } from 'preact/hooks';
import {
  addChecklistItem,
  addLogNote,
  endEvent,
  getEvent,
  setChecklistDone,
  type ChecklistItem,
  type EventDetail,
  type LogEntry,
  type Phase,
} from '../api/disaster';
import type { ApiError } from '../api/client';
import { formatDateTimeShort } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { asApiError, useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { ConfirmBox } from '../components/confirm_box';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { BroadcastsSection } from './broadcasts';
import { kindName } from './labels';
import { DrillBadge } from './parts';
import { phaseName } from './phases';
import { PhaseTimeline } from './phase_timeline';
import './disaster.css';

/**
 * One event: what and when, where it stands on the −120 h … +120 h timeline, the checklist of each
 * phase, the log (newest first) with a note form, ending it; links to its map and its dashboard.
 * After each write the event is read again (the server logs ticks and notes itself).
 */
export function EventPage({ id }: { id: string }) {
  useLang();
  const [resource, reload] = useResource((signal) => getEvent(id, signal), [id]);
  const [fresh, setFresh] = useState<EventDetail | null>(null);
  const refresh = async () => setFresh(await getEvent(id));
  return (
    <ResourceView resource={resource} onRetry={reload}>
      {(loaded) => <EventView event={fresh ?? loaded} refresh={refresh} />}
    </ResourceView>
  );
}

function EventView({ event, refresh }: { event: EventDetail; refresh: () => Promise<void> }) {
  const lang = useLang();
  const session = useSession();
  const manage = hasPermission(session, 'disaster.manage');
  const open = event.ended_at === null;
  return (
    <Page
      title={event.title}
      testId="disaster-event-page"
      lead={
        <span class="dz-event-lead">
          <DrillBadge drill={event.drill} />
          <span data-testid="event-kind">{kindName(event.kind)}</span>
          <span>{t('disaster.event.onset_at', { at: formatDateTimeShort(event.onset_at, lang) })}</span>
          <span data-testid="event-phase" data-phase={event.phase}>
            {open ? t('disaster.event.phase_now', { phase: phaseName(event.phase) }) : t('disaster.event.ended_at', { at: formatDateTimeShort(event.ended_at!, lang) })}
          </span>
        </span>
      }
      actions={<EventLinks id={event.id} />}
    >
      {event.drill ? (
        <p class="dz-drill-banner" data-testid="drill-banner">
          {t('disaster.event.drill_banner')}
        </p>
      ) : null}
      <p class="dz-event-area">
        {t('disaster.event.area')}
        {event.area.length > 0 ? event.area.join('、') : t('disaster.event.whole_area')}
        {event.declared_by ? ` ・ ${t('disaster.event.declared_by', { name: event.declared_by.name, at: formatDateTimeShort(event.declared_at, lang) })}` : null}
      </p>
      <PhaseTimeline event={event} />
      <div class="dz-event-columns">
        <Checklists event={event} editable={manage && open} refresh={refresh} />
        <EventLog event={event} writable={open} refresh={refresh} />
      </div>
      <BroadcastsSection eventId={event.id} open={open} />
      {manage && open ? <EndEvent id={event.id} refresh={refresh} /> : null}
    </Page>
  );
}

/** A member of a care facility's staff (not the city), who reports on their own organisation. */
function facilityStaff(session: ReturnType<typeof useSession>): boolean {
  if (session.status !== 'signed_in' || !hasPermission(session, 'disaster.places')) return false;
  const kind = session.user.organization?.kind;
  return kind !== undefined && kind !== 'city_department';
}

/** 地図・一覧, 施設の状況報告 and 集計, for those who may open them. */
export function EventLinks({ id, map = true, dashboard = true }: { id: number; map?: boolean; dashboard?: boolean }) {
  const session = useSession();
  return (
    <>
      {map && hasPermission(session, 'disaster.person') ? (
        <Link href={`/disaster/events/${id}/map`} class="button button-primary" data-testid="event-map-link">
          {t('disaster.map.title')}
        </Link>
      ) : null}
      {facilityStaff(session) ? (
        <Link href={`/disaster/events/${id}/facility`} class="button button-secondary" data-testid="event-facility-link">
          {t('disaster.place.facility_link')}
        </Link>
      ) : null}
      {dashboard && hasPermission(session, 'disaster.report') ? (
        <Link href={`/disaster/events/${id}/dashboard`} class="button button-secondary" data-testid="event-dashboard-link">
          {t('disaster.dashboard.title')}
        </Link>
      ) : null}
    </>
  );
}

function Checklists({ event, editable, refresh }: { event: EventDetail; editable: boolean; refresh: () => Promise<void> }) {
  return (
    <section class="dz-checklists" aria-labelledby="dz-checklists-title" data-testid="checklists">
      <h2 id="dz-checklists-title" class="section-title">
        {t('disaster.checklist.title')}
      </h2>
      {event.phases.map((phase) => (
        <PhaseChecklist key={phase.key} eventId={event.id} phase={phase} current={phase.key === event.phase} editable={editable} refresh={refresh} />
      ))}
    </section>
  );
}

function PhaseChecklist({
  eventId,
  phase,
  current,
  editable,
  refresh,
}: {
  eventId: number;
  phase: Phase;
  current: boolean;
  editable: boolean;
  refresh: () => Promise<void>;
}) {
  const lang = useLang();
  const done = phase.checklist.filter((item) => item.done_at !== null).length;
  /** The item being saved and the state it is shown in meanwhile (ticked at once, put back on failure). */
  const [saving, setSaving] = useState<{ id: number; done: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [text, setText] = useState('');
  const add = useSubmit(async () => {
    await addChecklistItem(eventId, phase.key, text.trim());
    setText('');
    await refresh();
  });

  const toggle = async (item: ChecklistItem, done: boolean) => {
    setSaving({ id: item.id, done });
    setError(null);
    try {
      await setChecklistDone(eventId, item.id, done);
      await refresh();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(null);
    }
  };
  const shownDone = (item: ChecklistItem) => (saving?.id === item.id ? saving.done : item.done_at !== null);

  return (
    <details class={current ? 'card dz-phase is-current' : 'card dz-phase'} open={current} data-testid="checklist-phase" data-phase={phase.key}>
      <summary class="dz-phase-summary">
        <span class={`dz-swatch dz-band-${phase.key}`} aria-hidden="true" />
        <span class="dz-phase-summary-name">{lang === 'en' ? phase.name_en || phaseName(phase.key) : phase.name || phaseName(phase.key)}</span>
        {current ? <span class="badge badge-warning">{t('disaster.timeline.current')}</span> : null}
        <span class="dz-phase-count" data-testid="checklist-count">
          {t('disaster.checklist.count', { done, total: phase.checklist.length })}
        </span>
      </summary>
      {phase.checklist.length === 0 ? <p class="field-hint">{t('disaster.checklist.empty')}</p> : null}
      <ul class="plain-list dz-checklist">
        {phase.checklist.map((item) => (
          <li key={item.id} class={shownDone(item) ? 'dz-check-item is-done' : 'dz-check-item'} data-testid="checklist-item" data-item-id={item.id} data-done={item.done_at !== null}>
            <label class="dz-check">
              <input
                type="checkbox"
                checked={shownDone(item)}
                disabled={!editable || saving !== null}
                onChange={(e) => void toggle(item, e.currentTarget.checked)}
                data-testid="checklist-tick"
              />
              <span>
                <span class="dz-check-text">{item.text}</span>
                {item.done_at ? (
                  <span class="dz-check-hint">
                    {t('disaster.checklist.done_by', { at: formatDateTimeShort(item.done_at, lang), name: item.done_by?.name ?? '—' })}
                  </span>
                ) : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {error ? <ErrorMessage error={error} /> : null}
      {editable ? (
        <form class="dz-inline-form" onSubmit={add.submit} data-testid="checklist-add-form">
          <label for={`dz-add-${phase.key}`} class="visually-hidden">
            {t('disaster.checklist.add_label')}
          </label>
          <input
            id={`dz-add-${phase.key}`}
            value={text}
            maxLength={200}
            placeholder={t('disaster.checklist.add_placeholder')}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="checklist-add-text"
          />
          <button type="submit" class="button button-secondary" disabled={add.busy || !text.trim()} data-testid="checklist-add">
            {t('disaster.checklist.add')}
          </button>
          {add.error ? <ErrorMessage error={add.error} /> : null}
        </form>
      ) : null}
    </details>
  );
}

function EventLog({ event, writable, refresh }: { event: EventDetail; writable: boolean; refresh: () => Promise<void> }) {
  const [text, setText] = useState('');
  const note = useSubmit(async () => {
    await addLogNote(event.id, text.trim());
    setText('');
    await refresh();
  });
  return (
    <section class="card dz-log" aria-labelledby="dz-log-title" data-testid="event-log">
      <h2 id="dz-log-title" class="section-title">
        {t('disaster.log.title')}
      </h2>
      {writable ? (
        <form onSubmit={note.submit} class="dz-note-form" data-testid="log-form">
          <div class="field">
            <label for="dz-note">{t('disaster.log.note_label')}</label>
            <textarea id="dz-note" rows={2} maxLength={2000} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="log-note" />
          </div>
          {note.error ? <ErrorMessage error={note.error} /> : null}
          <button type="submit" class="button button-primary" disabled={note.busy || !text.trim()} data-testid="log-submit">
            {t('disaster.log.submit')}
          </button>
        </form>
      ) : null}
      {event.log.length === 0 ? <p class="field-hint">{t('disaster.log.empty')}</p> : null}
      <ol class="plain-list dz-log-list" data-testid="log-list">
        {event.log.map((entry) => (
          <LogRow key={entry.id} entry={entry} />
        ))}
      </ol>
    </section>
  );
}

function LogRow({ entry }: { entry: LogEntry }) {
  const lang = useLang();
  return (
    <li class={`dz-log-entry dz-log-${entry.kind}`} data-testid="log-entry" data-kind={entry.kind}>
      <div class="dz-log-meta">
        <time dateTime={entry.at}>{formatDateTimeShort(entry.at, lang)}</time>
        <span class="badge badge-muted">{tOptional(`disaster.log.kind.${entry.kind}`, entry.kind)}</span>
        {entry.phase ? <span class="dz-log-phase">{phaseName(entry.phase)}</span> : null}
        {entry.author ? <span class="dz-log-author">{entry.author.name}</span> : null}
      </div>
      <p class="dz-log-text" data-testid="log-entry-text">
        {entry.text}
      </p>
    </li>
  );
}

function EndEvent({ id, refresh }: { id: number; refresh: () => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const end = useSubmit(async () => {
    await endEvent(id);
    setAsking(false);
    await refresh();
  });
  if (!asking) {
    return (
      <p class="dz-end">
        <button type="button" class="button button-secondary" onClick={() => setAsking(true)} data-testid="event-end">
          {t('disaster.end.button')}
        </button>
      </p>
    );
  }
  return (
    <ConfirmBox
      className="notice notice-warning dz-end"
      label={t('disaster.end.button')}
      question={t('disaster.end.question')}
      confirmLabel={t('disaster.end.confirm')}
      busy={end.busy}
      onConfirm={(e) => void end.submit(e)}
      onCancel={() => setAsking(false)}
      testId={{ box: 'event-end-box', confirm: 'event-end-confirm' }}
    >
      {end.error ? <ErrorMessage error={end.error} /> : null}
    </ConfirmBox>
  );
}

import { useState } from 'preact/hooks';
import { declareEvent, EVENT_KINDS, listEvents, ONSET_RANGE_HOURS, type DisasterEvent, type EventKind } from '../api/disaster';
import { formatDateTimeShort, fromLocalInput, toLocalInput } from '../common/format';
import { t, useLang } from '../common/i18n';
import { navigate } from '../common/router';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { ErrorMessage } from '../components/error_message';
import { InputField, SelectField } from '../components/form_field';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { SheltersSection } from './shelters_section';
import { ResourceView } from '../components/resource_view';
import { kindName } from './labels';
import { LabelSettings } from './label_settings';
import { DrillBadge } from './parts';
import { phaseName } from './phases';
import './disaster.css';

/**
 * 災害・訓練: the events, open ones first, each marked 訓練 or 実災害; those who manage them declare
 * a new one here (a drill unless unticked) and set the safety labels.
 */
export function EventsPage() {
  useLang();
  const session = useSession();
  const manage = hasPermission(session, 'disaster.manage');
  const [events, reload] = useResource((signal) => listEvents(signal), []);
  const [declaring, setDeclaring] = useState(false);

  return (
    <Page
      title={t('disaster.events.title')}
      lead={t('disaster.events.lead')}
      testId="disaster-events-page"
      actions={
        manage && !declaring ? (
          <button type="button" class="button button-primary" onClick={() => setDeclaring(true)} data-testid="declare-open">
            {t('disaster.declare.open')}
          </button>
        ) : null
      }
    >
      {manage && declaring ? <DeclareForm onCancel={() => setDeclaring(false)} /> : null}
      <ResourceView resource={events} onRetry={reload}>
        {(list) => <EventList events={list} />}
      </ResourceView>
      {manage && events.state === 'ok' ? <SheltersSection /> : null}
      {manage && events.state === 'ok' ? <LabelSettings /> : null}
    </Page>
  );
}

function EventList({ events }: { events: DisasterEvent[] }) {
  const lang = useLang();
  if (events.length === 0) {
    return (
      <p class="empty" data-testid="events-empty">
        {t('disaster.events.empty')}
      </p>
    );
  }
  return (
    <ul class="plain-list dz-event-list" data-testid="event-list">
      {events.map((event) => (
        <li
          key={event.id}
          class={`card dz-event-item${event.drill ? ' is-drill' : ' is-real'}${event.ended_at ? ' is-ended' : ''}`}
          data-testid="event-item"
          data-event-id={event.id}
          data-drill={event.drill}
          data-open={event.ended_at === null}
        >
          <div class="dz-event-item-head">
            <DrillBadge drill={event.drill} />
            <span class={event.ended_at ? 'badge badge-muted' : 'badge badge-warning'} data-testid="event-state">
              {event.ended_at ? t('disaster.event.ended') : t('disaster.event.open')}
            </span>
            <span class="dz-event-kind">{kindName(event.kind)}</span>
          </div>
          <Link href={`/disaster/events/${event.id}`} class="dz-event-title" data-testid="event-open">
            {event.title}
          </Link>
          {/* Each part kept whole: a district's name never breaks inside. */}
          <p class="dz-event-meta">
            <span>{t('disaster.event.onset_at', { at: formatDateTimeShort(event.onset_at, lang) })}</span>
            {event.ended_at ? null : <span>{t('disaster.event.phase_now', { phase: phaseName(event.phase) })}</span>}
            {(event.area.length > 0 ? event.area : [t('disaster.event.whole_area')]).map((district) => (
              <span key={district}>{district}</span>
            ))}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Districts as typed: separated by 、 , or spaces. */
function parseArea(text: string): string[] {
  return text
    .split(/[、,，\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

function DeclareForm({ onCancel }: { onCancel: () => void }) {
  const [kind, setKind] = useState<EventKind>('earthquake');
  const [title, setTitle] = useState('');
  const [area, setArea] = useState('');
  const [drill, setDrill] = useState(true);
  const [onset, setOnset] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    const onsetAt = onset ? fromLocalInput(onset) : null;
    const event = await declareEvent({
      kind,
      title: title.trim(),
      area: parseArea(area),
      drill,
      ...(onsetAt ? { onset_at: onsetAt } : {}),
    });
    navigate(`/disaster/events/${event.id}`);
  });
  const now = Date.now();
  const hour = 3_600_000;

  return (
    <form class="card dz-declare" onSubmit={submit} aria-labelledby="dz-declare-title" data-testid="declare-form">
      <h2 id="dz-declare-title" class="section-title">
        {t('disaster.declare.title')}
      </h2>
      <label class={drill ? 'dz-drill-check is-drill' : 'dz-drill-check'}>
        <input type="checkbox" checked={drill} onChange={(e) => setDrill(e.currentTarget.checked)} data-testid="declare-drill" />
        <span>
          {t('disaster.declare.drill')}
          <span class="dz-check-hint">{drill ? t('disaster.declare.drill_hint') : t('disaster.declare.real_hint')}</span>
        </span>
      </label>
      <div class="form-grid">
        <SelectField id="dz-kind" label={t('disaster.declare.kind')} value={kind} onValue={(v) => setKind(v as EventKind)} data-testid="declare-kind">
          {EVENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {kindName(k)}
            </option>
          ))}
        </SelectField>
        <InputField
          id="dz-title"
          label={t('disaster.declare.event_title')}
          value={title}
          onValue={setTitle}
          required
          maxLength={100}
          aria-invalid={error?.code === 'invalid_title' ? 'true' : undefined}
          data-testid="declare-title"
        />
      </div>
      <div class="form-grid">
        <InputField
          id="dz-area"
          label={t('disaster.declare.area')}
          hint={t('disaster.declare.area_hint')}
          value={area}
          onValue={setArea}
          data-testid="declare-area"
        />
        <InputField
          id="dz-onset"
          type="datetime-local"
          label={t('disaster.declare.onset')}
          hint={t('disaster.declare.onset_hint')}
          value={onset}
          onValue={setOnset}
          min={toLocalInput(now - ONSET_RANGE_HOURS * hour)}
          max={toLocalInput(now + ONSET_RANGE_HOURS * hour)}
          aria-invalid={error?.code === 'invalid_onset' ? 'true' : undefined}
          data-testid="declare-onset"
        />
      </div>
      {error ? (
        isDeclareError(error.code) ? (
          <p class="notice notice-error" role="alert" data-testid="declare-error">
            {t(`disaster.declare.${error.code}`)}
          </p>
        ) : (
          <ErrorMessage error={error} />
        )
      ) : null}
      <div class="form-actions">
        <button type="submit" class={drill ? 'button button-primary' : 'button button-danger'} disabled={busy || !title.trim()} data-testid="declare-submit">
          {drill ? t('disaster.declare.submit_drill') : t('disaster.declare.submit_real')}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

const DECLARE_ERRORS = ['invalid_kind', 'invalid_title', 'invalid_onset'] as const;

/** A refusal the form explains in its own words. */
function isDeclareError(code: string): code is (typeof DECLARE_ERRORS)[number] {
  return (DECLARE_ERRORS as readonly string[]).includes(code);
}

// 一斉同報 on the event page: the form (message and audience) for the city, the list of the
// event's broadcasts with their progress for the call centre, each opening its call list.
import { useState } from 'preact/hooks';
import { NEED_CODES, getSettings, listPeople, type SafetyLabel } from '../api/disaster';
import {
  BROADCAST_MESSAGE_MAX,
  CALL_OUTCOMES,
  createBroadcast,
  listBroadcasts,
  listDistricts,
  type Broadcast,
  type BroadcastProgress,
} from '../api/disaster_calls';
import { formatDateTimeShort, formatNumber } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { labelName, needName } from './labels';

export function outcomeName(outcome: string): string {
  return tOptional(`disaster.calls.outcome.${outcome}`, outcome);
}

/** 12 / 40 件 架電済み, a bar, and the outcomes in words. */
export function BroadcastProgressBar({ progress }: { progress: BroadcastProgress }) {
  const lang = useLang();
  const share = progress.total > 0 ? (progress.called / progress.total) * 100 : 0;
  return (
    <div class="dz-progress" data-testid="broadcast-progress" data-called={progress.called} data-total={progress.total}>
      <p class="dz-progress-text">
        {t('disaster.broadcast.progress', { called: formatNumber(progress.called, lang, 0), total: formatNumber(progress.total, lang, 0) })}
      </p>
      <progress max={Math.max(progress.total, 1)} value={progress.called} aria-label={t('disaster.broadcast.progress_label')}>
        {share.toFixed(0)}%
      </progress>
      <p class="dz-progress-outcomes">
        {CALL_OUTCOMES.map((o) => (
          <span key={o} class="dz-outcome-count" data-outcome={o} data-testid="broadcast-outcome">
            {outcomeName(o)} {formatNumber(progress.outcomes[o] ?? 0, lang, 0)}
          </span>
        ))}
      </p>
    </div>
  );
}

export function BroadcastsSection({ eventId, open }: { eventId: number; open: boolean }) {
  const session = useSession();
  const [settings] = useResource((signal) => getSettings(signal), []);
  const labels = settings.state === 'ok' ? settings.data.labels : [];
  const calls = hasPermission(session, 'disaster.calls');
  const manage = hasPermission(session, 'disaster.manage');
  const [resource, reload] = useResource((signal) => (calls ? listBroadcasts(eventId, signal) : Promise.resolve([])), [eventId, calls]);
  if (!calls && !manage) return null;
  return (
    <section class="card dz-broadcasts" aria-labelledby="dz-broadcasts-title" data-testid="broadcasts">
      <h2 id="dz-broadcasts-title" class="section-title">
        {t('disaster.broadcast.title')}
      </h2>
      {manage && open ? <BroadcastForm eventId={eventId} labels={labels} onCreated={reload} /> : null}
      {resource.state === 'error' ? <ErrorMessage error={resource.error} onRetry={reload} /> : null}
      {resource.state === 'ok' ? (
        resource.data.length === 0 ? (
          <p class="field-hint">{t('disaster.broadcast.none')}</p>
        ) : (
          <ul class="plain-list dz-broadcast-list">
            {resource.data.map((b) => (
              <BroadcastRow key={b.id} eventId={eventId} broadcast={b} labels={labels} />
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}

function audienceText(broadcast: Broadcast, labels: SafetyLabel[], lang: 'ja' | 'en'): string {
  const parts = [
    ...broadcast.audience.districts,
    ...broadcast.audience.needs.map(needName),
    ...broadcast.audience.labels.map((key) => {
      const label = labels.find((l) => l.key === key);
      return label ? labelName(label, lang) : key;
    }),
  ];
  return parts.length > 0 ? parts.join('・') : t('disaster.broadcast.everyone');
}

function BroadcastRow({ eventId, broadcast, labels }: { eventId: number; broadcast: Broadcast; labels: SafetyLabel[] }) {
  const lang = useLang();
  return (
    <li class="dz-broadcast" data-testid="broadcast" data-broadcast={broadcast.id}>
      <Link href={`/disaster/events/${eventId}/broadcasts/${broadcast.id}`} class="dz-broadcast-link" data-testid="broadcast-link">
        {broadcast.message}
      </Link>
      <p class="dz-check-hint">
        <span data-testid="broadcast-audience">{audienceText(broadcast, labels, lang)}</span>
        {' ・ '}
        {formatDateTimeShort(broadcast.created_at, lang)}
        {broadcast.created_by ? ` ${broadcast.created_by.name}` : null}
      </p>
      <BroadcastProgressBar progress={broadcast.progress} />
    </li>
  );
}

function Choices({ legend, options, chosen, onChange, testId }: { legend: string; options: { value: string; name: string }[]; chosen: string[]; onChange: (next: string[]) => void; testId: string }) {
  return (
    <fieldset class="dz-fieldset">
      <legend>{legend}</legend>
      <div class="dz-choice-grid">
        {options.map((o) => (
          <label key={o.value} class="dz-filter-chip" data-testid={testId} data-value={o.value}>
            <input
              type="checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))}
            />
            <span>{o.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function BroadcastForm({ eventId, labels, onCreated }: { eventId: number; labels: SafetyLabel[]; onCreated: () => void }) {
  const lang = useLang();
  const [districts] = useResource(async (signal) => (await listDistricts(signal)) ?? (await listPeople(eventId, {}, signal)).districts, [eventId]);
  const [message, setMessage] = useState('');
  const [chosen, setChosen] = useState({ districts: [] as string[], needs: [] as string[], labels: [] as string[] });
  const [created, setCreated] = useState<Broadcast | null>(null);
  const send = useSubmit(async () => {
    setCreated(await createBroadcast(eventId, { message: message.trim(), audience: chosen }));
    setMessage('');
    setChosen({ districts: [], needs: [], labels: [] });
    onCreated();
  });
  return (
    <details class="dz-broadcast-form-box" data-testid="broadcast-form-box">
      <summary class="button button-secondary" data-testid="broadcast-new">
        {t('disaster.broadcast.new')}
      </summary>
      <form class="dz-broadcast-form" onSubmit={send.submit} data-testid="broadcast-form">
        <div class="field">
          <label for="dz-broadcast-message">{t('disaster.broadcast.message')}</label>
          <textarea id="dz-broadcast-message" rows={3} maxLength={BROADCAST_MESSAGE_MAX} value={message} onInput={(e) => setMessage(e.currentTarget.value)} data-testid="broadcast-message" />
        </div>
        <p class="field-hint">{t('disaster.broadcast.audience_hint')}</p>
        <Choices
          legend={t('disaster.filter.district')}
          options={(districts.state === 'ok' ? districts.data : []).map((d) => ({ value: d, name: d }))}
          chosen={chosen.districts}
          onChange={(next) => setChosen({ ...chosen, districts: next })}
          testId="broadcast-district"
        />
        <Choices
          legend={t('disaster.filter.need')}
          options={NEED_CODES.map((code) => ({ value: code, name: needName(code) }))}
          chosen={chosen.needs}
          onChange={(next) => setChosen({ ...chosen, needs: next })}
          testId="broadcast-need"
        />
        <Choices
          legend={t('disaster.filter.labels')}
          options={labels.map((l) => ({ value: l.key, name: labelName(l, lang) }))}
          chosen={chosen.labels}
          onChange={(next) => setChosen({ ...chosen, labels: next })}
          testId="broadcast-label"
        />
        {send.error ? <ErrorMessage error={send.error} /> : null}
        {created ? (
          <p class="notice notice-success" role="status" data-testid="broadcast-created">
            {t('disaster.broadcast.created', { n: created.progress.total })}
          </p>
        ) : null}
        <button type="submit" class="button button-primary" disabled={send.busy || !message.trim()} data-testid="broadcast-submit">
          {t('disaster.broadcast.submit')}
        </button>
      </form>
    </details>
  );
}

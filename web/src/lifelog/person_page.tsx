import { useEffect, useMemo, useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { ApiError } from '../api/client';
import { getTemplate, listRecords, type LifeRecord, type QuickEntry, type RecordWrite, type TemplateAnswer } from '../api/lifelog';
import { formatTime, localDate } from '../common/format';
import { locale, t, useLang, type Lang } from '../common/i18n';
import { useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { ChartsTab } from './charts_tab';
import { newClientId } from './client_id';
import { forgetTemplate, keepTemplate, keptTemplate } from './device_cache';
import { EntryForm, type EntryStart } from './entry_form';
import { personPath } from './list_page';
import { enqueue, onRecordSent, useOnline, useOutbox, type OutboxEntry } from './outbox';
import { RecordCard, type RecordView } from './record_card';
import { SyncBar } from './sync_bar';
import { TemplateEditor } from './template_editor';
import { presentValues, quickLabel } from './values';
import './lifelog.css';

export type PersonTab = 'records' | 'charts' | 'template';

export function isPersonTab(tab: string): tab is PersonTab {
  return tab === 'records' || tab === 'charts' || tab === 'template';
}

const DAY_MS = 86_400_000;
const CONFIRM_MS = 10_000;

async function loadTemplate(user: number, person: number, signal: AbortSignal): Promise<TemplateAnswer & { cached?: boolean }> {
  try {
    const answer = await getTemplate(person, signal);
    keepTemplate(user, person, answer);
    return answer;
  } catch (err) {
    // Without a connection the device's copy opens the form; the records written wait in the outbox.
    if (err instanceof ApiError && err.status === 0) {
      const kept = keptTemplate(user, person);
      if (kept) return { ...kept, cached: true };
    }
    if (err instanceof ApiError && err.status === 403) forgetTemplate(user, person);
    throw err;
  }
}

/** ここのーと of one person: write (quick or full), read by day, charts and, for the team, the template. */
export function LifelogPersonPage({ id, tab, user }: { id: string; tab: PersonTab; user: User }) {
  useLang();
  const person = /^\d+$/.test(id) ? Number(id) : NaN;
  // The answer of a save replaces the loaded template until it is loaded again.
  const [latest, setLatest] = useState<(TemplateAnswer & { cached?: boolean }) | null>(null);
  const [answer, reload] = useResource(
    (signal) => (Number.isNaN(person) ? Promise.reject(new ApiError(403, 'forbidden', 'forbidden')) : loadTemplate(user.id, person, signal)),
    [person, user.id],
  );
  // Shown from the device's copy while offline: loaded again once the server can be reached.
  const reachable = useReachable();
  const cached = answer.state === 'ok' && answer.data.cached === true;
  useEffect(() => {
    if (reachable && cached) reload();
  }, [reachable, cached]);
  if (answer.state === 'loading') {
    return (
      <Page title={t('nav.lifelog')}>
        <Loading />
      </Page>
    );
  }
  if (answer.state === 'error') {
    if (answer.error.status === 403 || answer.error.status === 404) return <Denied />;
    return (
      <Page title={t('nav.lifelog')}>
        <SyncBar person={person} />
        <ErrorMessage error={answer.error} onRetry={reload} />
      </Page>
    );
  }
  const data: TemplateAnswer & { cached?: boolean } = latest ?? answer.data;
  const p = data.person;
  return (
    <div class="ll-page">
      <Page
        title={p.name}
        lead={
          <span class="ll-lead">
            <span>{p.kana}</span>
            {p.age !== null ? <span>{t('lifelog.age', { age: p.age })}</span> : null}
          </span>
        }
        testId="lifelog-person-page"
      >
        <SyncBar person={p.id} />
        {data.cached ? (
          <p class="notice notice-info" data-testid="lifelog-cached">
            {t('lifelog.person.cached')}
          </p>
        ) : null}
        <nav class="ll-tabs" aria-label={t('lifelog.tabs')}>
          <TabLink person={p.id} tab="records" current={tab} />
          <TabLink person={p.id} tab="charts" current={tab} />
          {data.may_edit ? <TabLink person={p.id} tab="template" current={tab} /> : null}
        </nav>
        {tab === 'records' ? <RecordsTab answer={data} user={user} /> : null}
        {tab === 'charts' ? <ChartsTab answer={data} /> : null}
        {tab === 'template' ? (
          data.may_edit ? (
            <TemplateEditor
              key={data.template.version}
              answer={data}
              justSaved={latest !== null}
              // The server's answer to a save may leave out the person: keep the one loaded.
              onSaved={(saved) => setLatest({ ...data, ...saved, person: saved.person ?? data.person, may_edit: saved.may_edit ?? data.may_edit, cached: false })}
              onReload={() => {
                setLatest(null);
                reload();
              }}
            />
          ) : (
            <Denied />
          )
        ) : null}
      </Page>
    </div>
  );
}

/** True when the browser is online and the session has been confirmed by the server. */
function useReachable(): boolean {
  const online = useOnline();
  const session = useSession();
  return online && !(session.status === 'signed_in' && session.offline === true);
}

function TabLink({ person, tab, current }: { person: number; tab: PersonTab; current: PersonTab }) {
  return (
    <Link
      href={personPath(person, tab === 'records' ? undefined : tab)}
      class={tab === current ? 'll-tab ll-tab-on' : 'll-tab'}
      aria-current={tab === current ? 'page' : undefined}
      data-testid={`lifelog-tab-${tab}`}
    >
      {t(`lifelog.tab.${tab}`)}
    </Link>
  );
}

/** "11月26日（木）" / "Thu 26 Nov" of "YYYY-MM-DD", with 今日 / 昨日. */
function dayHeading(ymd: string, today: string, lang: Lang): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const text = new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', month: 'long', day: 'numeric', weekday: 'short' }).format(date);
  if (ymd === today) return `${t('lifelog.day.today')}　${text}`;
  if (ymd === localDate(Date.parse(`${today}T12:00:00+09:00`) - DAY_MS)) return `${t('lifelog.day.yesterday')}　${text}`;
  return text;
}

interface Editing {
  clientId: string;
  start?: EntryStart;
  baseVersion: number;
}

function RecordsTab({ answer, user }: { answer: TemplateAnswer; user: User }) {
  const lang = useLang();
  const person = answer.person.id;
  const fields = answer.template.fields;
  const [days, setDays] = useState(7);
  const [records, reloadRecords] = useResource(
    (signal) => listRecords(person, { from: localDate(Date.now() - (days - 1) * DAY_MS), to: localDate(Date.now()) }, signal),
    [person, days],
  );
  // Records that came back from the server since the list was loaded (sent, commented, taken).
  const [fresh, setFresh] = useState<Record<string, LifeRecord>>({});
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirm, setConfirm] = useState<{ clientId: string; label: string; at: string } | null>(null);
  const [writeError, setWriteError] = useState<string | null>(null);
  const outbox = useOutbox().filter((e) => e.person === person);
  const reachable = useReachable();
  const offlineError = records.state === 'error' && records.error.status === 0;
  useEffect(() => {
    if (reachable && offlineError) reloadRecords();
  }, [reachable, offlineError]);

  useEffect(
    () =>
      onRecordSent((record) => {
        if (record.person_id === person) setFresh((f) => ({ ...f, [record.client_id]: record }));
      }),
    [person],
  );
  useEffect(() => {
    if (!confirm) return undefined;
    const timer = window.setTimeout(() => setConfirm(null), CONFIRM_MS);
    return () => window.clearTimeout(timer);
  }, [confirm]);

  const views = useMemo(() => {
    const byId = new Map<string, RecordView>();
    const serverList = records.state === 'ok' ? records.data.records : [];
    for (const r of [...serverList, ...Object.values(fresh)]) {
      byId.set(r.client_id, { client_id: r.client_id, recorded_at: r.recorded_at, date: r.local_date, time: r.local_time.slice(11, 16), server: r, entry: null });
    }
    for (const e of outbox) {
      const prev = byId.get(e.client_id);
      const at = e.write.recorded_at ?? e.queued_at;
      byId.set(e.client_id, {
        client_id: e.client_id,
        recorded_at: at,
        date: localDate(Date.parse(at)),
        time: formatTime(at),
        server: prev?.server ?? null,
        entry: e,
      });
    }
    return [...byId.values()].sort((a, b) => b.recorded_at.localeCompare(a.recorded_at) || b.client_id.localeCompare(a.client_id));
  }, [records, fresh, outbox]);

  const groups = useMemo(() => {
    const list: { date: string; views: RecordView[] }[] = [];
    for (const v of views) {
      const last = list[list.length - 1];
      if (last && last.date === v.date) last.views.push(v);
      else list.push({ date: v.date, views: [v] });
    }
    return list;
  }, [views]);

  const write = async (clientId: string, body: RecordWrite): Promise<OutboxEntry> => {
    setWriteError(null);
    try {
      return await enqueue(person, clientId, body);
    } catch (err) {
      const message = t('lifelog.entry.not_kept', { reason: err instanceof Error ? err.message : String(err) });
      setWriteError(message);
      throw new Error(message);
    }
  };

  const quick = async (q: QuickEntry) => {
    const clientId = newClientId();
    const at = new Date().toISOString();
    try {
      await write(clientId, { recorded_at: at, values: q.values, note: '' });
    } catch {
      return; // Said above the list (writeError).
    }
    setConfirm({ clientId, label: quickLabel(q, lang), at });
  };

  const startEdit = (view: RecordView) => {
    const source = view.entry
      ? { recorded_at: view.entry.write.recorded_at, values: presentValues(view.entry.write.values), note: view.entry.write.note }
      : { recorded_at: view.server!.recorded_at, values: view.server!.values, note: view.server!.note };
    const baseVersion = view.entry ? (view.entry.write.base_version ?? 0) : view.server!.version;
    setConfirm(null);
    setEditing({ clientId: view.client_id, start: source, baseVersion });
  };

  const editConfirmed = () => {
    if (!confirm) return;
    const view = views.find((v) => v.client_id === confirm.clientId);
    if (view) startEdit(view);
  };

  const firstAttention = views.find((v) => v.entry && v.entry.state !== 'pending')?.client_id;
  const today = localDate(Date.now());

  return (
    <div class="ll-records" data-testid="lifelog-records">
      {writeError ? (
        <p class="notice notice-error" role="alert">
          {writeError}
        </p>
      ) : null}
      {editing ? (
        <EntryForm
          key={editing.clientId}
          fields={fields}
          start={editing.start}
          editing={editing.baseVersion > 0 || !!editing.start}
          onCancel={() => setEditing(null)}
          onSubmit={async (body) => {
            await write(editing.clientId, { ...body, base_version: editing.baseVersion });
            setEditing(null);
          }}
        />
      ) : null}

      {records.state === 'loading' ? <Loading /> : null}
      {records.state === 'error' ? (
        records.error.status === 0 ? (
          <p class="ll-sub" data-testid="records-offline">
            {t('lifelog.records.offline')}
          </p>
        ) : (
          <ErrorMessage error={records.error} onRetry={reloadRecords} />
        )
      ) : null}

      {groups.length === 0 && records.state === 'ok' ? (
        <p class="empty" data-testid="records-empty">
          {t('lifelog.records.empty', { days })}
        </p>
      ) : null}
      {groups.map((g) => (
        <section key={g.date} class="ll-day" aria-labelledby={`day-${g.date}`} data-testid="day" data-date={g.date}>
          <h2 id={`day-${g.date}`} class="ll-day-title">
            {dayHeading(g.date, today, lang)}
            <span class="ll-sub">{t('lifelog.day.count', { count: g.views.length })}</span>
          </h2>
          <ol class="plain-list ll-record-list">
            {g.views.map((v) => (
              <RecordCard
                key={v.client_id}
                person={person}
                view={v}
                fields={fields}
                user={user}
                anchor={v.client_id === firstAttention}
                onEdit={startEdit}
                onChanged={(record) => setFresh((f) => ({ ...f, [record.client_id]: record }))}
              />
            ))}
          </ol>
        </section>
      ))}
      {records.state === 'ok' && days < 93 ? (
        <p class="ll-more">
          <button type="button" class="button button-secondary" onClick={() => setDays((d) => Math.min(93, d + 14))} data-testid="records-more">
            {t('lifelog.records.more')}
          </button>
        </p>
      ) : null}

      {editing ? null : (
        <Dock
          quick={answer.template.quick}
          confirm={confirm}
          onQuick={(q) => void quick(q)}
          onEditConfirmed={editConfirmed}
          onWrite={() => {
            setConfirm(null);
            setEditing({ clientId: newClientId(), baseVersion: 0 });
          }}
        />
      )}
    </div>
  );
}

/** Within thumb reach: the last quick entry's confirmation, the quick entries and "write", at the bottom of the screen. */
function Dock({
  quick,
  confirm,
  onQuick,
  onEditConfirmed,
  onWrite,
}: {
  quick: QuickEntry[];
  confirm: { label: string; at: string } | null;
  onQuick: (q: QuickEntry) => void;
  onEditConfirmed: () => void;
  onWrite: () => void;
}) {
  const lang = useLang();
  return (
    <div class="ll-dock" data-testid="lifelog-dock">
      {confirm ? (
        <div class="ll-confirm" role="status" data-testid="quick-confirm">
          <span>{t('lifelog.quick.done', { label: confirm.label, time: formatTime(confirm.at) })}</span>
          <button type="button" class="button button-secondary button-small" onClick={onEditConfirmed} data-testid="quick-confirm-edit">
            {t('lifelog.quick.edit')}
          </button>
        </div>
      ) : null}
      {quick.length > 0 ? (
        <div class="ll-quick" role="group" aria-label={t('lifelog.quick.title')} data-testid="quick-entries">
          {quick.map((q, i) => (
            <button key={i} type="button" class="button button-secondary ll-quick-button" onClick={() => onQuick(q)} data-testid="quick-entry" data-index={i}>
              {quickLabel(q, lang)}
            </button>
          ))}
        </div>
      ) : null}
      <button type="button" class="button button-primary ll-big ll-write" onClick={onWrite} data-testid="entry-open">
        {t('lifelog.entry.open')}
      </button>
    </div>
  );
}

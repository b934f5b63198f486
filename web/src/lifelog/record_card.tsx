import { useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { addRecordComment, getRecordHistory, photoUrl, type LifelogField, type LifeRecord, type RecordComment, type RecordValues } from '../api/lifelog';
import { formatDateTimeShort, formatTime } from '../common/format';
import { t, tOptional, useLang, type Lang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { Loading } from '../components/loading';
import { discard, keepMine, type OutboxEntry } from './outbox';
import { fieldLabel, formatValue, outOfRangeKeys, presentValues } from './values';

/** One record as the list shows it: the server's version, this device's unsent change, or both. */
export interface RecordView {
  client_id: string;
  recorded_at: string;
  /** "YYYY-MM-DD" and "HH:MM" local. */
  date: string;
  time: string;
  server: LifeRecord | null;
  entry: OutboxEntry | null;
}

function roleName(role: string): string {
  return tOptional(`role.${role}`, role);
}

/** The values of a record in the template's order, then any the template no longer has. */
function ValueList({ fields, values, out, testId }: { fields: LifelogField[]; values: RecordValues; out: string[]; testId: string }) {
  const lang = useLang();
  const known = fields.filter((f) => values[f.key] !== undefined && values[f.key] !== null);
  const unknown = Object.keys(values).filter((k) => !fields.some((f) => f.key === k) && values[k] !== null);
  if (known.length === 0 && unknown.length === 0) return null;
  return (
    <dl class="ll-values" data-testid={testId}>
      {known.map((f) => {
        const flagged = out.includes(f.key);
        return (
          <div key={f.key} class={flagged ? 'll-value ll-value-out' : 'll-value'} data-testid="record-value" data-key={f.key} data-out={flagged ? 'true' : 'false'}>
            <dt>{fieldLabel(f, lang)}</dt>
            <dd>
              {formatValue(f, values[f.key], lang)}
              {flagged ? (
                <span class="ll-flag" data-testid="record-value-out">
                  <span aria-hidden="true">⚑</span> {t('lifelog.record.out_of_range')}
                </span>
              ) : null}
            </dd>
          </div>
        );
      })}
      {unknown.map((k) => (
        <div key={k} class="ll-value" data-testid="record-value" data-key={k} data-out={out.includes(k) ? 'true' : 'false'}>
          <dt>{k}</dt>
          <dd>{String(values[k])}</dd>
        </div>
      ))}
    </dl>
  );
}

interface Props {
  person: number;
  view: RecordView;
  fields: LifelogField[];
  user: User;
  /** Set on the first record that waits for the user (conflict or refusal). */
  anchor?: boolean;
  onEdit: (view: RecordView) => void;
  onChanged: (record: LifeRecord) => void;
}

export function RecordCard({ person, view, fields, user, anchor, onEdit, onChanged }: Props) {
  const lang = useLang();
  const { server, entry } = view;
  const state = entry ? entry.state : 'sent';
  const values = (entry ? presentValues(entry.write.values) : server?.values) ?? {};
  const out = entry ? outOfRangeKeys(fields, values) : (server?.out_of_range ?? []);
  const note = entry ? (entry.write.note ?? '') : (server?.note ?? '');
  const author = server?.author ?? { id: user.id, name: user.display_name, role: user.role };
  // The author may change their record; a change waiting for its conflict to be settled may not.
  const mayEdit = author.id === user.id && state !== 'conflict';
  const classes = ['card', 'll-record', `ll-record-${state}`];
  if (out.length > 0) classes.push('ll-record-out');

  return (
    <li class={classes.join(' ')} id={anchor ? 'll-attention' : undefined} data-testid="record" data-client-id={view.client_id} data-state={state}>
      <article aria-labelledby={`rec-${view.client_id}`}>
        <header class="ll-record-head" id={`rec-${view.client_id}`}>
          <time class="ll-record-time" dateTime={view.recorded_at} data-testid="record-time">
            {view.time}
          </time>
          <span class="ll-record-author" data-testid="record-author">
            {author.name}
            <span class="ll-sub">{roleName(author.role)}</span>
          </span>
          {state === 'pending' ? (
            <span class="badge badge-pending" data-testid="record-pending">
              {t('lifelog.record.pending')}
            </span>
          ) : null}
          {server?.edited ? <HistoryToggle person={person} record={server} fields={fields} /> : null}
        </header>
        {state === 'conflict' && entry?.current ? (
          <ConflictView entry={entry} fields={fields} />
        ) : (
          <>
            <ValueList fields={fields} values={values} out={out} testId="record-values" />
            {note ? (
              <p class="ll-note" data-testid="record-note">
                {note}
              </p>
            ) : null}
          </>
        )}
        {state === 'error' && entry ? <RefusedView entry={entry} /> : null}
        {server && server.photos.length > 0 ? (
          <ul class="ll-photos plain-list" data-testid="record-photos">
            {server.photos.map((p) => (
              <li key={p.id}>
                <a href={photoUrl(person, p.id)} target="_blank" rel="noopener">
                  <img src={photoUrl(person, p.id)} alt={t('lifelog.record.photo_alt')} loading="lazy" data-testid="record-photo" />
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        {entry && !server && entry.write.photos && entry.write.photos.length > 0 ? (
          <p class="ll-sub" data-testid="record-photos-waiting">
            {t('lifelog.record.photos_waiting', { count: entry.write.photos.length })}
          </p>
        ) : null}
        {server ? (
          <Comments person={person} record={server} onChanged={onChanged} lang={lang} onEdit={mayEdit ? () => onEdit(view) : undefined} />
        ) : mayEdit ? (
          <p class="ll-record-actions">
            <EditButton onEdit={() => onEdit(view)} />
          </p>
        ) : null}
      </article>
    </li>
  );
}

function EditButton({ onEdit }: { onEdit: () => void }) {
  return (
    <button type="button" class="button button-secondary button-small" onClick={onEdit} data-testid="record-edit">
      {t('lifelog.record.edit')}
    </button>
  );
}


/** Both versions side by side, and the two ways out. */
function ConflictView({ entry, fields }: { entry: OutboxEntry; fields: LifelogField[] }) {
  const current = entry.current!;
  const [busy, setBusy] = useState(false);
  const mine = presentValues(entry.write.values);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="ll-conflict" role="group" aria-labelledby={`conf-${entry.client_id}`} data-testid="conflict">
      <p class="notice notice-warning" id={`conf-${entry.client_id}`}>
        <strong>{t('lifelog.conflict.title')}</strong> {t('lifelog.conflict.lead')}
      </p>
      <div class="ll-conflict-sides">
        <section class="ll-conflict-side" data-testid="conflict-mine">
          <h3>{t('lifelog.conflict.mine')}</h3>
          <p class="ll-sub">{entry.write.recorded_at ? formatTime(entry.write.recorded_at) : ''}</p>
          <ValueList fields={fields} values={mine} out={outOfRangeKeys(fields, mine)} testId="conflict-mine-values" />
          {entry.write.note ? <p class="ll-note">{entry.write.note}</p> : null}
        </section>
        <section class="ll-conflict-side" data-testid="conflict-server">
          <h3>{t('lifelog.conflict.server', { version: current.version })}</h3>
          <p class="ll-sub">
            {current.local_time.slice(11)}（{t('lifelog.conflict.saved_at', { time: formatTime(current.updated_at) })}）
          </p>
          <ValueList fields={fields} values={current.values} out={current.out_of_range} testId="conflict-server-values" />
          {current.note ? <p class="ll-note">{current.note}</p> : null}
        </section>
      </div>
      <div class="ll-conflict-actions">
        <button type="button" class="button button-primary ll-big" disabled={busy} onClick={() => void run(() => keepMine(entry.key))} data-testid="conflict-keep-mine">
          {t('lifelog.conflict.keep_mine')}
        </button>
        <button type="button" class="button button-secondary ll-big" disabled={busy} onClick={() => void run(() => discard(entry.key))} data-testid="conflict-take-server">
          {t('lifelog.conflict.take_server')}
        </button>
      </div>
    </div>
  );
}

/** A record the server refused (4xx): why, and "discard" — never dropped silently. */
function RefusedView({ entry }: { entry: OutboxEntry }) {
  const error = entry.error!;
  const fieldName = error.field ? error.field.replace(/^values\./, '') : '';
  return (
    <div class="notice notice-error ll-refused" role="alert" data-testid="record-error" data-code={error.code}>
      <p>
        {t('lifelog.record.refused', { code: error.code })}
        {error.message && error.message !== error.code ? `：${error.message}` : ''}
        {fieldName ? ` (${fieldName})` : ''}
      </p>
      <button type="button" class="button button-danger button-small" onClick={() => void discard(entry.key)} data-testid="record-discard">
        {t('lifelog.record.discard')}
      </button>
    </div>
  );
}

function HistoryToggle({ person, record, fields }: { person: number; record: LifeRecord; fields: LifelogField[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        class="ll-edited"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="record-edited"
      >
        {t('lifelog.record.edited')}
      </button>
      {open ? <History person={person} record={record} fields={fields} /> : null}
    </>
  );
}

function History({ person, record, fields }: { person: number; record: LifeRecord; fields: LifelogField[] }) {
  const lang = useLang();
  const [versions] = useResource((signal) => getRecordHistory(person, record.client_id, signal), [person, record.client_id, record.version]);
  return (
    <div class="ll-history" data-testid="record-history">
      <h3 class="ll-history-title">{t('lifelog.record.history')}</h3>
      {versions.state === 'loading' ? <Loading /> : null}
      {versions.state === 'error' ? <p class="field-error">{describeError(versions.error)}</p> : null}
      {versions.state === 'ok' ? (
        <ol class="plain-list">
          {versions.data.map((v) => (
            <li key={v.version} class="ll-history-item" data-testid="record-version" data-version={v.version}>
              <p class="ll-sub">
                {t('lifelog.record.version', { version: v.version, name: v.editor.name, time: formatDateTimeShort(v.edited_at, lang) })}
              </p>
              <p>
                <strong>{v.local_time.slice(11)}</strong>{' '}
                {Object.entries(v.values)
                  .map(([k, val]) => {
                    const field = fields.find((f) => f.key === k);
                    return `${field ? fieldLabel(field, lang) : k} ${formatValue(field, val, lang)}${v.out_of_range.includes(k) ? ` ⚑${t('lifelog.record.out_of_range')}` : ''}`;
                  })
                  .join('、')}
                {v.note ? ` — ${v.note}` : ''}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

function Comments({
  person,
  record,
  onChanged,
  lang,
  onEdit,
}: {
  person: number;
  record: LifeRecord;
  onChanged: (record: LifeRecord) => void;
  lang: Lang;
  /** Given to the author: "edit" sits beside "comment". */
  onEdit?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const send = useSubmit(async () => {
    const text = body.trim();
    if (!text) return;
    const comment: RecordComment = await addRecordComment(person, record.client_id, text);
    setBody('');
    onChanged({ ...record, comments: [...record.comments, comment] });
  });
  return (
    <div class="ll-comments">
      {record.comments.length > 0 ? (
        <ul class="plain-list ll-comment-list" data-testid="record-comments">
          {record.comments.map((c) => (
            <li key={c.id} class="ll-comment" data-testid="record-comment">
              <p class="ll-comment-head">
                <strong>{c.author.name}</strong>
                <span class="ll-sub">
                  {roleName(c.author.role)} · <time dateTime={c.at}>{formatDateTimeShort(c.at, lang)}</time>
                </span>
              </p>
              <p class="ll-comment-body" data-testid="record-comment-body">
                {c.body}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {open ? (
        <form class="ll-comment-form" onSubmit={send.submit} data-testid="record-comment-form">
          <label class="visually-hidden" for={`cm-${record.client_id}`}>
            {t('lifelog.comment.label')}
          </label>
          <textarea
            id={`cm-${record.client_id}`}
            rows={2}
            maxLength={2000}
            value={body}
            onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)}
            placeholder={t('lifelog.comment.placeholder')}
            data-testid="record-comment-input"
          />
          {send.error ? (
            <p class="field-error" role="alert">
              {describeError(send.error)}
            </p>
          ) : null}
          <div class="form-actions">
            <button type="submit" class="button button-primary button-small" disabled={send.busy || body.trim() === ''} data-testid="record-comment-submit">
              {t('lifelog.comment.send')}
            </button>
            <button type="button" class="button button-quiet button-small" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p class="ll-record-actions">
          {onEdit ? <EditButton onEdit={onEdit} /> : null}
          <button type="button" class="button button-quiet button-small" onClick={() => setOpen(true)} data-testid="record-comment-open">
            {t('lifelog.comment.open')}
          </button>
        </p>
      )}
    </div>
  );
}

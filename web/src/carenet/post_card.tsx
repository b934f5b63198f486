import { useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { addComment, attachmentUrl, editPost, getPostHistory, type Post, type PostVersion } from '../api/carenet';
import type { ApiError } from '../api/client';
import { formatDateTimeShort } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { asApiError } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { AttachmentList, UserLabel } from './parts';

interface Props {
  patient: number;
  post: Post;
  user: User;
  /** Given while the post is unread by me: the card registers itself to be marked read when seen. */
  watchRead?: (element: HTMLElement | null) => void;
  /** The post changed on the server (comment, edit): load it again. */
  onChanged: () => void;
}

/** One post of the team timeline: who, when, text, files, mentions, read receipts and comments. */
export function PostCard({ patient, post, user, watchRead, onChanged }: Props) {
  const lang = useLang();
  const mine = post.author !== null && post.author.id === user.id;
  const [editing, setEditing] = useState(false);
  const [commenting, setCommenting] = useState(false);
  const classes = ['card', 'cn-post'];
  if (post.important) classes.push('cn-post-important');
  if (post.kind === 'watch_alert') classes.push('cn-post-alert');
  if (!post.read_by_me && !mine) classes.push('cn-post-unread');

  return (
    <li
      class={classes.join(' ')}
      ref={watchRead}
      data-testid="post"
      data-post-id={post.id}
      data-important={post.important ? 'true' : 'false'}
      data-kind={post.kind}
      data-read={post.read_by_me || mine ? 'true' : 'false'}
    >
      <article aria-labelledby={`post-${post.id}-head`}>
        <header class="cn-post-head" id={`post-${post.id}-head`}>
          <UserLabel user={post.author} testId="post-author" />
          <span class="cn-post-time">
            <time dateTime={post.created_at} data-testid="post-time">
              {formatDateTimeShort(post.created_at, lang)}
            </time>
            {post.edited_at ? (
              <span class="cn-muted" data-testid="post-edited">
                {t('carenet.post.edited', { time: formatDateTimeShort(post.edited_at, lang) })}
              </span>
            ) : null}
          </span>
          {post.important ? (
            <span class="badge cn-badge-important" data-testid="post-important">
              {t('carenet.post.important')}
            </span>
          ) : null}
          {!post.read_by_me && !mine ? <span class="badge badge-pending">{t('carenet.post.new')}</span> : null}
        </header>
        {post.alert || post.alert_id ? <AlertLine alert={post.alert ?? null} alertId={post.alert?.id ?? post.alert_id ?? null} /> : null}
        {editing ? (
          <EditForm
            patient={patient}
            post={post}
            onDone={(changed) => {
              setEditing(false);
              if (changed) onChanged();
            }}
          />
        ) : (
          <p class="cn-post-body" data-testid="post-body">
            {post.body}
          </p>
        )}
        {post.mentions.length > 0 ? (
          <p class="cn-mentioned" data-testid="post-mentions">
            {post.mentions.map((m) => (
              <span key={m.id} class={m.id === user.id ? 'cn-mention cn-mention-me' : 'cn-mention'}>
                @{m.name}
              </span>
            ))}
          </p>
        ) : null}
        <AttachmentList attachments={post.attachments} urlOf={(a) => attachmentUrl(patient, a)} />
        <footer class="cn-post-foot">
          <span class="cn-read-count" data-testid="post-read-count">
            {t('carenet.post.read_count', { count: post.read_count })}
          </span>
          {mine && post.read_by ? <Readers post={post} /> : null}
          {mine && post.kind === 'note' && !editing ? (
            <button type="button" class="button button-quiet button-small" onClick={() => setEditing(true)} data-testid="post-edit">
              {t('carenet.post.edit')}
            </button>
          ) : null}
          {post.edited_at ? <History patient={patient} post={post.id} /> : null}
          {!commenting ? (
            <button type="button" class="button button-quiet button-small cn-comment-open" onClick={() => setCommenting(true)} data-testid="comment-open">
              {t('carenet.comment.open', { count: post.comments.length })}
            </button>
          ) : null}
        </footer>
        <Comments patient={patient} post={post} open={commenting} onClose={() => setCommenting(false)} onChanged={onChanged} />
      </article>
    </li>
  );
}

function AlertLine({ alert, alertId }: { alert: Post['alert'] | null; alertId: number | null }) {
  const session = useSession();
  const text = alert
    ? `${tOptional(`alerts.kind.${alert.kind}`, alert.kind)}（${tOptional(`alerts.state.${alert.state}`, alert.state)}）`
    : t('carenet.post.alert_open');
  return (
    <p class="cn-post-alert-line" data-testid="post-alert">
      <span class="badge badge-warning">{t('carenet.post.watch_alert')}</span>{' '}
      {alertId !== null && hasPermission(session, 'watch.alerts') ? <Link href={`/watch/alerts/${alertId}`}>{text}</Link> : alert ? text : null}
    </p>
  );
}

/** For the author: who has read the post and when. */
function Readers({ post }: { post: Post }) {
  const lang = useLang();
  const readers = post.read_by ?? [];
  return (
    <details class="cn-readers" data-testid="post-readers">
      <summary>{t('carenet.post.readers')}</summary>
      {readers.length === 0 ? (
        <p class="cn-muted">{t('carenet.post.readers_none')}</p>
      ) : (
        <ul class="plain-list">
          {readers.map((r) => (
            <li key={r.user.id} class="cn-reader" data-testid="post-reader" data-user-id={r.user.id}>
              <UserLabel user={r.user} />
              <time dateTime={r.at} class="cn-muted">
                {formatDateTimeShort(r.at, lang)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

function History({ patient, post }: { patient: number; post: number }) {
  const lang = useLang();
  const [versions, setVersions] = useState<PostVersion[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState(false);
  const onToggle = (event: Event) => {
    const isOpen = (event.currentTarget as HTMLDetailsElement).open;
    setOpen(isOpen);
    if (isOpen && versions === null) {
      getPostHistory(patient, post).then(setVersions, (err) => setError(asApiError(err)));
    }
  };
  return (
    <details class="cn-history" onToggle={onToggle} data-testid="post-history">
      <summary>{t('carenet.post.history')}</summary>
      {open && versions === null && !error ? <Loading /> : null}
      {error ? <p class="notice notice-error">{describeError(error)}</p> : null}
      {versions ? (
        <ol class="cn-versions">
          {versions.map((v, i) => (
            <li key={i} data-testid="post-version" data-current={v.current ? 'true' : 'false'}>
              <span class="cn-muted">
                {v.current ? <span class="badge badge-ok">{t('carenet.post.version_current')}</span> : null} {formatDateTimeShort(v.edited_at, lang)}
                {v.editor ? `　${v.editor.name}` : ''}
                {v.important ? `　${t('carenet.post.important')}` : ''}
              </span>
              <p class="cn-post-body">{v.body}</p>
            </li>
          ))}
        </ol>
      ) : null}
    </details>
  );
}

function EditForm({ patient, post, onDone }: { patient: number; post: Post; onDone: (changed: boolean) => void }) {
  const [body, setBody] = useState(post.body);
  const [important, setImportant] = useState(post.important);
  const { submit, busy, error } = useSubmit(async () => {
    await editPost(patient, post.id, { body: body.trim(), important });
    onDone(true);
  });
  return (
    <form class="cn-edit" onSubmit={submit} data-testid="post-edit-form">
      <label for={`edit-${post.id}`} class="visually-hidden">
        {t('carenet.composer.body')}
      </label>
      <textarea id={`edit-${post.id}`} rows={4} value={body} onInput={(e) => setBody(e.currentTarget.value)} data-testid="post-edit-body" />
      <label class="cn-check">
        <input type="checkbox" checked={important} onChange={(e) => setImportant(e.currentTarget.checked)} data-testid="post-edit-important" />
        <span>{t('carenet.composer.important')}</span>
      </label>
      {error ? (
        <p class="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary button-small" disabled={busy || !body.trim()} data-testid="post-edit-save">
          {t('carenet.post.save')}
        </button>
        <button type="button" class="button button-quiet button-small" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function Comments({
  patient,
  post,
  open,
  onClose,
  onChanged,
}: {
  patient: number;
  post: Post;
  open: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const lang = useLang();
  const [text, setText] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    if (!text.trim()) return;
    await addComment(patient, post.id, text.trim());
    setText('');
    onChanged();
  });
  const inputId = `comment-${post.id}`;
  return (
    <div class="cn-comments">
      {post.comments.length > 0 ? (
        <ol class="cn-comment-list" data-testid="post-comments">
          {post.comments.map((c) => (
            <li key={c.id} class="cn-comment" data-testid="post-comment">
              <div class="cn-comment-head">
                <UserLabel user={c.author} />
                <time dateTime={c.created_at} class="cn-muted">
                  {formatDateTimeShort(c.created_at, lang)}
                </time>
              </div>
              <p class="cn-post-body" data-testid="comment-body">
                {c.body}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {open ? (
        <form class="cn-comment-form" onSubmit={submit} data-testid="comment-form">
          <label for={inputId} class="visually-hidden">
            {t('carenet.comment.label')}
          </label>
          <textarea id={inputId} rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="comment-body-input" />
          {error ? (
            <p class="notice notice-error" role="alert">
              {describeError(error)}
            </p>
          ) : null}
          <div class="form-actions">
            <button type="submit" class="button button-secondary button-small" disabled={busy || !text.trim()} data-testid="comment-submit">
              {t('carenet.comment.submit')}
            </button>
            <button type="button" class="button button-quiet button-small" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

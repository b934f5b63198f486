import { useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { addBoardMember, createThread, getBoard, removeBoardMember, type Board, type ThreadSummary } from '../api/boards';
import type { ApiError } from '../api/client';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { navigate } from '../common/router';
import { asApiError, useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { InputField } from '../components/form_field';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { toUploads, type PickedFile } from './attachments';
import './carenet.css';
import { AttachmentPicker, ProfessionalPicker, UserLabel } from './parts';

function numeric(id: string): number {
  return /^\d+$/.test(id) ? Number(id) : -1;
}

/** One board: its threads, members, a new thread. */
export function BoardPage({ id, user }: { id: string; user: User }) {
  const boardId = numeric(id);
  const [data, reload] = useResource((signal) => getBoard(boardId, signal), [boardId]);
  return (
    <ResourceView resource={data} onRetry={reload}>
      {({ board, threads }) => <BoardView board={board} threads={threads} user={user} onChanged={reload} />}
    </ResourceView>
  );
}

function BoardView({ board, threads, user, onChanged }: { board: Board; threads: ThreadSummary[]; user: User; onChanged: () => void }) {
  const lang = useLang();
  const [writing, setWriting] = useState(false);
  const owner = board.members.some((m) => m.owner && m.user.id === user.id) || user.role === 'admin';
  return (
    <Page
      title={board.title}
      lead={board.description || undefined}
      testId="board-page"
      actions={
        <button type="button" class="button button-primary" aria-expanded={writing} onClick={() => setWriting(!writing)} data-testid="thread-create-open">
          {writing ? t('common.cancel') : t('carenet.board.thread_open')}
        </button>
      }
    >
      <p class="cn-back">
        <Link href="/carenet/boards" class="button button-quiet button-small" data-testid="board-back">
          {t('carenet.board.back')}
        </Link>
      </p>
      {writing ? <NewThreadForm board={board.id} /> : null}
      <div class="cn-board-layout">
        <section aria-labelledby="threads-title" class="cn-board-threads">
          <h2 id="threads-title" class="section-title">
            {t('carenet.board.threads', { count: threads.length })}
          </h2>
          {threads.length === 0 ? (
            <p class="empty" data-testid="threads-empty">
              {t('carenet.board.threads_empty')}
            </p>
          ) : (
            <ul class="cn-card-list" data-testid="threads-list">
              {threads.map((th) => (
                <li key={th.id} class="card cn-thread-row" data-testid="thread-row" data-thread-id={th.id}>
                  <Link href={`/carenet/boards/${board.id}/threads/${th.id}`} class="cn-card-link" data-testid="thread-link">
                    {th.title}
                  </Link>
                  <p class="cn-muted">
                    {th.author.name}　{formatDateTimeShort(th.created_at, lang)}　{t('carenet.board.posts', { count: th.posts })}
                    {th.last_post_at ? `　${t('carenet.boards.last_activity', { time: formatDateTimeShort(th.last_post_at, lang) })}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <Members board={board} owner={owner} user={user} onChanged={onChanged} />
      </div>
    </Page>
  );
}

function Members({ board, owner, user, onChanged }: { board: Board; owner: boolean; user: User; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const known = new Set(board.members.map((m) => m.user.id));
  return (
    <section aria-labelledby="board-members-title" class="card cn-board-members" data-testid="board-members">
      <h2 id="board-members-title" class="section-title">
        {t('carenet.board.members', { count: board.members.length })}
      </h2>
      {error ? (
        <p class="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
      <ul class="plain-list">
        {board.members.map((m) => (
          <li key={m.user.id} class="cn-board-member" data-testid="board-member" data-user-id={m.user.id}>
            <UserLabel user={m.user} />
            {m.owner ? <span class="badge badge-ok">{t('carenet.board.owner')}</span> : null}
            {(owner && !m.owner) || (m.user.id === user.id && !m.owner) ? (
              <button type="button" class="button button-quiet button-small" disabled={busy} onClick={() => void act(() => removeBoardMember(board.id, m.user.id))} data-testid="board-member-remove">
                {m.user.id === user.id ? t('carenet.team.leave') : t('carenet.team.remove')}
                <span class="visually-hidden">{m.user.name}</span>
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {owner ? (
        <ProfessionalPicker
          id="board-member-search"
          label={t('carenet.board.add_member')}
          action={t('carenet.board.add')}
          exclude={known}
          busy={busy}
          onPick={(picked) => void act(() => addBoardMember(board.id, picked.id))}
        />
      ) : null}
    </section>
  );
}

function NewThreadForm({ board }: { board: number }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<PickedFile[]>([]);
  const { submit, busy, error } = useSubmit(async () => {
    const thread = await createThread(board, { title: title.trim(), body: body.trim(), attachments: toUploads(files) });
    navigate(`/carenet/boards/${board}/threads/${thread.id}`);
  });
  return (
    <form class="card form cn-form" onSubmit={submit} aria-labelledby="thread-create-title" data-testid="thread-create-form">
      <h2 id="thread-create-title" class="section-title">
        {t('carenet.board.thread_title')}
      </h2>
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="thread-create-error">
          {describeError(error)}
        </p>
      ) : null}
      <InputField id="thread-title" label={t('carenet.board.field_title')} value={title} onValue={setTitle} required autocomplete="off" data-testid="thread-title" />
      <div class="field">
        <label for="thread-body">{t('carenet.board.field_body')}</label>
        <textarea id="thread-body" rows={5} value={body} onInput={(e) => setBody(e.currentTarget.value)} data-testid="thread-body" />
      </div>
      <AttachmentPicker id="thread-file" files={files} onFiles={setFiles} />
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy || !title.trim() || !body.trim()} data-testid="thread-create-submit">
          {t('carenet.board.thread_submit')}
        </button>
      </div>
    </form>
  );
}

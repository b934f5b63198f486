import { useState } from 'preact/hooks';
import { createBoard, listBoards } from '../api/boards';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { navigate } from '../common/router';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { InputField } from '../components/form_field';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import './carenet.css';

/** 連携プロジェクト・掲示板: the boards I am a member of; opening a new one. */
export function BoardsPage() {
  const lang = useLang();
  const [boards, reload] = useResource((signal) => listBoards(signal), []);
  const [creating, setCreating] = useState(false);
  if (boards.state === 'error' && boards.error.status === 403) return <ResourceView resource={boards}>{() => null}</ResourceView>;
  return (
    <Page
      title={t('carenet.boards.title')}
      lead={t('carenet.boards.lead')}
      testId="boards-page"
      actions={
        <button type="button" class="button button-primary" aria-expanded={creating} onClick={() => setCreating(!creating)} data-testid="board-create-open">
          {creating ? t('common.cancel') : t('carenet.boards.create_open')}
        </button>
      }
    >
      {creating ? (
        <CreateBoardForm
          onCreated={(id) => {
            setCreating(false);
            if (id !== null) navigate(`/carenet/boards/${id}`);
            else reload();
          }}
        />
      ) : null}
      <ResourceView resource={boards} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p class="empty" data-testid="boards-empty">
              {t('carenet.boards.empty')}
            </p>
          ) : (
            <ul class="cn-card-list" data-testid="boards-list">
              {list.map((b) => (
                <li key={b.id} class="card cn-board" data-testid="board-row" data-board-id={b.id}>
                  <Link href={`/carenet/boards/${b.id}`} class="cn-card-link" data-testid="board-link">
                    {b.title}
                  </Link>
                  {b.description ? <p class="cn-pre cn-board-description">{b.description}</p> : null}
                  <p class="cn-muted">
                    {t('carenet.boards.counts', { members: b.members, threads: b.threads })}
                    {b.last_activity_at ? `　${t('carenet.boards.last_activity', { time: formatDateTimeShort(b.last_activity_at, lang) })}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
    </Page>
  );
}

function CreateBoardForm({ onCreated }: { onCreated: (id: number | null) => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    const id = await createBoard({ title: title.trim(), description: description.trim() });
    onCreated(id);
  });
  return (
    <form class="card form cn-form" onSubmit={submit} aria-labelledby="board-create-title" data-testid="board-create-form">
      <h2 id="board-create-title" class="section-title">
        {t('carenet.boards.create_title')}
      </h2>
      {error ? (
        <p class="notice notice-error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
      <InputField id="board-title" label={t('carenet.boards.field_title')} value={title} onValue={setTitle} required autocomplete="off" data-testid="board-title" />
      <div class="field">
        <label for="board-description">{t('carenet.boards.field_description')}</label>
        <textarea id="board-description" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} data-testid="board-description" />
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy || !title.trim()} data-testid="board-create-submit">
          {t('carenet.boards.create_submit')}
        </button>
      </div>
    </form>
  );
}

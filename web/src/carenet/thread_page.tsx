import { useState } from 'preact/hooks';
import { boardAttachmentUrl, getThread, replyToThread, type BoardPost, type Thread } from '../api/boards';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { toUploads, type PickedFile } from './attachments';
import './carenet.css';
import { AttachmentList, AttachmentPicker, UserLabel } from './parts';

/** One thread of a board: its posts oldest first, and a reply. */
export function ThreadPage({ board, thread }: { board: string; thread: string }) {
  const boardId = /^\d+$/.test(board) ? Number(board) : -1;
  const threadId = /^\d+$/.test(thread) ? Number(thread) : -1;
  const [data, reload] = useResource((signal) => getThread(boardId, threadId, signal), [boardId, threadId]);
  return (
    <ResourceView resource={data} onRetry={reload}>
      {({ thread: th, posts }) => <ThreadView board={boardId} thread={th} posts={posts} onChanged={reload} />}
    </ResourceView>
  );
}

function ThreadView({ board, thread, posts, onChanged }: { board: number; thread: Thread; posts: BoardPost[]; onChanged: () => void }) {
  const lang = useLang();
  return (
    <Page title={thread.title} testId="thread-page">
      <p class="cn-back">
        <Link href={`/carenet/boards/${board}`} class="button button-quiet button-small" data-testid="thread-back">
          {t('carenet.thread.back')}
        </Link>
      </p>
      <div class="cn-timeline">
        <ol class="cn-posts" data-testid="thread-posts">
          {posts.map((post) => (
            <li key={post.id} class="card cn-post" data-testid="thread-post" data-post-id={post.id}>
              <header class="cn-post-head">
                <UserLabel user={post.author} testId="post-author" />
                <time dateTime={post.created_at} class="cn-post-time">
                  {formatDateTimeShort(post.created_at, lang)}
                </time>
              </header>
              <p class="cn-post-body" data-testid="post-body">
                {post.body}
              </p>
              <AttachmentList attachments={post.attachments} urlOf={(a) => boardAttachmentUrl(board, a)} />
            </li>
          ))}
        </ol>
        <ReplyForm board={board} thread={thread.id} onPosted={onChanged} />
      </div>
    </Page>
  );
}

function ReplyForm({ board, thread, onPosted }: { board: number; thread: number; onPosted: () => void }) {
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<PickedFile[]>([]);
  const { submit, busy, error } = useSubmit(async () => {
    await replyToThread(board, thread, { body: body.trim(), attachments: toUploads(files) });
    setBody('');
    setFiles([]);
    onPosted();
  });
  return (
    <form class="card form cn-form" onSubmit={submit} aria-labelledby="reply-title" data-testid="reply-form">
      <h2 id="reply-title" class="section-title">
        {t('carenet.thread.reply_title')}
      </h2>
      <div class="field">
        <label for="reply-body" class="visually-hidden">
          {t('carenet.thread.reply_title')}
        </label>
        <textarea id="reply-body" rows={4} value={body} onInput={(e) => setBody(e.currentTarget.value)} data-testid="reply-body" />
      </div>
      <AttachmentPicker id="reply-file" files={files} onFiles={setFiles} />
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="reply-error">
          {describeError(error)}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy || (!body.trim() && files.length === 0)} data-testid="reply-submit">
          {t('carenet.thread.reply_submit')}
        </button>
      </div>
    </form>
  );
}

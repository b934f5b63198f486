import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api/auth';
import {
  getTimeline,
  isPostEvent,
  listTeam,
  markRead,
  POST_EVENT,
  TIMELINE_PAGE,
  type Patient,
  type Post,
  type TeamMember,
} from '../api/carenet';
import type { ApiError } from '../api/client';
import { t } from '../common/i18n';
import { eventStream, useStreamState } from '../common/session';
import { asApiError } from '../common/use_resource';
import { ErrorMessage } from '../components/error_message';
import { Loading } from '../components/loading';
import { Composer } from './composer';
import { PostCard } from './post_card';
import { refreshUnread } from './unread';

/** How long visible posts are collected before one "read" request. */
const READ_BATCH_MS = 700;

/** Newest first, in the server's order (by post id, as `before` pages); a refreshed post replaces its old copy. */
function mergePosts(existing: Post[], incoming: Post[]): Post[] {
  const byId = new Map(existing.map((p) => [p.id, p]));
  for (const post of incoming) byId.set(post.id, post);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/** 連絡帳: the team timeline of one patient, with the composer on top. */
export function TimelineTab({ patient, user }: { patient: Patient; user: User }) {
  const id = patient.person.id;
  const [posts, setPosts] = useState<Post[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState<'first' | 'more' | null>('first');
  const [error, setError] = useState<ApiError | null>(null);
  const [team, setTeam] = useState<TeamMember[]>([]);
  const [fresh, setFresh] = useState(0);
  const stream = useStreamState();

  const loadFirst = useCallback(
    async (signal?: AbortSignal, initial = false) => {
      setError(null);
      try {
        const page = await getTimeline(id, { limit: TIMELINE_PAGE }, signal);
        if (initial) {
          setPosts(page.posts);
          setNextBefore(page.next_before);
        } else {
          // Older pages already shown stay; the newest page is merged in.
          setPosts((old) => mergePosts(old, page.posts));
        }
      } catch (err) {
        if (signal?.aborted) return;
        setError(asApiError(err));
      } finally {
        if (!signal?.aborted) setLoading(null);
      }
    },
    [id],
  );

  useEffect(() => {
    const controller = new AbortController();
    setLoading('first');
    void loadFirst(controller.signal, true);
    listTeam(id, controller.signal).then(setTeam, () => setTeam([]));
    return () => controller.abort();
  }, [id]);

  const loadMore = async () => {
    if (nextBefore === null) return;
    setLoading('more');
    setError(null);
    try {
      const page = await getTimeline(id, { before: nextBefore, limit: TIMELINE_PAGE });
      setPosts((old) => mergePosts(old, page.posts));
      setNextBefore(page.next_before);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setLoading(null);
    }
  };

  /** Loads one post again (a new comment, an edit), or the newest page for a new post. */
  const refreshPost = useCallback(
    async (postId: number) => {
      try {
        const page = await getTimeline(id, { before: postId + 1, limit: 1 });
        const found = page.posts.find((p) => p.id === postId);
        if (found) {
          setPosts((old) => {
            const isNew = !old.some((p) => p.id === postId);
            if (isNew) setFresh((n) => n + 1);
            return mergePosts(old, [found]);
          });
          return;
        }
      } catch {
        // Fall back to the newest page below.
      }
      await loadFirst();
    },
    [id, loadFirst],
  );

  // Live: a post or comment for this patient.
  useEffect(() => {
    const source = eventStream();
    if (!source) return undefined;
    return source.on(POST_EVENT, (data) => {
      if (isPostEvent(data) && data.person === id) void refreshPost(data.post);
    });
  }, [id, refreshPost, stream === 'closed']);

  // Read receipts: posts by others that have been on screen are marked read in batches.
  const pending = useRef(new Set<number>());
  const timer = useRef<number | null>(null);
  const flush = useCallback(async () => {
    timer.current = null;
    const ids = [...pending.current];
    pending.current.clear();
    if (ids.length === 0) return;
    try {
      await markRead(id, ids);
      const done = new Set(ids);
      setPosts((old) => old.map((p) => (done.has(p.id) ? { ...p, read_by_me: true } : p)));
      void refreshUnread();
    } catch {
      // Not marked this time; the posts are offered again when seen again.
    }
  }, [id]);
  const observer = useRef<IntersectionObserver | null>(null);
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return undefined;
    observer.current = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          const postId = Number((entry.target as HTMLElement).dataset.postId);
          if (!Number.isFinite(postId)) continue;
          pending.current.add(postId);
          observer.current?.unobserve(entry.target);
        }
        if (pending.current.size > 0 && timer.current === null) timer.current = window.setTimeout(() => void flush(), READ_BATCH_MS);
      },
      { threshold: 0.4 },
    );
    return () => {
      observer.current?.disconnect();
      observer.current = null;
      if (timer.current !== null) window.clearTimeout(timer.current);
      void flush();
    };
  }, [flush]);
  const watchRead = useCallback((element: HTMLElement | null) => {
    if (element) observer.current?.observe(element);
  }, []);

  const members = team.filter((m) => m.status === 'active' && m.user.id !== user.id).map((m) => m.user);
  const unread = posts.filter((p) => !p.read_by_me && p.author?.id !== user.id).length;

  return (
    <div class="cn-timeline" data-testid="timeline">
      <Composer
        patient={id}
        members={members}
        onPosted={(post) => {
          setPosts((old) => mergePosts(old, [post]));
        }}
      />
      <div class="cn-timeline-head">
        <h2 class="section-title">{t('carenet.timeline.title')}</h2>
        <span class="cn-muted" aria-live="polite" data-testid="timeline-unread">
          {unread > 0 ? t('carenet.timeline.unread_here', { count: unread }) : ''}
        </span>
      </div>
      <p class="visually-hidden" aria-live="polite">
        {fresh > 0 ? t('carenet.timeline.arrived') : ''}
      </p>
      {error ? <ErrorMessage error={error} onRetry={() => void loadFirst(undefined, posts.length === 0)} /> : null}
      {loading === 'first' ? <Loading /> : null}
      {loading !== 'first' && posts.length === 0 && !error ? (
        <p class="empty" data-testid="timeline-empty">
          {t('carenet.timeline.empty')}
        </p>
      ) : null}
      <ol class="cn-posts" data-testid="posts">
        {posts.map((post) => (
          <PostCard
            key={post.id}
            patient={id}
            post={post}
            user={user}
            watchRead={!post.read_by_me && post.author?.id !== user.id ? watchRead : undefined}
            onChanged={() => void refreshPost(post.id)}
          />
        ))}
      </ol>
      {nextBefore !== null && posts.length > 0 ? (
        <p class="cn-more">
          <button type="button" class="button button-secondary button-wide" disabled={loading !== null} onClick={() => void loadMore()} data-testid="timeline-more">
            {loading === 'more' ? t('app.loading') : t('carenet.timeline.more')}
          </button>
        </p>
      ) : null}
    </div>
  );
}

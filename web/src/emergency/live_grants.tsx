import type { Grant } from '../api/emergency';
import { t, useLang } from '../common/i18n';
import { useClock } from '../common/use_clock';
import type { Resource } from '../common/use_resource';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { formatRemaining, formatUntil, remainingMs } from './remaining';

const CLOCK_TICK_MS = 15_000;

/** 開いている緊急情報: the caller's live grants, each a link to its sheet with the time left. */
export function LiveGrants({
  grants,
  onRetry,
  hideWhenEmpty = false,
}: {
  grants: Resource<Grant[]>;
  onRetry: () => void;
  /** Paramedics come to search: no empty box above the search form. */
  hideWhenEmpty?: boolean;
}) {
  const lang = useLang();
  useClock(CLOCK_TICK_MS);
  if (grants.state === 'loading') return hideWhenEmpty ? null : <Loading />;
  if (grants.state === 'error') {
    // Not everyone who reaches this page may list grants; that is no error to show.
    if (grants.error.status === 403) return null;
    return <ErrorMessage error={grants.error} onRetry={onRetry} />;
  }
  const now = Date.now();
  const live = grants.data.filter((g) => remainingMs(g.expires_at, now) > 0);
  if (live.length === 0 && hideWhenEmpty) return null;
  return (
    <section class="em-live" aria-labelledby="em-live-title" data-testid="live-grants">
      <h2 id="em-live-title" class="section-title">
        {t('emergency.live.title')}
      </h2>
      {live.length === 0 ? (
        <p class="empty" data-testid="live-grants-empty">
          {t('emergency.live.empty')}
        </p>
      ) : (
        <ul class="plain-list em-live-list">
          {live.map((grant) => (
            <li key={grant.grant} data-testid="live-grant" data-person-id={grant.person.id} data-grant={grant.grant}>
              <Link href={`/emergency/persons/${grant.person.id}`} class="em-live-link" data-testid="live-grant-link">
                <span class="em-live-name">{grant.person.name}</span>
                <span class="em-live-meta">
                  {grant.kind === 'hospital' ? <span class="badge badge-muted">{t('emergency.kind.hospital')}</span> : null}
                  <span data-testid="live-grant-remaining">
                    {t('emergency.live.remaining', {
                      remaining: formatRemaining(remainingMs(grant.expires_at, now)),
                      time: formatUntil(grant.expires_at, now, lang),
                    })}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import type { JSX } from 'preact';
import { getWatchSummary } from '../api/watch';
import { t } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { Icon } from '../components/icons';
import { Link } from '../components/link';

export function insightPath(household: number): string {
  return `/insight/households/${household}`;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & { household: number; label?: string };

/** A link to a household's life-rhythm analysis; nothing for users without "insight.view". */
export function InsightLink({ household, label, class: className = 'button button-secondary', ...rest }: LinkProps) {
  const session = useSession();
  if (!hasPermission(session, 'insight.view')) return null;
  return (
    <Link href={insightPath(household)} class={className} {...rest}>
      <Icon name="insight" />
      {label ?? t('insight.link')}
    </Link>
  );
}

/**
 * The same link for a person, when they live in a watched household: the household comes from
 * their watch-over summary (asked for only when the user may open the analysis).
 */
export function PersonInsightLink({ person, ...rest }: Omit<LinkProps, 'household'> & { person: number }) {
  const session = useSession();
  const allowed = hasPermission(session, 'insight.view');
  const [summary] = useResource(
    (signal) => (allowed ? getWatchSummary(person, signal) : Promise.resolve(null)),
    [person, allowed],
  );
  if (summary.state !== 'ok' || summary.data === null) return null;
  return <InsightLink household={summary.data.today.id} {...rest} />;
}

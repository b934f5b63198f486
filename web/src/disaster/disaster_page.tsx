import { t, useLang } from '../common/i18n';
import { useSession } from '../common/session';
import { Icon } from '../components/icons';
import { Link } from '../components/link';
import { visibleNavItems } from '../components/nav_items';
import { PARTS } from '../components/parts';
import { PlaceholderPage } from '../components/placeholder_page';
import './ledger.css';

const DISASTER = PARTS.find((part) => part.id === 'disaster')!;

/** 災害: the part's placeholder (what it will hold) with links to its pages that are there already. */
export function DisasterPage() {
  useLang();
  const session = useSession();
  const pages = visibleNavItems(session).filter((item) => item.parent === 'disaster');
  return (
    <PlaceholderPage part={DISASTER}>
      {pages.length > 0 ? (
        <section class="card lg-ready" aria-labelledby="lg-ready-title" data-testid="disaster-ready">
          <h2 id="lg-ready-title" class="placeholder-subtitle">
            {t('part.disaster.ready')}
          </h2>
          <ul class="plain-list lg-ready-list">
            {pages.map((item) => (
              <li key={item.id}>
                <Link href={item.path} class="lg-ready-link" data-testid={`disaster-page-${item.id}`}>
                  <span class="icon-tile lg-ready-icon">
                    <Icon name={item.icon} />
                  </span>
                  <span>
                    <strong class="lg-ready-label">{t(item.label)}</strong>
                    <span class="lg-ready-summary">{t(item.summary)}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </PlaceholderPage>
  );
}

import type { User } from '../api/auth';
import { t, tOptional } from '../common/i18n';
import { useSession } from '../common/session';
import { Icon } from '../components/icons';
import { Link } from '../components/link';
import { visibleNavItems, type NavItem } from '../components/nav_items';
import { Page } from '../components/page';
import './home.css';

/** Greeting and a card for each part of the platform the user can open. */
export function HomePage({ user }: { user: User }) {
  const session = useSession();
  const items = visibleNavItems(session);
  const shortcuts = items.filter((i) => i.shortcut);
  const parts = items.filter((i) => i.group === 'parts' && !i.parent);
  const more = items.filter((i) => i.group === 'records' || i.group === 'admin');

  return (
    <Page title={t('home.greeting', { name: user.display_name })} testId="home">
      <dl class="card profile" data-testid="home-profile">
        <div>
          <dt>{t('home.role')}</dt>
          <dd data-testid="home-role">{tOptional(`role.${user.role}`, user.role)}</dd>
        </div>
        <div>
          <dt>{t('home.organization')}</dt>
          <dd data-testid="home-organization">{user.organization ? user.organization.name : t('home.no_organization')}</dd>
        </div>
        <div>
          <dt>{t('home.tenant')}</dt>
          <dd data-testid="home-tenant">{user.tenant?.name ?? ''}</dd>
        </div>
      </dl>

      {shortcuts.length > 0 ? (
        <>
          <h2 class="section-title">{t('home.shortcuts')}</h2>
          <ul class="part-grid part-grid-shortcuts" data-testid="home-shortcuts">
            {shortcuts.map((item) => (
              <PartCard key={item.id} item={item} />
            ))}
          </ul>
        </>
      ) : null}

      <h2 class="section-title">{t('home.parts')}</h2>
      <ul class="part-grid" data-testid="home-parts">
        {parts.map((item) => (
          <PartCard key={item.id} item={item} />
        ))}
      </ul>

      {more.length > 0 ? (
        <>
          <h2 class="section-title">{t('home.more')}</h2>
          <ul class="part-grid part-grid-small" data-testid="home-more">
            {more.map((item) => (
              <PartCard key={item.id} item={item} />
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

function PartCard({ item }: { item: NavItem }) {
  return (
    <li>
      <Link href={item.path} class="part-card" data-testid={`part-card-${item.id}`}>
        <span class="icon-tile part-icon">
          <Icon name={item.icon} />
        </span>
        <span class="part-text">
          <span class="part-name">{t(item.label)}</span>
          <span class="part-summary">{t(item.summary)}</span>
        </span>
      </Link>
    </li>
  );
}

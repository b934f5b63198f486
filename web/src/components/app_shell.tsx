import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { t, tOptional } from '../common/i18n';
import { useLocation } from '../common/router';
import { hasPermission, logout, useSession } from '../common/session';
import { useCarenetUnread } from '../carenet/unread';
import './app_shell.css';
import { ConnectionDot } from './connection_dot';
import { Icon } from './icons';
import { LanguageSwitch } from './language_switch';
import { Link } from './link';
import { currentItem, visibleNavItems, type NavItem } from './nav_items';

/** Header, navigation and main area of a signed-in user. */
export function AppShell({ user, children }: { user: User; children: ComponentChildren }) {
  const session = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const items = visibleNavItems(session);
  const current = currentItem(items, path);
  const unread = useCarenetUnread(hasPermission(session, 'carenet.read'));
  const badges = { 'carenet-unread': unread };

  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setMenuOpen(false);
        menuButton.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  return (
    <div class={menuOpen ? 'shell menu-open' : 'shell'}>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="app-header" data-testid="header">
        <button
          type="button"
          class="menu-button"
          ref={menuButton}
          aria-expanded={menuOpen}
          aria-controls="app-nav"
          onClick={() => setMenuOpen(!menuOpen)}
          data-testid="menu-button"
        >
          <Icon name={menuOpen ? 'close' : 'menu'} />
          <span class="menu-button-label">{menuOpen ? t('nav.close') : t('nav.menu')}</span>
          {unread > 0 && !menuOpen ? (
            <span class="nav-badge menu-badge" data-testid="menu-unread">
              {unread > 99 ? '99+' : unread}
              <span class="visually-hidden">{t('nav.unread', { count: unread })}</span>
            </span>
          ) : null}
        </button>
        <Link href="/" class="brand" data-testid="brand">
          <span class="brand-mark" aria-hidden="true" />
          <span class="brand-name">{t('app.name')}</span>
        </Link>
        <ConnectionDot />
        <div class="header-spacer" />
        <LanguageSwitch />
        <div class="header-user" data-testid="header-user">
          <UserBadge user={user} testId="user-name" />
          <LogoutButton testId="logout" />
        </div>
      </header>
      <div class="shell-body">
        <nav id="app-nav" class="app-nav" aria-label={t('nav.label')} data-testid="nav">
          <NavGroup items={items.filter((i) => i.group === 'main' || i.group === 'records')} current={current} badges={badges} />
          <NavGroup heading={t('nav.parts')} items={items.filter((i) => i.group === 'parts')} current={current} badges={badges} />
          <NavGroup heading={t('nav.admin')} items={items.filter((i) => i.group === 'admin')} current={current} badges={badges} />
          <div class="menu-user">
            <UserBadge user={user} testId="menu-user-name" />
            <LogoutButton testId="menu-logout" />
          </div>
        </nav>
        <div class="menu-backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} />
        <main id="main" class="app-main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

function NavGroup({
  heading,
  items,
  current: currentOne,
  badges,
}: {
  heading?: string;
  items: NavItem[];
  current: NavItem | null;
  badges: Record<NonNullable<NavItem['badge']>, number>;
}) {
  if (items.length === 0) return null;
  return (
    <div class="nav-group">
      {heading ? <p class="nav-heading">{heading}</p> : null}
      <ul class="nav-list">
        {items.map((item) => {
          const current = item === currentOne;
          return (
            <li key={item.id} class={item.parent ? 'nav-sub' : undefined}>
              <Link
                href={item.path}
                class={current ? 'nav-link current' : 'nav-link'}
                aria-current={current ? 'page' : undefined}
                data-testid={`nav-${item.id}`}
              >
                <Icon name={item.icon} />
                <span>{t(item.label)}</span>
                {item.badge && badges[item.badge] > 0 ? (
                  <span class="nav-badge" data-testid={`nav-${item.id}-badge`}>
                    {badges[item.badge] > 99 ? '99+' : badges[item.badge]}
                    <span class="visually-hidden">{t('nav.unread', { count: badges[item.badge] })}</span>
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function UserBadge({ user, testId }: { user: User; testId: string }) {
  return (
    <span class="user-badge">
      <span class="user-name" data-testid={testId}>
        {user.display_name}
      </span>
      <span class="user-role">{tOptional(`role.${user.role}`, user.role)}</span>
    </span>
  );
}

function LogoutButton({ testId }: { testId: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class="button button-quiet logout-button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void logout();
      }}
      data-testid={testId}
    >
      <Icon name="logout" />
      <span>{t('header.logout')}</span>
    </button>
  );
}

/** Header for pages before sign-in: brand and language switch only. */
export function PublicShell({ children }: { children: ComponentChildren }) {
  return (
    <div class="shell shell-public">
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="app-header" data-testid="header">
        <span class="brand">
          <span class="brand-mark" aria-hidden="true" />
          <span class="brand-name">{t('app.name')}</span>
        </span>
        <div class="header-spacer" />
        <LanguageSwitch />
      </header>
      <main id="main" class="app-main public-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

import type { Session } from '../common/session';
import { hasPermission } from '../common/session';
import type { MessageKey } from '../common/i18n';
import type { IconName } from './icons';
import { PARTS } from './parts';

export interface NavItem {
  /** Used in data-testid="nav-<id>" and as the home card id. */
  id: string;
  path: string;
  label: MessageKey;
  summary: MessageKey;
  icon: IconName;
  /** Shown only to users holding this permission. */
  permission?: string;
  group: 'main' | 'parts' | 'records' | 'admin';
  /** Shown indented under this item in the menu (a page of that part). */
  parent?: string;
  /** Also a card at the top of the home page: the page this kind of user comes for. */
  shortcut?: boolean;
  /** A count shown beside the label (the app shell knows where each comes from). */
  badge?: 'carenet-unread';
}

/** Pages of a part that get their own menu entry, under the part. */
const SUB_PAGES: readonly NavItem[] = [
  {
    id: 'carenet-patients',
    path: '/carenet/patients',
    label: 'nav.carenet_patients',
    summary: 'part.carenet_patients.summary',
    icon: 'persons',
    permission: 'carenet.read',
    group: 'parts',
    parent: 'carenet',
    shortcut: true,
    badge: 'carenet-unread',
  },
  {
    id: 'carenet-boards',
    path: '/carenet/boards',
    label: 'nav.carenet_boards',
    summary: 'part.carenet_boards.summary',
    icon: 'board',
    permission: 'carenet.board',
    group: 'parts',
    parent: 'carenet',
  },
  {
    id: 'carenet-directory',
    path: '/carenet/directory',
    label: 'nav.carenet_directory',
    summary: 'part.carenet_directory.summary',
    icon: 'directory',
    permission: 'directory.read',
    group: 'parts',
    parent: 'carenet',
  },
  {
    id: 'disaster-events',
    path: '/disaster/events',
    label: 'nav.disaster_events',
    summary: 'part.disaster_events.summary',
    icon: 'disaster',
    permission: 'disaster.events',
    group: 'parts',
    parent: 'disaster',
  },
  {
    id: 'disaster-ledger',
    path: '/disaster/ledger',
    label: 'nav.disaster_ledger',
    summary: 'part.disaster_ledger.summary',
    icon: 'disaster',
    permission: 'disaster.ledger',
    group: 'parts',
    parent: 'disaster',
  },
  {
    id: 'emergency-search',
    path: '/emergency/search',
    label: 'nav.emergency_search',
    summary: 'part.emergency_search.summary',
    icon: 'emergency',
    permission: 'emergency.find',
    group: 'parts',
    parent: 'emergency',
    shortcut: true,
  },
  {
    id: 'emergency-review',
    path: '/emergency/review',
    label: 'nav.emergency_review',
    summary: 'part.emergency_review.summary',
    icon: 'audit',
    permission: 'emergency.review',
    group: 'parts',
    parent: 'emergency',
  },
  {
    id: 'watch-alerts',
    path: '/watch/alerts',
    label: 'nav.watch_alerts',
    summary: 'part.watch_alerts.summary',
    icon: 'alerts',
    permission: 'watch.alerts',
    group: 'parts',
    parent: 'watch',
    shortcut: true,
  },
];

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', path: '/', label: 'nav.home', summary: 'nav.home', icon: 'home', group: 'main' },
  {
    id: 'family',
    path: '/family',
    label: 'nav.family',
    summary: 'part.family.summary',
    icon: 'family',
    permission: 'family.relatives',
    group: 'main',
    shortcut: true,
  },
  ...PARTS.flatMap((part): NavItem[] => [
    { id: part.id, path: part.path, label: part.title, summary: part.summary, icon: part.icon, group: 'parts' },
    ...SUB_PAGES.filter((sub) => sub.parent === part.id),
  ]),
  { id: 'persons', path: '/persons', label: 'nav.persons', summary: 'part.persons.summary', icon: 'persons', permission: 'person.list', group: 'records' },
  { id: 'admin-users', path: '/admin/users', label: 'nav.admin_users', summary: 'part.admin_users.summary', icon: 'users', permission: 'admin.users', group: 'admin' },
  { id: 'admin-audit', path: '/admin/audit', label: 'nav.admin_audit', summary: 'part.admin_audit.summary', icon: 'audit', permission: 'admin.audit', group: 'admin' },
];

export function visibleNavItems(session: Session): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || hasPermission(session, item.permission));
}

/** True when `path` is the item's page or one below it ("/persons/12" is under "/persons"). */
export function isCurrent(item: NavItem, path: string): boolean {
  if (item.path === '/') return path === '/';
  return path === item.path || path.startsWith(`${item.path}/`);
}

/** The one item to mark as current: the most specific match ("/watch/alerts/3" is the worklist's, not "/watch"'s). */
export function currentItem(items: readonly NavItem[], path: string): NavItem | null {
  let best: NavItem | null = null;
  for (const item of items) {
    if (isCurrent(item, path) && (!best || item.path.length > best.path.length)) best = item;
  }
  return best;
}

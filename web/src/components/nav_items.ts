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
}

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', path: '/', label: 'nav.home', summary: 'nav.home', icon: 'home', group: 'main' },
  ...PARTS.map((part): NavItem => ({ id: part.id, path: part.path, label: part.title, summary: part.summary, icon: part.icon, group: 'parts' })),
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

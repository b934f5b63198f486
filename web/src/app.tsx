import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { User } from './api/auth';
import { AuditPage } from './admin/audit_page';
import { BoardPage } from './carenet/board_page';
import { BoardsPage } from './carenet/boards_page';
import { DirectoryPage } from './carenet/directory_page';
import { OrganizationPage } from './carenet/organization_page';
import { isPatientTab, PatientPage } from './carenet/patient_page';
import { PatientsPage } from './carenet/patients_page';
import { ThreadPage } from './carenet/thread_page';
import { UsersPage } from './admin/users_page';
import { EnrolmentPage } from './auth/enrolment_page';
import { BroadcastPage } from './disaster/broadcast_page';
import { DashboardPage } from './disaster/dashboard_page';
import { DisasterPage } from './disaster/disaster_page';
import { EventPage } from './disaster/event_page';
import { EventsPage } from './disaster/events_page';
import { FacilityPage } from './disaster/facility_page';
import { LedgerPage } from './disaster/ledger_page';
import { MapPage } from './disaster/map_page';
import { EmergencyPage, EmergencySearchPage } from './emergency/emergency_page';
import { KitLandingPage } from './emergency/kit_landing_page';
import { KitPage } from './emergency/kit_page';
import { ReviewPage } from './emergency/review_page';
import { SheetPage } from './emergency/sheet_page';
import { FamilyPage } from './family/family_page';
import { InsightPage } from './insight/insight_page';
import { LoginPage } from './auth/login_page';
import { LifelogListPage } from './lifelog/list_page';
import { isPersonTab, LifelogPersonPage } from './lifelog/person_page';
import { useLang } from './common/i18n';
import { matchPath, navigate, useLocation } from './common/router';
import { hasPermission, useSession, type Session } from './common/session';
import { AppShell, PublicShell } from './components/app_shell';
import { Denied } from './components/denied';
import { Loading } from './components/loading';
import { PARTS, type PartId } from './components/parts';
import { PlaceholderPage } from './components/placeholder_page';
import { HomePage } from './home/home_page';
import { NotFoundPage } from './not_found/not_found_page';
import { PersonDetailPage } from './persons/person_detail_page';
import { PersonListPage } from './persons/person_list_page';
import { AlertDetailPage } from './watch/alert_detail_page';
import { AlertsPage } from './watch/alerts_page';
import { WatchAdminPage } from './watch/watch_admin_page';
import { WatchStatusPage } from './watch/watch_status_page';

export const LOGIN_PATH = '/login';
export const ENROLMENT_PATH = '/login/2fa';

interface Route {
  pattern: string;
  /** Shown as "denied" without asking the server when the user lacks it. */
  permission?: string;
  render: (params: Record<string, string>, user: User) => ComponentChildren;
}

/** The first real page of a part, at the part's path; the other parts stay placeholders. */
const PART_PAGES: Partial<Record<PartId, Omit<Route, 'pattern'>>> = {
  watch: { permission: 'watch.status', render: () => <WatchStatusPage /> },
  carenet: { permission: 'carenet.read', render: (_, user) => <PatientsPage user={user} /> },
  // Still mostly a placeholder: what the part will hold, with the pages already there.
  disaster: { render: () => <DisasterPage /> },
  emergency: { render: (_, user) => <EmergencyPage user={user} /> },
  // Who may see whom is the server's to say (family, the team, school staff of the team).
  lifelog: { render: () => <LifelogListPage /> },
};

const ROUTES: Route[] = [
  { pattern: '/', render: (_, user) => <HomePage user={user} /> },
  ...PARTS.map((part): Route => ({ pattern: part.path, ...(PART_PAGES[part.id] ?? { render: () => <PlaceholderPage part={part} /> }) })),
  { pattern: '/persons', render: () => <PersonListPage /> },
  { pattern: '/persons/:id', render: ({ id }) => <PersonDetailPage id={id} /> },
  { pattern: '/carenet/patients', permission: 'carenet.read', render: (_, user) => <PatientsPage user={user} /> },
  { pattern: '/carenet/patients/:id', permission: 'carenet.read', render: ({ id }, user) => <PatientPage id={id} tab="timeline" user={user} /> },
  {
    pattern: '/carenet/patients/:id/:tab',
    permission: 'carenet.read',
    render: ({ id, tab }, user) => (isPatientTab(tab) ? <PatientPage id={id} tab={tab} user={user} /> : <NotFoundPage />),
  },
  { pattern: '/carenet/boards', permission: 'carenet.board', render: () => <BoardsPage /> },
  { pattern: '/carenet/boards/:id', permission: 'carenet.board', render: ({ id }, user) => <BoardPage id={id} user={user} /> },
  { pattern: '/carenet/boards/:board/threads/:thread', permission: 'carenet.board', render: ({ board, thread }) => <ThreadPage board={board} thread={thread} /> },
  { pattern: '/carenet/directory', permission: 'directory.read', render: () => <DirectoryPage /> },
  { pattern: '/carenet/directory/:code', permission: 'directory.read', render: ({ code }) => <OrganizationPage code={code} /> },
  { pattern: '/watch/admin', permission: 'watch.admin', render: () => <WatchAdminPage /> },
  { pattern: '/watch/alerts', permission: 'watch.alerts', render: () => <AlertsPage /> },
  { pattern: '/watch/alerts/:id', permission: 'watch.alerts', render: ({ id }, user) => <AlertDetailPage id={id} user={user} /> },
  { pattern: '/disaster/ledger', permission: 'disaster.ledger', render: () => <LedgerPage /> },
  { pattern: '/disaster/events', permission: 'disaster.events', render: () => <EventsPage /> },
  { pattern: '/disaster/events/:id', permission: 'disaster.events', render: ({ id }) => <EventPage id={id} /> },
  // Who is on the map is the server's to say, person by person.
  { pattern: '/disaster/events/:id/map', permission: 'disaster.person', render: ({ id }) => <MapPage id={id} /> },
  { pattern: '/disaster/events/:id/broadcasts/:b', permission: 'disaster.calls', render: ({ id, b }) => <BroadcastPage id={id} broadcastId={b} /> },
  { pattern: '/disaster/events/:id/facility', permission: 'disaster.places', render: ({ id }) => <FacilityPage id={id} /> },
  { pattern: '/disaster/events/:id/dashboard', permission: 'disaster.report', render: ({ id }) => <DashboardPage id={id} /> },
  { pattern: '/emergency/search', permission: 'emergency.find', render: () => <EmergencySearchPage /> },
  { pattern: '/emergency/persons/:id', permission: 'emergency.sheet', render: ({ id }) => <SheetPage id={id} /> },
  { pattern: '/emergency/kit/:id', permission: 'emergency.kit', render: ({ id }) => <KitPage id={id} /> },
  { pattern: '/emergency/review', permission: 'emergency.review', render: () => <ReviewPage /> },
  // Where the fridge kit's QR code leads; the page itself says who may use it.
  { pattern: '/e/:code', render: ({ code }) => <KitLandingPage code={code} /> },
  { pattern: '/lifelog/persons/:id', render: ({ id }, user) => <LifelogPersonPage id={id} tab="records" user={user} /> },
  {
    pattern: '/lifelog/persons/:id/:tab',
    render: ({ id, tab }, user) => (isPersonTab(tab) && tab !== 'records' ? <LifelogPersonPage id={id} tab={tab} user={user} /> : <NotFoundPage />),
  },
  { pattern: '/family', permission: 'family.relatives', render: () => <FamilyPage /> },
  { pattern: '/insight/households/:id', permission: 'insight.view', render: ({ id }) => <InsightPage id={id} /> },
  { pattern: '/admin/users', permission: 'admin.users', render: (_, user) => <UsersPage tenantCode={user.tenant.code} /> },
  { pattern: '/admin/audit', permission: 'admin.audit', render: () => <AuditPage /> },
];

/** Where the app must go instead of `path` for this session, or null to stay. */
export function redirectFor(session: Session, path: string, query: URLSearchParams): string | null {
  switch (session.status) {
    case 'loading':
      return null;
    case 'anonymous':
      if (path === LOGIN_PATH) return null;
      return path === '/' || path === ENROLMENT_PATH ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(path + window.location.search)}`;
    case 'signed_in':
      if (session.enrolmentRequired) {
        if (path === ENROLMENT_PATH) return null;
        // The page asked for before sign-in (a scanned QR code) is kept through the 2FA set-up.
        const next = path === LOGIN_PATH ? query.get('next') : path === '/' ? null : path + window.location.search;
        return next ? `${ENROLMENT_PATH}?next=${encodeURIComponent(next)}` : ENROLMENT_PATH;
      }
      if (path === LOGIN_PATH || path === ENROLMENT_PATH) return safeNext(query.get('next'));
      return null;
  }
}

/** Only same-app paths are followed after sign-in ("/x", never "//host" or "http:"). */
function safeNext(next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')) return next;
  return '/';
}

export function App() {
  useLang();
  const session = useSession();
  const { path, query } = useLocation();
  const redirect = redirectFor(session, path, query);
  const lastPath = useRef<string | null>(null);

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  // Move focus to the new page's heading after in-app navigation (not on first load).
  useEffect(() => {
    if (lastPath.current !== null && lastPath.current !== path) {
      const heading = document.querySelector<HTMLElement>('#main h1');
      heading?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    lastPath.current = path;
  }, [path, session.status]);

  if (session.status === 'loading' || redirect) {
    return (
      <PublicShell>
        <Loading />
      </PublicShell>
    );
  }

  if (session.status === 'anonymous') {
    return (
      <PublicShell>
        <LoginPage expired={session.expired === true} />
      </PublicShell>
    );
  }

  if (session.enrolmentRequired) {
    return (
      <PublicShell>
        <EnrolmentPage user={session.user} />
      </PublicShell>
    );
  }

  return <AppShell user={session.user}>{renderRoute(session, path)}</AppShell>;
}

function renderRoute(session: Session & { status: 'signed_in' }, path: string): ComponentChildren {
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    if (route.permission && !hasPermission(session, route.permission)) return <Denied />;
    // Keyed by route so a page's state starts fresh when another page is opened.
    return <Fragment key={route.pattern}>{route.render(params, session.user)}</Fragment>;
  }
  return <NotFoundPage />;
}

import { useEffect } from 'preact/hooks';
import { listLifelogPersons, type PersonSummary } from '../api/lifelog';
import { formatAgo, formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { navigate } from '../common/router';
import { hasPermission, useSession } from '../common/session';
import { useClock } from '../common/use_clock';
import { useResource } from '../common/use_resource';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { useOutbox } from './outbox';
import { SyncBar } from './sync_bar';
import './lifelog.css';

export function personPath(id: number, tab?: string): string {
  return `/lifelog/persons/${id}${tab ? `/${tab}` : ''}`;
}

/**
 * ここのーと: the persons whose records the user may see, as big cards with how today has gone.
 * A family member with one relative goes straight to that person (the list stays one step back).
 */
export function LifelogListPage() {
  useLang();
  useClock(60_000);
  const session = useSession();
  const [persons, reload] = useResource((signal) => listLifelogPersons(signal), []);
  const family = hasPermission(session, 'family.relatives');
  const direct = persons.state === 'ok' && family && persons.data.length === 1 && !wentDirect();

  useEffect(() => {
    if (direct && persons.state === 'ok') {
      // Once per tab: coming back to the list with "back" keeps the list.
      markWentDirect();
      navigate(personPath(persons.data[0].id), { replace: false });
    }
  }, [direct]);

  return (
    <Page title={t('nav.lifelog')} lead={t('lifelog.list.lead')} testId="lifelog-list-page">
      <SyncBar />
      <ResourceView resource={persons} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <div class="card" data-testid="lifelog-empty">
              <p>{t('lifelog.list.empty')}</p>
            </div>
          ) : (
            <ul class="ll-person-list plain-list" data-testid="lifelog-persons">
              {list.map((p) => (
                <PersonCard key={p.id} person={p} />
              ))}
            </ul>
          )
        }
      </ResourceView>
    </Page>
  );
}

const STAYED_KEY = 'moyakko.lifelog.went_direct';
let wentDirectHere = false;

function wentDirect(): boolean {
  try {
    return wentDirectHere || sessionStorage.getItem(STAYED_KEY) !== null;
  } catch {
    return wentDirectHere;
  }
}

function markWentDirect(): void {
  wentDirectHere = true;
  try {
    sessionStorage.setItem(STAYED_KEY, '1');
  } catch {
    // Remembered for this page load only.
  }
}

function PersonCard({ person }: { person: PersonSummary }) {
  const lang = useLang();
  const pending = useOutbox().filter((e) => e.person === person.id).length;
  const outToday = person.out_of_range_today;
  return (
    <li class="ll-person" data-testid="lifelog-person" data-person={person.id}>
      <Link href={personPath(person.id)} class="ll-person-link card" data-testid="lifelog-person-link">
        <span class="ll-person-name">
          <span data-testid="lifelog-person-name">{person.name}</span>
          {person.age !== null ? <span class="ll-person-age">{t('lifelog.age', { age: person.age })}</span> : null}
        </span>
        <span class="ll-person-kana">
          {person.kana}
          {person.relation === 'family' && person.relationship ? `　${t('family.relationship', { relationship: person.relationship })}` : ''}
        </span>
        <span class="ll-person-facts">
          <span data-testid="lifelog-person-today">{t('lifelog.list.today', { count: person.records_today })}</span>
          {outToday > 0 ? (
            <span class="ll-flag" data-testid="lifelog-person-out">
              <span aria-hidden="true">⚑</span> {t('lifelog.list.out_today', { count: outToday })}
            </span>
          ) : null}
          {pending > 0 ? <span class="badge badge-pending">{t('lifelog.sync.pending_count', { count: pending })}</span> : null}
        </span>
        <span class="ll-person-last">
          {person.last_record_at ? (
            <>
              {t('lifelog.list.last')} {formatAgo(person.last_record_at, Date.now())}
              <span class="ll-sub">
                {' '}
                (<time dateTime={person.last_record_at}>{formatDateTimeShort(person.last_record_at, lang)}</time>)
              </span>
            </>
          ) : (
            t('lifelog.list.never')
          )}
        </span>
      </Link>
    </li>
  );
}

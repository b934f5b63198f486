import { useEffect, useState } from 'preact/hooks';
import { listPersons, PERSON_LIST_LIMIT, type Person } from '../api/persons';
import { t, useLang } from '../common/i18n';
import { replaceQuery, useLocation } from '../common/router';
import { useResource } from '../common/use_resource';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { SearchBar } from '../components/search_bar';
import { ResultTable } from '../components/result_table';
import './persons.css';

const TYPING_PAUSE_MS = 300;

/** Search residents by name or kana; the query lives in the URL (?q=) so back/forward keep it. */
export function PersonListPage() {
  useLang();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const [persons, reload] = useResource((signal) => listPersons(q, signal), [q]);

  // Search while typing, after a short pause.
  useEffect(() => {
    if (text === q) return undefined;
    const timer = window.setTimeout(() => replaceQuery({ q: text.trim() || undefined }), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  // A 403 replaces the whole page, search box included.
  if (persons.state === 'error' && persons.error.status === 403) {
    return <ResourceView resource={persons}>{() => null}</ResourceView>;
  }

  return (
    <Page title={t('persons.title')} lead={t('persons.lead')} testId="persons-page">
      <SearchBar id="person-search" label={t('persons.search_label')} placeholder={t('persons.search_placeholder')} text={text} onText={setText} />
      <ResourceView resource={persons} onRetry={reload}>
        {(list) => <PersonTable persons={list} />}
      </ResourceView>
    </Page>
  );
}

function PersonTable({ persons }: { persons: Person[] }) {
  const limitNote = persons.length >= PERSON_LIST_LIMIT ? ` ${t('persons.limit_note', { limit: PERSON_LIST_LIMIT })}` : '';
  return (
    <ResultTable
      items={persons}
      testId="person"
      count={t('persons.count', { count: persons.length }) + limitNote}
      empty={t('persons.empty')}
      columns={[t('person.name'), t('person.age'), t('person.address')]}
      class="person-table"
    >
      {(person) => (
        <tr key={person.id} data-testid="person-row" data-person-id={person.id}>
          <td class="person-name-cell">
            <Link href={`/persons/${person.id}`} class="person-link" data-testid="person-link">
              <span class="person-name">{person.name}</span>
              <span class="person-kana">{person.kana}</span>
            </Link>
          </td>
          <td class="person-age-cell" data-label={t('person.age')}>
            {t('person.age_value', { age: person.age })}
          </td>
          <td class="person-address-cell" data-label={t('person.address')}>
            {person.address}
          </td>
        </tr>
      )}
    </ResultTable>
  );
}

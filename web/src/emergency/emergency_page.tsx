import { useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { findPersons, listLiveGrants, type EmergencyIdentity, type Grant } from '../api/emergency';
import { t, tOptional, useLang } from '../common/i18n';
import { replaceQuery, useLocation } from '../common/router';
import { useSession, hasPermission } from '../common/session';
import { useResource } from '../common/use_resource';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { ResultTable } from '../components/result_table';
import { BreakGlassDialog } from './break_glass_form';
import { LiveGrants } from './live_grants';
import './emergency.css';

/**
 * 救急: for paramedics the search for a resident (identity only) and the break-glass dialog; for a
 * hospital's staff the grants given to their hospital; for reviewers the way to the report.
 */
export function EmergencyPage({ user }: { user: User }) {
  useLang();
  const session = useSession();
  const canFind = hasPermission(session, 'emergency.find');
  const canSheet = hasPermission(session, 'emergency.sheet');
  const canReview = hasPermission(session, 'emergency.review');
  if (canFind) return <EmergencySearchPage />;
  return (
    <Page title={t('nav.emergency')} lead={t('emergency.hub.lead')} testId="emergency-hub">
      {canSheet ? <HospitalGrants /> : null}
      {canReview ? (
        <section class="card em-hub-card" data-testid="emergency-hub-review">
          <h2 class="section-title">{t('nav.emergency_review')}</h2>
          <p>{t('part.emergency_review.summary')}</p>
          <Link href="/emergency/review" class="button button-primary" data-testid="emergency-hub-review-link">
            {t('emergency.hub.open_review')}
          </Link>
        </section>
      ) : null}
      {!canSheet && !canReview ? (
        <div class="notice notice-info" role="note" data-testid="emergency-hub-none">
          <p>{t('emergency.hub.paramedics_only', { role: tOptional(`role.${user.role}`, user.role) })}</p>
        </div>
      ) : null}
    </Page>
  );
}

function HospitalGrants() {
  const [grants, reload] = useResource((signal) => listLiveGrants(signal), []);
  return <LiveGrants grants={grants} onRetry={reload} />;
}

/** The search is a link: the text and the birth date are kept in the address (?q=&birth_date=). */
export function EmergencySearchPage() {
  useLang();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const birthDate = query.get('birth_date') ?? '';
  const [text, setText] = useState(q);
  const [birth, setBirth] = useState(birthDate);
  const [opening, setOpening] = useState<EmergencyIdentity | null>(null);
  const [grants, reloadGrants] = useResource((signal) => listLiveGrants(signal), []);
  const [persons, reloadPersons] = useResource(
    (signal) => (q.trim() || birthDate ? findPersons(q, birthDate, signal) : Promise.resolve(null)),
    [q, birthDate],
  );
  const liveFor = new Set(grants.state === 'ok' ? grants.data.map((g: Grant) => g.person.id) : []);

  return (
    <Page title={t('emergency.search.title')} lead={t('emergency.search.lead')} testId="emergency-search-page">
      <LiveGrants grants={grants} onRetry={reloadGrants} hideWhenEmpty />
      <form
        class="card form em-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          replaceQuery({ q: text.trim() || undefined, birth_date: birth || undefined });
        }}
        data-testid="emergency-search"
      >
        <div class="em-search-fields">
          <div class="field">
            <label for="em-q">{t('emergency.search.q')}</label>
            <input
              id="em-q"
              type="search"
              value={text}
              autocomplete="off"
              placeholder={t('emergency.search.q_placeholder')}
              onInput={(e) => setText(e.currentTarget.value)}
              data-testid="emergency-search-q"
            />
          </div>
          <div class="field">
            <label for="em-birth">{t('person.birth_date')}</label>
            <input id="em-birth" type="date" value={birth} onInput={(e) => setBirth(e.currentTarget.value)} data-testid="emergency-search-birth" />
          </div>
        </div>
        <p class="field-hint">{t('emergency.search.hint')}</p>
        <div class="form-actions">
          <button type="submit" class="button button-primary em-search-button" data-testid="emergency-search-submit">
            {t('persons.search')}
          </button>
        </div>
      </form>
      {persons.state === 'loading' ? <Loading /> : null}
      {persons.state === 'error' ? <ErrorMessage error={persons.error} onRetry={reloadPersons} /> : null}
      {persons.state === 'ok' && persons.data ? (
        <ResultTable
          items={persons.data}
          testId="emergency-person"
          count={t('persons.count', { count: persons.data.length })}
          empty={t('emergency.search.empty')}
          columns={[t('person.name'), t('emergency.search.age_sex'), t('person.address'), t('emergency.search.action')]}
          class="em-person-table"
        >
          {(person) => (
            <tr key={person.id} data-testid="emergency-person-row" data-person-id={person.id}>
              <td class="em-person-name-cell">
                <span class="em-person-name">{person.name}</span>
                <span class="cell-sub">{person.kana}</span>
              </td>
              <td data-label={t('emergency.search.age_sex')}>
                {t('person.age_value', { age: person.age })}　{tOptional(`sex.${person.sex}`, person.sex)}
              </td>
              <td data-label={t('person.address')}>{person.address}</td>
              <td class="em-person-action">
                {liveFor.has(person.id) ? (
                  <Link href={`/emergency/persons/${person.id}`} class="button button-primary" data-testid="emergency-person-sheet">
                    {t('emergency.search.show_sheet')}
                  </Link>
                ) : (
                  <button type="button" class="button button-danger" onClick={() => setOpening(person)} data-testid="emergency-person-open">
                    {t('emergency.grant.submit')}
                    <span class="visually-hidden">{person.name}</span>
                  </button>
                )}
              </td>
            </tr>
          )}
        </ResultTable>
      ) : null}
      <BreakGlassDialog person={opening} onClose={() => setOpening(null)} />
    </Page>
  );
}

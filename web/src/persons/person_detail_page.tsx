import { ApiError } from '../api/client';
import { getPerson, type Person } from '../api/persons';
import { formatBirthDate } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { PhoneLink } from '../components/phone_link';
import './persons.css';

export function PersonDetailPage({ id }: { id: string }) {
  useLang();
  const numericId = /^\d+$/.test(id) ? Number(id) : NaN;
  const [person, reload] = useResource(
    (signal) => (Number.isNaN(numericId) ? Promise.reject(notFound()) : getPerson(numericId, signal)),
    [numericId],
  );

  if (person.state === 'loading') {
    return (
      <Page title={t('person.title')}>
        <Loading />
      </Page>
    );
  }
  if (person.state === 'error') {
    if (person.error.status === 403) return <Denied />;
    if (person.error.status === 404) {
      return (
        <Page title={t('person.not_found')} testId="person-not-found">
          <BackLink />
        </Page>
      );
    }
    return (
      <Page title={t('person.title')}>
        <ErrorMessage error={person.error} onRetry={reload} />
        <BackLink />
      </Page>
    );
  }
  return <PersonView person={person.data} />;
}

function PersonView({ person }: { person: Person }) {
  const lang = useLang();
  return (
    <Page title={person.name} lead={person.kana} testId="person-detail">
      <dl class="card detail-list">
        <Row label={t('person.sex')} value={tOptional(`sex.${person.sex}`, person.sex)} testId="person-sex" />
        <Row label={t('person.birth_date')} value={formatBirthDate(person.birth_date, lang)} testId="person-birth-date" />
        <Row label={t('person.age')} value={t('person.age_value', { age: person.age })} testId="person-age" />
        <Row
          label={t('person.address')}
          value={person.postal_code ? `〒${person.postal_code} ${person.address}` : person.address}
          testId="person-address"
        />
        <Row label={t('person.district')} value={person.district || t('common.not_registered')} testId="person-district" />
        <div class="detail-row">
          <dt>{t('person.phones')}</dt>
          <dd data-testid="person-phones">
            {person.phones.length === 0 ? (
              t('common.not_registered')
            ) : (
              <ul class="plain-list">
                {person.phones.map((phone) => (
                  <li key={phone}>
                    <PhoneLink phone={phone} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <Row
          label={t('person.location')}
          value={
            person.lat !== null && person.lon !== null
              ? `${person.lat.toFixed(5)}, ${person.lon.toFixed(5)}`
              : t('common.not_registered')
          }
          testId="person-location"
        />
      </dl>
      <BackLink />
    </Page>
  );
}

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div class="detail-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

function BackLink() {
  return (
    <p>
      <Link href="/persons" class="button button-secondary" data-testid="person-back">
        {t('person.back')}
      </Link>
    </p>
  );
}

function notFound(): ApiError {
  return new ApiError(404, 'not_found', 'not found');
}

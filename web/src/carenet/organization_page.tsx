import { getOrganization } from '../api/directory';
import { t, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { PhoneLink } from '../components/phone_link';
import { ResourceView } from '../components/resource_view';
import './carenet.css';
import { kindName, ServiceChips } from './directory_page';
import { UserLabel } from './parts';

/** One organisation of the directory and the professionals who work there. */
export function OrganizationPage({ code }: { code: string }) {
  useLang();
  const [data, reload] = useResource((signal) => getOrganization(code, signal), [code]);
  return (
    <ResourceView resource={data} onRetry={reload}>
      {({ organization: org, professionals }) => (
        <Page title={org.name} lead={kindName(org.kind)} testId="organization-page">
          <p class="cn-back">
            <Link href="/carenet/directory" class="button button-quiet button-small" data-testid="organization-back">
              {t('carenet.directory.back')}
            </Link>
          </p>
          <dl class="card cn-fields cn-org-detail" data-testid="organization-detail">
            <div>
              <dt>{t('carenet.directory.phone')}</dt>
              <dd>
                <PhoneLink phone={org.phone} testId="organization-phone" />
              </dd>
            </div>
            <div>
              <dt>{t('carenet.directory.fax')}</dt>
              <dd>{org.fax || t('common.not_registered')}</dd>
            </div>
            <div>
              <dt>{t('carenet.directory.address')}</dt>
              <dd>{org.address || t('common.not_registered')}</dd>
            </div>
            <div>
              <dt>{t('carenet.directory.hours')}</dt>
              <dd class="cn-pre">{org.hours || t('common.not_registered')}</dd>
            </div>
            <div>
              <dt>{t('carenet.directory.services')}</dt>
              <dd>{(org.services ?? []).length > 0 ? <ServiceChips services={org.services} /> : t('common.not_registered')}</dd>
            </div>
            {org.note ? (
              <div>
                <dt>{t('carenet.directory.note')}</dt>
                <dd class="cn-pre">{org.note}</dd>
              </div>
            ) : null}
          </dl>
          <h2 class="section-title">{t('carenet.directory.staff', { count: professionals.length })}</h2>
          {professionals.length === 0 ? (
            <p class="empty">{t('carenet.professional.none')}</p>
          ) : (
            <ul class="cn-card-list" data-testid="organization-professionals">
              {professionals.map((u) => (
                <li key={u.id} class="card cn-member" data-testid="organization-professional" data-user-id={u.id}>
                  <UserLabel user={u} />
                  <p class="cn-member-phone">
                    <PhoneLink phone={u.phone} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Page>
      )}
    </ResourceView>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { ROLES } from '../api/auth';
import { ORGANIZATION_KINDS, searchOrganizations, searchProfessionals, SERVICES, type DirectoryOrganization } from '../api/directory';
import { t, tOptional, useLang } from '../common/i18n';
import { mergeQuery, replaceQuery, useLocation } from '../common/router';
import { useResource } from '../common/use_resource';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { PhoneLink } from '../components/phone_link';
import { ResourceView } from '../components/resource_view';
import { ResultTable } from '../components/result_table';
import './carenet.css';
import { roleName, useDebounced } from './parts';

export function kindName(kind: string): string {
  return tOptional(`carenet.kind.${kind}`, kind);
}

export function serviceName(service: string): string {
  return tOptional(`carenet.service.${service}`, service);
}

type DirectoryTab = 'organizations' | 'professionals';

/** 事業所・専門職: organisations by text, kind and service; professionals by name. Filters live in the URL. */
export function DirectoryPage() {
  useLang();
  const { query } = useLocation();
  const tab: DirectoryTab = query.get('tab') === 'professionals' ? 'professionals' : 'organizations';
  return (
    <Page title={t('carenet.directory.title')} lead={t('carenet.directory.lead')} testId="directory-page">
      <nav class="cn-tabs" aria-label={t('carenet.directory.tabs')}>
        <Link
          href="/carenet/directory"
          class={tab === 'organizations' ? 'cn-tab current' : 'cn-tab'}
          aria-current={tab === 'organizations' ? 'page' : undefined}
          data-testid="directory-tab-organizations"
        >
          {t('carenet.directory.organizations')}
        </Link>
        <Link
          href="/carenet/directory?tab=professionals"
          class={tab === 'professionals' ? 'cn-tab current' : 'cn-tab'}
          aria-current={tab === 'professionals' ? 'page' : undefined}
          data-testid="directory-tab-professionals"
        >
          {t('carenet.directory.professionals')}
        </Link>
      </nav>
      {tab === 'organizations' ? <OrganizationSearch /> : <ProfessionalSearch />}
    </Page>
  );
}

function OrganizationSearch() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const kind = query.get('kind') ?? '';
  const service = query.get('service') ?? '';
  const [text, setText] = useState(q);
  const typed = useDebounced(text);
  useEffect(() => {
    if (typed !== q) mergeQuery({ q: typed || undefined });
  }, [typed]);
  const [orgs, reload] = useResource((signal) => searchOrganizations({ q, kind, service }, signal), [q, kind, service]);
  const set = (change: Record<string, string>) =>
    replaceQuery({ q: text.trim() || undefined, kind: kind || undefined, service: service || undefined, ...change });

  return (
    <>
      <form
        class="card cn-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({});
        }}
        data-testid="org-filters"
      >
        <div class="field">
          <label for="org-q">{t('carenet.directory.org_search')}</label>
          <input id="org-q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={t('carenet.directory.org_placeholder')} autocomplete="off" data-testid="org-search" />
        </div>
        <div class="field">
          <label for="org-kind">{t('carenet.directory.kind')}</label>
          <select id="org-kind" value={kind} onChange={(e) => set({ kind: e.currentTarget.value })} data-testid="org-kind">
            <option value="">{t('carenet.directory.any')}</option>
            {ORGANIZATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindName(k)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="org-service">{t('carenet.directory.service')}</label>
          <select id="org-service" value={service} onChange={(e) => set({ service: e.currentTarget.value })} data-testid="org-service">
            <option value="">{t('carenet.directory.any')}</option>
            {SERVICES.map((s) => (
              <option key={s} value={s}>
                {serviceName(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-primary" data-testid="org-search-submit">
          {t('persons.search')}
        </button>
      </form>
      <ResourceView resource={orgs} onRetry={reload}>
        {(list) => <OrganizationTable organizations={list} />}
      </ResourceView>
    </>
  );
}

export function ServiceChips({ services }: { services: string[] }) {
  if (services.length === 0) return null;
  return (
    <ul class="cn-chips" data-testid="org-services">
      {services.map((s) => (
        <li key={s} class="cn-chip" data-service={s}>
          {serviceName(s)}
        </li>
      ))}
    </ul>
  );
}

function OrganizationTable({ organizations }: { organizations: DirectoryOrganization[] }) {
  return (
    <ResultTable
      items={organizations}
      testId="org"
      count={t('carenet.directory.org_count', { count: organizations.length })}
      empty={t('carenet.directory.org_empty')}
      columns={[t('carenet.directory.name'), t('carenet.directory.kind'), t('carenet.directory.phone'), t('carenet.directory.services')]}
      class="cn-org-table"
    >
      {(org) => (
        <tr key={org.code} data-testid="org-row" data-org-code={org.code} data-org-kind={org.kind}>
          <td>
            <Link href={`/carenet/directory/${encodeURIComponent(org.code)}`} class="cn-card-link" data-testid="org-link">
              {org.name}
            </Link>
            {org.address ? <span class="cell-sub">{org.address}</span> : null}
          </td>
          <td data-label={t('carenet.directory.kind')}>{kindName(org.kind)}</td>
          <td data-label={t('carenet.directory.phone')}>
            <PhoneLink phone={org.phone} />
          </td>
          <td data-label={t('carenet.directory.services')}>
            <ServiceChips services={org.services ?? []} />
          </td>
        </tr>
      )}
    </ResultTable>
  );
}

function ProfessionalSearch() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const role = query.get('role') ?? '';
  const [text, setText] = useState(q);
  const typed = useDebounced(text);
  useEffect(() => {
    if (typed !== q) mergeQuery({ q: typed || undefined });
  }, [typed]);
  const [found, reload] = useResource((signal) => searchProfessionals({ q, role }, signal), [q, role]);
  const staffRoles = ROLES.filter((r) => r !== 'family' && r !== 'resident' && r !== 'admin');
  return (
    <>
      <form
        class="card cn-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          replaceQuery({ tab: 'professionals', q: text.trim() || undefined, role: role || undefined });
        }}
        data-testid="pro-filters"
      >
        <div class="field">
          <label for="pro-q">{t('carenet.directory.pro_search')}</label>
          <input id="pro-q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={t('carenet.professional.placeholder')} autocomplete="off" data-testid="pro-search" />
        </div>
        <div class="field">
          <label for="pro-role">{t('carenet.directory.role')}</label>
          <select
            id="pro-role"
            value={role}
            onChange={(e) => replaceQuery({ tab: 'professionals', q: text.trim() || undefined, role: e.currentTarget.value || undefined })}
            data-testid="pro-role"
          >
            <option value="">{t('carenet.directory.any')}</option>
            {staffRoles.map((r) => (
              <option key={r} value={r}>
                {roleName(r)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-primary" data-testid="pro-search-submit">
          {t('persons.search')}
        </button>
      </form>
      <ResourceView resource={found} onRetry={reload}>
        {(list) => (
          <ResultTable
            items={list}
            testId="pro"
            count={t('carenet.directory.pro_count', { count: list.length })}
            empty={t('carenet.professional.none')}
            columns={[t('carenet.directory.name'), t('carenet.directory.organization'), t('carenet.directory.phone')]}
          >
            {(u) => (
              <tr key={u.id} data-testid="pro-row" data-user-id={u.id}>
                <td>
                  <span class="cell-strong">{u.name}</span>
                  <span class="cell-sub">
                    {u.kana}　{roleName(u.role)}
                  </span>
                </td>
                <td data-label={t('carenet.directory.organization')}>
                  {u.organization ? (
                    <Link href={`/carenet/directory/${encodeURIComponent(u.organization.code)}`}>{u.organization.name}</Link>
                  ) : (
                    <span class="cn-muted">{t('home.no_organization')}</span>
                  )}
                </td>
                <td data-label={t('carenet.directory.phone')}>
                  <PhoneLink phone={u.phone} />
                </td>
              </tr>
            )}
          </ResultTable>
        )}
      </ResourceView>
    </>
  );
}


import type { User } from '../api/auth';
import { ApiError } from '../api/client';
import { getPatient, type Patient } from '../api/carenet';
import { formatBirthDate } from '../common/format';
import { t, tOptional, useLang, type MessageKey } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { PersonInsightLink } from '../insight/insight_link';
import './carenet.css';
import { ConsentsTab } from './consents_tab';
import { SummaryTab } from './summary_tab';
import { TeamTab } from './team_tab';
import { TimelineTab } from './timeline_tab';

export const PATIENT_TABS = ['timeline', 'summary', 'team', 'consents'] as const;
export type PatientTab = (typeof PATIENT_TABS)[number];

export function isPatientTab(value: string): value is PatientTab {
  return (PATIENT_TABS as readonly string[]).includes(value);
}

function tabPath(id: number, tab: PatientTab): string {
  return tab === 'timeline' ? `/carenet/patients/${id}` : `/carenet/patients/${id}/${tab}`;
}

/** One patient: team timeline, summary, care team and consents, one tab each (a path each). */
export function PatientPage({ id, tab, user }: { id: string; tab: PatientTab; user: User }) {
  useLang();
  const numericId = /^\d+$/.test(id) ? Number(id) : NaN;
  const [patient, reload] = useResource(
    (signal) => (Number.isNaN(numericId) ? Promise.reject(new ApiError(403, 'forbidden', 'forbidden')) : getPatient(numericId, signal)),
    [numericId],
  );

  if (patient.state === 'loading') {
    return (
      <Page title={t('carenet.patient.title')}>
        <Loading />
      </Page>
    );
  }
  if (patient.state === 'error') {
    // An unknown patient is 403 too, so ids cannot be probed.
    if (patient.error.status === 403 || patient.error.status === 404) return <Denied />;
    return (
      <Page title={t('carenet.patient.title')}>
        <ErrorMessage error={patient.error} onRetry={reload} />
        <BackLink />
      </Page>
    );
  }
  return <PatientView patient={patient.data} tab={tab} user={user} onChanged={reload} />;
}

function PatientView({ patient, tab: asked, user, onChanged }: { patient: Patient; tab: PatientTab; user: User; onChanged: () => void }) {
  const lang = useLang();
  const session = useSession();
  const id = patient.person.id;
  const person = patient.person;
  // The timeline is the team's: others (city, call centre, admin) start at the summary.
  const member = patient.my_membership !== null;
  const tabs: readonly PatientTab[] = member ? PATIENT_TABS : PATIENT_TABS.filter((name) => name !== 'timeline');
  const tab = tabs.includes(asked) ? asked : 'summary';
  return (
    <Page
      title={t('carenet.patient.heading', { name: person.name })}
      lead={
        <>
          <span class="cn-head-kana">{person.kana}</span>
          <span class="cn-head-meta" data-testid="patient-meta">
            {formatBirthDate(person.birth_date, lang)}　{t('person.age_value', { age: person.age })}　{tOptional(`sex.${person.sex}`, person.sex)}
            {patient.my_membership ? (
              <span class={patient.my_membership === 'lead' ? 'badge badge-ok' : 'badge badge-muted'} data-testid="patient-membership">
                {patient.my_membership === 'lead' ? t('carenet.team.lead_me') : t('carenet.team.member_me')}
              </span>
            ) : null}
            {patient.status === 'deregistered' ? <span class="badge badge-warning">{t('carenet.patients.deregistered')}</span> : null}
          </span>
        </>
      }
      actions={
        <>
          <PersonInsightLink person={id} data-testid="patient-insight" />
          {hasPermission(session, 'emergency.kit') && patient.status === 'active' ? (
            <Link href={`/emergency/kit/${id}`} class="button button-secondary" data-testid="patient-kit">
              {t('carenet.patient.kit')}
            </Link>
          ) : null}
        </>
      }
      testId="carenet-patient"
    >
      <p class="cn-back no-print">
        <Link href="/carenet/patients" class="button button-quiet button-small" data-testid="patient-back">
          {t('carenet.patient.back')}
        </Link>
      </p>
      {!patient.consent || patient.consent.withdrawn_at ? (
        <div class="notice notice-warning" role="status" data-testid="patient-no-consent">
          <p>{t('carenet.patient.no_consent')}</p>
        </div>
      ) : null}
      <nav class="cn-tabs no-print" aria-label={t('carenet.patient.tabs')} data-testid="patient-tabs">
        {tabs.map((name) => (
          <Link
            key={name}
            href={name === 'summary' && !member ? `/carenet/patients/${id}/summary` : tabPath(id, name)}
            class={name === tab ? 'cn-tab current' : 'cn-tab'}
            aria-current={name === tab ? 'page' : undefined}
            data-testid={`tab-${name}`}
          >
            {t(`carenet.tab.${name}` as MessageKey)}
          </Link>
        ))}
      </nav>
      {!member ? (
        <p class="notice notice-info no-print" data-testid="patient-not-member">
          {t('carenet.timeline.members_only')}
        </p>
      ) : null}
      <div class="cn-tab-panel" data-testid={`panel-${tab}`}>
        {tab === 'timeline' ? <TimelineTab patient={patient} user={user} /> : null}
        {tab === 'summary' ? <SummaryTab patient={patient} user={user} /> : null}
        {tab === 'team' ? <TeamTab patient={patient} user={user} onChanged={onChanged} /> : null}
        {tab === 'consents' ? (
          <ConsentsTab patient={patient} canDeregister={patient.my_membership === 'lead' || user.role === 'admin'} onChanged={onChanged} />
        ) : null}
      </div>
    </Page>
  );
}

function BackLink() {
  return (
    <p>
      <Link href="/carenet/patients" class="button button-secondary">
        {t('carenet.patient.back')}
      </Link>
    </p>
  );
}

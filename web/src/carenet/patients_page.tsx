import { useEffect, useState } from 'preact/hooks';
import type { User } from '../api/auth';
import {
  answerInvitation,
  INVITATION_EVENT,
  listInvitations,
  listPatients,
  PATIENT_LIST_LIMIT,
  type Invitation,
  type PatientListItem,
} from '../api/carenet';
import { formatAgo, formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { navigate, replaceQuery, useLocation } from '../common/router';
import { eventStream, hasPermission, useSession, useStreamState } from '../common/session';
import { useClock } from '../common/use_clock';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { SearchBar } from '../components/search_bar';
import { ResultTable } from '../components/result_table';
import './carenet.css';
import { RegisterPatientForm } from './register_patient_form';
import { UserLabel } from './parts';
import { refreshUnread } from './unread';

const TYPING_PAUSE_MS = 300;

/** 患者: my patients (or the municipality's), search, invitations to answer, registering. */
export function PatientsPage({ user }: { user: User }) {
  useLang();
  const session = useSession();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const [registering, setRegistering] = useState(false);
  const [patients, reload] = useResource((signal) => listPatients(q, signal), [q]);
  const canRegister = hasPermission(session, 'carenet.patient.register');

  useEffect(() => {
    if (text === q) return undefined;
    const timer = window.setTimeout(() => replaceQuery({ q: text.trim() || undefined }), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  if (patients.state === 'error' && patients.error.status === 403) {
    return <ResourceView resource={patients}>{() => null}</ResourceView>;
  }

  return (
    <Page
      title={t('carenet.patients.title')}
      lead={t('carenet.patients.lead')}
      testId="carenet-patients"
      actions={
        canRegister ? (
          <button
            type="button"
            class="button button-primary"
            aria-expanded={registering}
            aria-controls="register-patient"
            onClick={() => setRegistering(!registering)}
            data-testid="register-open"
          >
            {registering ? t('common.cancel') : t('carenet.register.open')}
          </button>
        ) : undefined
      }
    >
      <Invitations
        onAnswered={(accepted) => {
          reload();
          void refreshUnread();
          if (accepted !== null) navigate(`/carenet/patients/${accepted}`);
        }}
      />
      {registering ? (
        <RegisterPatientForm
          user={user}
          onRegistered={(id) => {
            setRegistering(false);
            navigate(`/carenet/patients/${id}`);
          }}
        />
      ) : null}
      <SearchBar id="patient-search" label={t('carenet.patients.search_label')} placeholder={t('carenet.patients.search_placeholder')} text={text} onText={setText} />
      <ResourceView resource={patients} onRetry={reload}>
        {(list) => <PatientTable patients={list} />}
      </ResourceView>
    </Page>
  );
}

function PatientTable({ patients }: { patients: PatientListItem[] }) {
  const lang = useLang();
  useClock(60_000);
  const now = Date.now();
  const limitNote = patients.length >= PATIENT_LIST_LIMIT ? ` ${t('persons.limit_note', { limit: PATIENT_LIST_LIMIT })}` : '';
  return (
    <ResultTable
      items={patients}
      testId="patient"
      count={t('carenet.patients.count', { count: patients.length }) + limitNote}
      empty={t('carenet.patients.empty')}
      columns={[t('person.name'), t('carenet.care_level'), t('carenet.patients.unread'), t('carenet.patients.last_post')]}
      class="cn-patient-table"
    >
      {(p) => (
        <tr key={p.person.id} data-testid="patient-row" data-person-id={p.person.id} class={p.status === 'deregistered' ? 'cn-row-muted' : undefined}>
          <td class="person-name-cell">
            <Link href={`/carenet/patients/${p.person.id}`} class="person-link" data-testid="patient-link">
              <span class="person-name">{p.person.name}</span>
              <span class="person-kana">
                {p.person.kana}　{t('person.age_value', { age: p.person.age })}
              </span>
            </Link>
            {p.my_membership === 'lead' ? <span class="badge badge-ok">{t('carenet.team.lead')}</span> : null}
            {p.status === 'deregistered' ? <span class="badge badge-muted">{t('carenet.patients.deregistered')}</span> : null}
          </td>
          <td data-label={t('carenet.care_level')} data-testid="patient-care-level">
            {p.care_level ?? <span class="cn-muted">{t('common.not_registered')}</span>}
          </td>
          <td data-label={t('carenet.patients.unread')}>
            {p.unread > 0 ? (
              <span class="cn-count-badge" data-testid="patient-unread">
                {t('carenet.patients.unread_value', { count: p.unread })}
              </span>
            ) : (
              <span class="cn-muted" data-testid="patient-unread-none">
                {t('carenet.patients.unread_none')}
              </span>
            )}
          </td>
          <td data-label={t('carenet.patients.last_post')} data-testid="patient-last-post">
            {p.last_post_at ? (
              <time dateTime={p.last_post_at} title={formatDateTimeShort(p.last_post_at, lang)}>
                {formatAgo(p.last_post_at, now)}
              </time>
            ) : (
              <span class="cn-muted">{t('carenet.patients.no_posts')}</span>
            )}
          </td>
        </tr>
      )}
    </ResultTable>
  );
}

/** Invitations to a care team waiting for an answer; shown first because someone waits for them. */
function Invitations({ onAnswered }: { onAnswered: (acceptedPatient: number | null) => void }) {
  const lang = useLang();
  const [invitations, reload] = useResource((signal) => listInvitations(signal), []);
  const stream = useStreamState();
  // A new invitation arrives live while the page is open.
  useEffect(() => eventStream()?.on(INVITATION_EVENT, () => reload()), [stream === 'closed']);
  if (invitations.state !== 'ok' || invitations.data.length === 0) return null;
  return (
    <section class="card cn-invitations" aria-labelledby="invitations-title" data-testid="invitations">
      <h2 id="invitations-title" class="section-title">
        {t('carenet.invitations.title', { count: invitations.data.length })}
      </h2>
      <ul class="plain-list">
        {invitations.data.map((inv) => (
          <InvitationRow
            key={inv.patient.id}
            invitation={inv}
            lang={lang}
            onDone={(accepted) => {
              reload();
              onAnswered(accepted ? inv.patient.id : null);
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function InvitationRow({ invitation, lang, onDone }: { invitation: Invitation; lang: 'ja' | 'en'; onDone: (accepted: boolean) => void }) {
  const [answer, setAnswer] = useState<'accept' | 'decline'>('accept');
  const { submit, busy, error } = useSubmit(async () => {
    await answerInvitation(invitation.patient.id, answer);
    onDone(answer === 'accept');
  });
  return (
    <li class="cn-invitation" data-testid="invitation" data-patient-id={invitation.patient.id}>
      <form onSubmit={submit}>
        <p class="cn-invitation-text">
          <strong data-testid="invitation-patient">{t('carenet.invitations.patient', { name: invitation.patient.name })}</strong>
          <span class="cell-sub">
            {t('carenet.invitations.from')} <UserLabel user={invitation.invited_by} />　{formatDateTimeShort(invitation.invited_at, lang)}
          </span>
        </p>
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy} onClick={() => setAnswer('accept')} data-testid="invitation-accept">
            {t('carenet.invitations.accept')}
          </button>
          <button type="submit" class="button button-secondary" disabled={busy} onClick={() => setAnswer('decline')} data-testid="invitation-decline">
            {t('carenet.invitations.decline')}
          </button>
        </div>
        {error ? (
          <p class="notice notice-error" role="alert">
            {describeError(error)}
          </p>
        ) : null}
      </form>
    </li>
  );
}

import { useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { inviteToTeam, listTeam, makeLead, removeFromTeam, type CareUser, type Patient, type TeamMember } from '../api/carenet';
import type { ApiError } from '../api/client';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { navigate } from '../common/router';
import { asApiError, useResource } from '../common/use_resource';
import { describeError } from '../components/error_message';
import { PhoneLink } from '../components/phone_link';
import { ResourceView } from '../components/resource_view';
import { ProfessionalPicker, UserLabel } from './parts';

/** チーム: the care team, invitations, lead, leaving. */
export function TeamTab({ patient, user, onChanged }: { patient: Patient; user: User; onChanged: () => void }) {
  const id = patient.person.id;
  const [team, reload] = useResource((signal) => listTeam(id, signal), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);
  const manages = patient.my_membership === 'lead' || user.role === 'admin';

  const act = async (action: () => Promise<void>, message: string, after?: () => void) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(message);
      setConfirm(null);
      reload();
      if (after) after();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ResourceView resource={team} onRetry={reload}>
      {(members) => {
        const active = members.filter((m) => m.status === 'active');
        const invited = members.filter((m) => m.status === 'invited');
        const known = new Set(members.map((m) => m.user.id));
        return (
          <div class="cn-team" data-testid="team">
            <div aria-live="polite">
              {done ? (
                <p class="notice notice-success" data-testid="team-done">
                  {done}
                </p>
              ) : null}
              {error ? (
                <p class="notice notice-error" role="alert" data-testid="team-error">
                  {error.code === 'last_lead' ? t('carenet.team.error.last_lead') : describeError(error)}
                </p>
              ) : null}
            </div>
            <h2 class="section-title">{t('carenet.team.members', { count: active.length })}</h2>
            <ul class="cn-members" data-testid="team-members">
              {active.map((m) => (
                <MemberRow
                  key={m.user.id}
                  member={m}
                  me={m.user.id === user.id}
                  manages={manages}
                  busy={busy}
                  confirming={confirm === m.user.id}
                  onConfirm={(on) => setConfirm(on ? m.user.id : null)}
                  onRemove={() =>
                    void act(
                      () => removeFromTeam(id, m.user.id),
                      m.user.id === user.id ? t('carenet.team.left') : t('carenet.team.removed', { name: m.user.name }),
                      m.user.id === user.id ? () => navigate('/carenet/patients') : onChanged,
                    )
                  }
                  onLead={() => void act(() => makeLead(id, m.user.id), t('carenet.team.lead_done', { name: m.user.name }), onChanged)}
                />
              ))}
            </ul>
            {invited.length > 0 ? (
              <>
                <h2 class="section-title">{t('carenet.team.invited_title', { count: invited.length })}</h2>
                <ul class="cn-members" data-testid="team-invited">
                  {invited.map((m) => (
                    <MemberRow
                      key={m.user.id}
                      member={m}
                      me={m.user.id === user.id}
                      manages={manages}
                      busy={busy}
                      confirming={confirm === m.user.id}
                      onConfirm={(on) => setConfirm(on ? m.user.id : null)}
                      onRemove={() => void act(() => removeFromTeam(id, m.user.id), t('carenet.team.removed', { name: m.user.name }))}
                    />
                  ))}
                </ul>
              </>
            ) : null}
            {manages ? (
              <section class="card cn-invite" aria-labelledby="invite-title" data-testid="team-invite">
                <h2 id="invite-title" class="section-title">
                  {t('carenet.team.invite_title')}
                </h2>
                <p class="field-hint">{t('carenet.team.invite_hint')}</p>
                <ProfessionalPicker
                  id="team-invite-search"
                  label={t('carenet.team.invite_search')}
                  action={t('carenet.team.invite')}
                  exclude={known}
                  busy={busy}
                  onPick={(picked: CareUser) => void act(() => inviteToTeam(id, picked.id), t('carenet.team.invited', { name: picked.name }))}
                />
              </section>
            ) : null}
          </div>
        );
      }}
    </ResourceView>
  );
}

function MemberRow({
  member,
  me,
  manages,
  busy,
  confirming,
  onConfirm,
  onRemove,
  onLead,
}: {
  member: TeamMember;
  me: boolean;
  manages: boolean;
  busy: boolean;
  confirming: boolean;
  onConfirm: (on: boolean) => void;
  onRemove: () => void;
  onLead?: () => void;
}) {
  const lang = useLang();
  const lead = member.membership === 'lead';
  const canRemove = manages || me;
  return (
    <li class="card cn-member" data-testid="team-member" data-user-id={member.user.id} data-membership={member.membership} data-status={member.status}>
      <div class="cn-member-main">
        <UserLabel user={member.user} testId="member-name" />
        {lead ? (
          <span class="badge badge-ok" data-testid="member-lead">
            {t('carenet.team.lead')}
          </span>
        ) : null}
        {member.status === 'invited' ? (
          <span class="badge badge-pending" data-testid="member-invited">
            {t('carenet.team.invited_badge')}
          </span>
        ) : null}
        {me ? <span class="badge badge-muted">{t('carenet.team.you')}</span> : null}
      </div>
      <p class="cn-member-phone">
        <PhoneLink phone={member.user.phone} testId="member-phone" />
      </p>
      {member.status === 'invited' && member.invited_at ? (
        <p class="cn-muted">
          {t('carenet.team.invited_by', { name: member.invited_by?.name ?? '', time: formatDateTimeShort(member.invited_at, lang) })}
        </p>
      ) : null}
      <div class="cn-member-actions">
        {manages && onLead && !lead && member.status === 'active' ? (
          <button type="button" class="button button-quiet button-small" disabled={busy} onClick={onLead} data-testid="member-make-lead">
            {t('carenet.team.make_lead')}
          </button>
        ) : null}
        {canRemove ? (
          confirming ? (
            <>
              <button type="button" class="button button-danger button-small" disabled={busy} onClick={onRemove} data-testid="member-remove-confirm">
                {me ? t('carenet.team.leave_confirm') : t('carenet.team.remove_confirm', { name: member.user.name })}
              </button>
              <button type="button" class="button button-quiet button-small" onClick={() => onConfirm(false)}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <button type="button" class="button button-quiet button-small" disabled={busy} onClick={() => onConfirm(true)} data-testid="member-remove">
              {me ? t('carenet.team.leave') : member.status === 'invited' ? t('carenet.team.cancel_invite') : t('carenet.team.remove')}
            </button>
          )
        ) : null}
      </div>
    </li>
  );
}

import { useState } from 'preact/hooks';
import { disableUser, listUsers, resetTwoFactor, type ManagedUser } from '../api/admin_users';
import { formatDateTime } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { asApiError, useResource } from '../common/use_resource';
import { describeError } from '../components/error_message';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { ResultTable } from '../components/result_table';
import './admin.css';
import { UserCreateForm } from './user_create_form';

type Action = 'disable' | 'reset';

interface Notice {
  kind: 'success' | 'error';
  /** Evaluated at render time, so the message follows a language switch. */
  text: () => string;
}

/** Users of the tenant: add, disable, reset the second factor. */
export function UsersPage({ tenantCode }: { tenantCode: string }) {
  useLang();
  const [users, reload] = useResource((signal) => listUsers(signal), []);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  if (users.state === 'error' && users.error.status === 403) {
    return <ResourceView resource={users}>{() => null}</ResourceView>;
  }

  return (
    <Page
      title={t('users.title')}
      lead={t('users.lead')}
      testId="admin-users"
      actions={
        <button
          type="button"
          class="button button-primary"
          aria-expanded={creating}
          aria-controls="user-create"
          onClick={() => setCreating(!creating)}
          data-testid="user-create-toggle"
        >
          {t('users.create_title')}
        </button>
      }
    >
      <div aria-live="polite">
        {notice ? (
          <div class={`notice notice-${notice.kind}`} data-testid="users-notice">
            <p>{notice.text()}</p>
          </div>
        ) : null}
      </div>
      {creating ? (
        <UserCreateForm
          tenantCode={tenantCode}
          onCreated={(user) => {
            setCreating(false);
            setNotice({ kind: 'success', text: () => t('users.created', { name: user.display_name }) });
            reload();
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      <ResourceView resource={users} onRetry={reload}>
        {(list) => (
          <UserTable
            users={list}
            onDone={(text) => {
              setNotice({ kind: 'success', text });
              reload();
            }}
            onFailed={(text) => setNotice({ kind: 'error', text })}
          />
        )}
      </ResourceView>
    </Page>
  );
}

interface TableProps {
  users: ManagedUser[];
  onDone: (message: () => string) => void;
  onFailed: (message: () => string) => void;
}

function UserTable({ users, onDone, onFailed }: TableProps) {
  const lang = useLang();
  const [pending, setPending] = useState<{ id: number; action: Action } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (user: ManagedUser, action: Action) => {
    setBusy(true);
    try {
      if (action === 'disable') await disableUser(user.id);
      else await resetTwoFactor(user.id);
      setPending(null);
      onDone(() => t(action === 'disable' ? 'users.done_disable' : 'users.done_reset', { name: user.display_name }));
    } catch (err) {
      const error = asApiError(err);
      onFailed(() => describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ResultTable
      items={users}
      testId="user"
      count={t('users.count', { count: users.length })}
      announceCount={false}
      columns={[
        t('users.col.user'),
        t('users.col.role'),
        t('users.col.organization'),
        t('users.col.totp'),
        t('users.col.status'),
        t('users.col.actions'),
      ]}
      scrollLabel={t('users.title')}
    >
      {(user) => {
        const confirming = pending && pending.id === user.id ? pending.action : null;
        return (
          <tr key={user.id} data-testid="user-row" data-username={user.username}>
            <td>
              <span class="cell-strong">{user.display_name}</span>
              <span class="cell-sub">{user.username}</span>
            </td>
            <td data-label={t('users.col.role')}>{tOptional(`role.${user.role}`, user.role)}</td>
            <td data-label={t('users.col.organization')}>{user.organization ? user.organization.name : '—'}</td>
            <td data-label={t('users.col.totp')}>
              <span class={user.totp_enrolled ? 'badge badge-ok' : 'badge badge-pending'} data-testid="user-totp">
                {user.totp_enrolled ? t('users.totp.enrolled') : t('users.totp.pending')}
              </span>
            </td>
            <td data-label={t('users.col.status')} data-testid="user-status">
              <UserStatus user={user} lang={lang} />
            </td>
            <td class="actions-cell">
              {confirming ? (
                <div class="confirm" role="group" aria-label={t('users.col.actions')}>
                  <p class="confirm-text">
                    {t(confirming === 'disable' ? 'users.confirm_disable' : 'users.confirm_reset', {
                      name: user.display_name,
                    })}
                  </p>
                  <button
                    type="button"
                    class="button button-danger button-small"
                    disabled={busy}
                    onClick={() => void run(user, confirming)}
                    data-testid="user-confirm"
                  >
                    {t('users.confirm_yes')}
                  </button>
                  <button
                    type="button"
                    class="button button-quiet button-small"
                    disabled={busy}
                    onClick={() => setPending(null)}
                    data-testid="user-cancel"
                  >
                    {t('common.cancel')}
                  </button>
                </div>
              ) : (
                <div class="row-actions">
                  <button
                    type="button"
                    class="button button-secondary button-small"
                    disabled={user.disabled}
                    onClick={() => setPending({ id: user.id, action: 'disable' })}
                    data-testid="user-disable"
                  >
                    {t('users.disable')}
                  </button>
                  <button
                    type="button"
                    class="button button-secondary button-small"
                    disabled={user.disabled || !user.totp_enrolled}
                    onClick={() => setPending({ id: user.id, action: 'reset' })}
                    data-testid="user-reset-2fa"
                  >
                    {t('users.reset_2fa')}
                  </button>
                </div>
              )}
            </td>
          </tr>
        );
      }}
    </ResultTable>
  );
}

function UserStatus({ user, lang }: { user: ManagedUser; lang: 'ja' | 'en' }) {
  if (user.disabled) return <span class="badge badge-muted">{t('users.status.disabled')}</span>;
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now()) {
    return (
      <span class="badge badge-warning">
        {t('users.status.locked', { until: formatDateTime(user.locked_until, lang) })}
      </span>
    );
  }
  return <span class="badge badge-ok">{t('users.status.active')}</span>;
}

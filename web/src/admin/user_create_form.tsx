import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { createUser, type NewUser } from '../api/admin_users';
import { ROLES, type Role, type User } from '../api/auth';
import { listOrganizationsOf } from '../api/organizations';
import { t, tOptional } from '../common/i18n';
import { asApiError, useResource } from '../common/use_resource';
import { describeError } from '../components/error_message';

interface Props {
  tenantCode: string;
  onCreated: (user: User) => void;
  onCancel: () => void;
}

type FieldName = keyof NewUser;

const EMPTY: NewUser = { username: '', display_name: '', display_kana: '', role: 'nurse', organization: '', password: '' };

/** Adds a user; the server asks the new user to enrol a second factor at first sign-in. */
export function UserCreateForm({ tenantCode, onCreated, onCancel }: Props) {
  const [form, setForm] = useState<NewUser>(EMPTY);
  // New users belong to the admin's own municipality, so only its organisations are offered.
  const [organizations] = useResource((signal) => listOrganizationsOf(tenantCode, signal), [tenantCode]);
  const [error, setError] = useState<{ error: ApiError; field: FieldName | null } | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends FieldName>(name: K, value: NewUser[K]) => setForm({ ...form, [name]: value });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const user = await createUser({ ...form, username: form.username.trim(), display_name: form.display_name.trim(), display_kana: form.display_kana.trim() });
      setForm(EMPTY);
      onCreated(user);
    } catch (err) {
      const apiError = asApiError(err);
      const field = apiError.field && apiError.field in EMPTY ? (apiError.field as FieldName) : null;
      setError({ error: apiError, field });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (name: FieldName) => (error?.field === name ? { 'aria-invalid': true, 'aria-describedby': 'user-create-error' } : {});

  return (
    <form id="user-create" class="card form create-form" onSubmit={submit} data-testid="user-create-form">
      <h2 class="form-title">{t('users.create_title')}</h2>
      <p class="field-hint">{t('users.create_lead')}</p>
      {error ? (
        <div id="user-create-error" class="notice notice-error" role="alert" data-testid="user-create-error">
          <p>{describeError(error.error)}</p>
        </div>
      ) : null}
      <div class="form-grid">
        <div class="field">
          <label for="new-username">{t('users.field.username')}</label>
          <input
            id="new-username"
            required
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            value={form.username}
            onInput={(e) => set('username', e.currentTarget.value)}
            data-testid="new-username"
            {...invalid('username')}
          />
        </div>
        <div class="field">
          <label for="new-display-name">{t('users.field.display_name')}</label>
          <input
            id="new-display-name"
            required
            autocomplete="off"
            value={form.display_name}
            onInput={(e) => set('display_name', e.currentTarget.value)}
            data-testid="new-display-name"
            {...invalid('display_name')}
          />
        </div>
        <div class="field">
          <label for="new-display-kana">{t('users.field.display_kana')}</label>
          <input
            id="new-display-kana"
            autocomplete="off"
            value={form.display_kana}
            onInput={(e) => set('display_kana', e.currentTarget.value)}
            data-testid="new-display-kana"
            {...invalid('display_kana')}
          />
        </div>
        <div class="field">
          <label for="new-role">{t('users.field.role')}</label>
          <select
            id="new-role"
            value={form.role}
            onChange={(e) => set('role', e.currentTarget.value as Role)}
            data-testid="new-role"
            {...invalid('role')}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {tOptional(`role.${role}`, role)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="new-organization">{t('users.field.organization')}</label>
          <select
            id="new-organization"
            value={form.organization}
            onChange={(e) => set('organization', e.currentTarget.value)}
            data-testid="new-organization"
            {...invalid('organization')}
          >
            <option value="">{t('users.no_organization')}</option>
            {organizations.state === 'ok'
              ? organizations.data.map((org) => (
                  <option key={org.code} value={org.code}>
                    {org.name}
                  </option>
                ))
              : null}
          </select>
        </div>
        <div class="field">
          <label for="new-password">{t('users.field.password')}</label>
          <input
            id="new-password"
            type="password"
            required
            minLength={8}
            autocomplete="new-password"
            aria-describedby="new-password-hint"
            value={form.password}
            onInput={(e) => set('password', e.currentTarget.value)}
            data-testid="new-password"
            {...invalid('password')}
          />
          <p id="new-password-hint" class="field-hint">
            {t('users.field.password_hint')}
          </p>
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy} data-testid="user-create-submit">
          {t('users.create_submit')}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

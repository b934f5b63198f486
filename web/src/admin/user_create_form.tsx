import { useState } from 'preact/hooks';
import { createUser, type NewUser } from '../api/admin_users';
import { ROLES, type User } from '../api/auth';
import { listOrganizationsOf } from '../api/organizations';
import { t, tOptional } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { InputField, SelectField } from '../components/form_field';

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

  const { submit, busy, error } = useSubmit(async () => {
    const user = await createUser({ ...form, username: form.username.trim(), display_name: form.display_name.trim(), display_kana: form.display_kana.trim() });
    setForm(EMPTY);
    onCreated(user);
  });

  // The field the server named in its error, if it is one of this form's.
  const errorField = error && error.field && error.field in EMPTY ? (error.field as FieldName) : null;
  const invalid = (name: FieldName) => (errorField === name ? { 'aria-invalid': true, 'aria-describedby': 'user-create-error' } : {});
  // What every field of the form takes: its id (also its test id), value, change handler and error state.
  // All values are text; the role's is one of ROLES, the options of its list.
  const bind = (name: FieldName, id: string) => ({
    id,
    'data-testid': id,
    value: form[name],
    onValue: (value: string) => setForm({ ...form, [name]: value }),
    ...invalid(name),
  });

  return (
    <form id="user-create" class="card form create-form" onSubmit={submit} data-testid="user-create-form">
      <h2 class="form-title">{t('users.create_title')}</h2>
      <p class="field-hint">{t('users.create_lead')}</p>
      {error ? (
        <div id="user-create-error" class="notice notice-error" role="alert" data-testid="user-create-error">
          <p>{describeError(error)}</p>
        </div>
      ) : null}
      <div class="form-grid">
        <InputField
          label={t('users.field.username')}
          required
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          {...bind('username', 'new-username')}
        />
        <InputField
          label={t('users.field.display_name')}
          required
          autocomplete="off"
          {...bind('display_name', 'new-display-name')}
        />
        <InputField
          label={t('users.field.display_kana')}
          autocomplete="off"
          {...bind('display_kana', 'new-display-kana')}
        />
        <SelectField label={t('users.field.role')} {...bind('role', 'new-role')}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {tOptional(`role.${role}`, role)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('users.field.organization')} {...bind('organization', 'new-organization')}>
          <option value="">{t('users.no_organization')}</option>
          {organizations.state === 'ok'
            ? organizations.data.map((org) => (
                <option key={org.code} value={org.code}>
                  {org.name}
                </option>
              ))
            : null}
        </SelectField>
        <InputField
          label={t('users.field.password')}
          hint={t('users.field.password_hint')}
          type="password"
          required
          minLength={8}
          autocomplete="new-password"
          {...bind('password', 'new-password')}
        />
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

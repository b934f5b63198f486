import { useState } from 'preact/hooks';
import { login } from '../api/auth';
import type { ApiError } from '../api/client';
import type { DemoLogin } from '../api/demo';
import { t, useLang } from '../common/i18n';
import { signedIn } from '../common/session';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { InputField, OtpField, otpValue } from '../components/form_field';
import { Page } from '../components/page';
import { DemoPanel } from './demo_panel';
import './auth.css';

/** Username + password + one-time code. A user without a second factor yet leaves the code empty. */
export function LoginPage({ expired }: { expired: boolean }) {
  useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  // The demo account whose code is copied into the form; its code follows the panel's refresh.
  const [demoUser, setDemoUser] = useState<string | null>(null);
  const { submit, busy, error, setError } = useSubmit(async () => {
    signedIn(await login({ username: username.trim(), password, otp: otpValue(otp) }));
  });

  const pickDemo = (account: DemoLogin) => {
    setUsername(account.username);
    setPassword(account.password);
    setOtp(account.otp);
    setDemoUser(account.username);
    setError(null);
    document.getElementById('login-submit')?.focus();
  };

  const demoRefreshed = (accounts: DemoLogin[]) => {
    if (!demoUser) return;
    const account = accounts.find((a) => a.username === demoUser);
    if (account) setOtp(account.otp);
  };

  return (
    <div class="auth-layout">
      <Page title={t('login.title')} lead={t('login.lead')} testId="login-page">
        <form class="card auth-card form" onSubmit={submit} noValidate data-testid="login-form">
          {expired ? (
            <div class="notice notice-info" role="status" data-testid="login-expired">
              <p>{t('login.expired')}</p>
            </div>
          ) : null}
          {error ? (
            <div class="notice notice-error" role="alert" data-testid="login-error">
              <p>{loginErrorText(error)}</p>
            </div>
          ) : null}
          <InputField
            id="login-username"
            label={t('login.username')}
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={username}
            onValue={setUsername}
            data-testid="login-username"
          />
          <InputField
            id="login-password"
            label={t('login.password')}
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onValue={setPassword}
            data-testid="login-password"
          />
          <OtpField
            id="login-otp"
            label={t('login.otp')}
            hint={t('login.otp_hint')}
            value={otp}
            onValue={(value) => {
              setOtp(value);
              setDemoUser(null);
            }}
            data-testid="login-otp"
          />
          <button id="login-submit" type="submit" class="button button-primary button-wide" disabled={busy} data-testid="login-submit">
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <DemoPanel onPick={pickDemo} onRefresh={demoRefreshed} />
      </Page>
    </div>
  );
}

function loginErrorText(error: ApiError): string {
  if (error.code === 'invalid_credentials' || error.status === 401) return t('login.error.invalid_credentials');
  if (error.code === 'too_many_attempts' || error.status === 429) return t('login.error.too_many_attempts');
  return describeError(error);
}

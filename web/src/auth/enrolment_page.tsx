import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { confirmTotpEnrolment, getTotpEnrolment, type User } from '../api/auth';
import { t, useLang } from '../common/i18n';
import { groupSecret } from '../common/format';
import { logout, signedIn } from '../common/session';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { OtpField, otpValue } from '../components/form_field';
import { Page } from '../components/page';
import { QrCode } from '../components/qr_code';
import { ResourceView } from '../components/resource_view';
import './auth.css';

/** First sign-in: scan the QR code (or type the key) into an authenticator app, then confirm a code. */
export function EnrolmentPage({ user }: { user: User }) {
  useLang();
  const [enrolment, reload] = useResource((signal) => getTotpEnrolment(signal), []);
  const [otp, setOtp] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    signedIn(await confirmTotpEnrolment(otpValue(otp)));
  });

  return (
    <div class="auth-layout">
      <Page title={t('enrol.title')} lead={t('enrol.lead', { name: user.display_name })} testId="enrolment-page">
        <ResourceView resource={enrolment} onRetry={reload}>
          {(data) => (
            <form class="card auth-card form" onSubmit={submit} noValidate data-testid="enrolment-form">
              <ol class="enrol-steps">
                <li>
                  <p>{t('enrol.step_scan')}</p>
                  <QrCode svg={data.qr_svg} label={t('enrol.qr_label')} testId="enrolment-qr" />
                </li>
                <li>
                  <p>{t('enrol.step_key')}</p>
                  <p class="enrol-secret">
                    <span class="visually-hidden">{t('enrol.secret')}: </span>
                    <code data-testid="enrolment-secret" data-secret={data.secret}>
                      {groupSecret(data.secret)}
                    </code>
                  </p>
                </li>
                <li>
                  <OtpField
                    id="enrol-otp"
                    label={t('enrol.step_code')}
                    required
                    value={otp}
                    onValue={setOtp}
                    data-testid="enrolment-otp"
                  />
                </li>
              </ol>
              {error ? (
                <div class="notice notice-error" role="alert" data-testid="enrolment-error">
                  <p>{enrolmentErrorText(error)}</p>
                </div>
              ) : null}
              <div class="form-actions">
                <button type="submit" class="button button-primary" disabled={busy} data-testid="enrolment-submit">
                  {t('enrol.submit')}
                </button>
                <button type="button" class="button button-quiet" onClick={() => void logout()} data-testid="enrolment-logout">
                  {t('header.logout')}
                </button>
              </div>
            </form>
          )}
        </ResourceView>
      </Page>
    </div>
  );
}

function enrolmentErrorText(error: ApiError): string {
  if (error.code === 'invalid_otp' || error.status === 400) return t('enrol.error.invalid_otp');
  return describeError(error);
}

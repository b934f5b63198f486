import { t } from '../common/i18n';
import './phone_link.css';

/** A phone number as a `tel:` link (a touch target on phones); "未登録" when there is none. */
export function PhoneLink({ phone, testId }: { phone: string | null | undefined; testId?: string }) {
  if (!phone) return <span class="phone-none">{t('common.not_registered')}</span>;
  return (
    <a href={`tel:${phone.replace(/[^\d+]/g, '')}`} class="phone-link" data-testid={testId}>
      {phone}
    </a>
  );
}

import { t } from '../common/i18n';
import { Link } from './link';
import { Page } from './page';

/** Shown instead of a page when the server (403) or the user's permissions say no. */
export function Denied() {
  return (
    <Page title={t('denied.title')} testId="denied">
      <div class="notice notice-warning" role="status">
        <p>{t('denied.lead')}</p>
      </div>
      <p>
        <Link href="/" class="button button-secondary" data-testid="denied-home">
          {t('common.back_home')}
        </Link>
      </p>
    </Page>
  );
}

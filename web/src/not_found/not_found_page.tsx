import { t } from '../common/i18n';
import { Link } from '../components/link';
import { Page } from '../components/page';

export function NotFoundPage() {
  return (
    <Page title={t('notfound.title')} testId="not-found">
      <p>{t('notfound.lead')}</p>
      <p>
        <Link href="/" class="button button-secondary" data-testid="not-found-home">
          {t('common.back_home')}
        </Link>
      </p>
    </Page>
  );
}

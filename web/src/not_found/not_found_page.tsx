import { t } from '../common/i18n';
import { Link } from '../components/link';
import { Page } from '../components/page';

/** "Not found", in general or about one kind of thing (a household, …) when its page says so. */
export function NotFoundPage({ title, lead, testId = 'not-found' }: { title?: string; lead?: string; testId?: string }) {
  return (
    <Page title={title ?? t('notfound.title')} testId={testId}>
      <p>{lead ?? t('notfound.lead')}</p>
      <p>
        <Link href="/" class="button button-secondary" data-testid="not-found-home">
          {t('common.back_home')}
        </Link>
      </p>
    </Page>
  );
}

import { t } from '../common/i18n';

export function Loading() {
  return (
    <p class="loading" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}

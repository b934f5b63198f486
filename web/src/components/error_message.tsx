import type { ApiError } from '../api/client';
import { t } from '../common/i18n';

/** A sentence for an API error that has no more specific wording on its page. */
export function describeError(error: ApiError): string {
  if (error.status === 0 && error.code === 'network') return t('error.network');
  if (error.status === 429) return t('error.too_many_requests');
  if (error.status >= 500) return t('error.server', { code: error.code });
  if (error.message && error.message !== error.code) return t('error.with_message', { message: error.message, code: error.code });
  return t('error.generic', { code: error.code });
}

interface Props {
  error: ApiError;
  onRetry?: () => void;
}

/** Error box for a failed load, with an optional "try again". */
export function ErrorMessage({ error, onRetry }: Props) {
  return (
    <div class="notice notice-error" role="alert" data-testid="error">
      <p>{describeError(error)}</p>
      {error.requestId ? (
        <p class="error-request-id">
          {t('error.request_id')} <code>{error.requestId}</code>
        </p>
      ) : null}
      {onRetry ? (
        <button type="button" class="button button-secondary" onClick={onRetry} data-testid="retry">
          {t('error.retry')}
        </button>
      ) : null}
    </div>
  );
}

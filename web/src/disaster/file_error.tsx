import type { ApiError } from '../api/client';
import { FILE_ERROR_CODES, LEDGER_MAX_BYTES } from '../api/disaster_ledger';
import { t, type MessageKey } from '../common/i18n';
import { describeError } from '../components/error_message';

type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/** True when the server refused the file as a whole (it cannot be a ledger, or it is too large). */
export function isFileError(error: ApiError): boolean {
  return error.status === 413 || (error.status === 400 && (FILE_ERROR_CODES as readonly string[]).includes(error.code));
}

function fileErrorCode(error: ApiError): FileErrorCode | null {
  if (error.status === 413) return 'payload_too_large';
  return isFileError(error) ? (error.code as FileErrorCode) : null;
}

const HINTS: Partial<Record<FileErrorCode, MessageKey>> = {
  invalid_encoding: 'ledger.file_error.invalid_encoding_hint',
  missing_column: 'ledger.file_error.missing_column_hint',
  duplicate_column: 'ledger.file_error.duplicate_column_hint',
  binary_file: 'ledger.file_error.export_hint',
  not_csv: 'ledger.file_error.export_hint',
};

/** Refusals the sentence above says all of: the server's own words would only repeat it. */
const PLAIN = new Set<FileErrorCode>(['empty_file', 'header_only', 'payload_too_large', 'file_too_large']);

/**
 * Why the file was not read, in the user's words, with what to do about it; the server's own
 * sentence (which names the header for missing_column) below it. Other failures (network, 5xx)
 * as elsewhere.
 */
export function FileError({ error, headers }: { error: ApiError; /** The file's headers, when known (missing_column). */ headers?: string[] }) {
  const code = fileErrorCode(error);
  const text = code ? t(`ledger.file_error.${code === 'file_too_large' ? 'payload_too_large' : code}`, { mib: LEDGER_MAX_BYTES >> 20 }) : describeError(error);
  const hint = code ? HINTS[code] : undefined;
  return (
    <div class="notice notice-error lg-file-error" role="alert" data-testid="ledger-file-error" data-code={code ?? error.code} data-status={error.status}>
      <p class="lg-file-error-text" data-testid="ledger-file-error-text">
        {text}
      </p>
      {headers && headers.length > 0 ? (
        <p data-testid="ledger-file-error-headers">{t('ledger.file_error.headers', { headers: headers.join('、') })}</p>
      ) : null}
      {hint ? <p>{t(hint)}</p> : null}
      {code && !PLAIN.has(code) && error.message && error.message !== error.code ? (
        <p class="lg-file-error-detail" data-testid="ledger-file-error-detail">
          {t('ledger.file_error.detail')} <span lang="en">{error.message}</span>
        </p>
      ) : null}
      {error.requestId && !code ? (
        <p class="error-request-id">
          {t('error.request_id')} <code>{error.requestId}</code>
        </p>
      ) : null}
    </div>
  );
}

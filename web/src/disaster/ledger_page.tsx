import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import {
  getMapping,
  importLedger,
  LEDGER_ENCODINGS,
  LEDGER_MAX_BYTES,
  saveMapping,
  type LedgerEncoding,
  type LedgerMapping,
  type LedgerReport,
} from '../api/disaster_ledger';
import { formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';
import { asApiError, useResource } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { Page } from '../components/page';
import { FileError } from './file_error';
import { FilePicker } from './file_picker';
import { headersFromFirstLine, headersFromMissingColumn } from './ledger_mapping';
import { ReviewList } from './ledger_reviews';
import { LedgerReportView } from './ledger_report';
import { MappingEditor, SavedMapping } from './mapping_editor';
import './ledger.css';

/** What the page is sending: the upload's share (0–1), then the server's work. */
type Progress = { action: 'check' | 'apply'; sent: number } | null;

/** The last dry run: apply is offered for this file read in this encoding only. */
interface Checked {
  file: File;
  encoding: LedgerEncoding;
  report: LedgerReport;
}

/** Why the mapping screen is open: a report with unknown headers, or a file refused for a missing column. */
interface MappingAsk {
  headers: string[];
  reason: 'unknown' | 'missing';
}

/**
 * 災害時支援台帳の取り込み: the municipality's CSV file is checked first (a dry run: what would be
 * created, updated, linked or put up for review, and every problem by record and column), then
 * imported. Headers the server does not know can be given a meaning here; the municipality keeps
 * that mapping for its next files.
 */
export function LedgerPage() {
  useLang();
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<LedgerEncoding>('auto');
  const [progress, setProgress] = useState<Progress>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  /** The report on screen: the last dry run, or the last import. */
  const [report, setReport] = useState<LedgerReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [ask, setAsk] = useState<MappingAsk | null>(null);
  const [mapping, reloadMapping] = useResource((signal) => getMapping(signal), []);
  const [savedMapping, setSavedMapping] = useState<LedgerMapping | null>(null);
  const upload = useRef<AbortController | null>(null);

  useEffect(() => () => upload.current?.abort(), []);
  useEffect(() => {
    if (mapping.state === 'ok') setSavedMapping(mapping.data.mapping);
  }, [mapping]);

  if (mapping.state === 'error' && mapping.error.status === 403) return <Denied />;

  const busy = progress !== null;
  const canApply = !busy && file !== null && checked !== null && checked.file === file && checked.encoding === encoding;
  const fields = mapping.state === 'ok' ? mapping.data.fields : null;

  const chooseFile = (next: File | null) => {
    upload.current?.abort();
    setFile(next);
    setChecked(null);
    setReport(null);
    setError(null);
    setAsk(null);
    setSkipInvalid(false);
  };

  /** Sends the file; a dry run when `action` is "check". */
  const send = async (action: 'check' | 'apply', target: File = file!) => {
    if (file === null || busy) return;
    setError(null);
    if (target.size > LEDGER_MAX_BYTES) {
      // The server would refuse it (413) only after the whole upload.
      setError(tooLarge());
      return;
    }
    const controller = new AbortController();
    upload.current = controller;
    setProgress({ action, sent: 0 });
    try {
      const answer = await importLedger(target, {
        dryRun: action === 'check',
        encoding,
        skipInvalid: action === 'apply' && skipInvalid,
        onProgress: (sent) => setProgress({ action, sent }),
        signal: controller.signal,
      });
      setReport(answer);
      if (action === 'check') {
        setChecked({ file: target, encoding, report: answer });
        if (answer.errors.length === 0) setSkipInvalid(false);
      }
      setAsk(answer.unknown_columns.length > 0 ? { headers: answer.unknown_columns, reason: 'unknown' } : null);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      const failure = asApiError(err);
      setError(failure);
      setReport(null);
      if (action === 'check') setChecked(null);
      if (failure.status === 400 && failure.code === 'missing_column') {
        const headers = headersFromMissingColumn(failure.message);
        setAsk({ headers: headers.length > 0 ? headers : await headersOfFile(target, encoding), reason: 'missing' });
      } else {
        setAsk(null);
      }
    } finally {
      if (upload.current === controller) {
        upload.current = null;
        setProgress(null);
      }
    }
  };

  /** Saves the mapping, then checks the file again with it. */
  const saveAndRecheck = async (next: LedgerMapping) => {
    const saved = await saveMapping(next);
    setSavedMapping(saved.mapping);
    if (file) await send('check', file);
  };

  /** Takes one header out of the saved mapping; the check of the chosen file no longer holds. */
  const removeSaved = async (next: LedgerMapping) => {
    const saved = await saveMapping(next);
    setSavedMapping(saved.mapping);
    if (file && checked) await send('check', file);
  };

  return (
    <Page title={t('ledger.title')} lead={t('ledger.lead')} testId="ledger-page">
      <form
        class="card lg-upload"
        aria-labelledby="lg-upload-title"
        onSubmit={(e) => {
          e.preventDefault();
          void send('check');
        }}
        data-testid="ledger-form"
      >
        <h2 id="lg-upload-title" class="lg-section-title">
          {t('ledger.upload.title')}
        </h2>
        <FilePicker file={file} disabled={busy} onFile={chooseFile} />
        <div class="field lg-encoding">
          <label for="lg-encoding">{t('ledger.encoding.label')}</label>
          <select
            id="lg-encoding"
            value={encoding}
            disabled={busy}
            onChange={(e) => setEncoding(e.currentTarget.value as LedgerEncoding)}
            aria-describedby="lg-encoding-hint"
            data-testid="ledger-encoding-select"
          >
            {LEDGER_ENCODINGS.map((value) => (
              <option key={value} value={value}>
                {t(`ledger.encoding.${value === 'utf-8' ? 'utf8' : value}`)}
              </option>
            ))}
          </select>
          <p id="lg-encoding-hint" class="field-hint">
            {t('ledger.encoding.hint')}
          </p>
        </div>
        <div class="form-actions">
          <button type="submit" class="button button-primary lg-check-button" disabled={file === null || busy} data-testid="ledger-check">
            {t('ledger.check')}
          </button>
        </div>
        {progress ? <UploadProgress progress={progress} /> : null}
      </form>

      {error ? <FileError error={error} headers={ask?.reason === 'missing' ? ask.headers : undefined} /> : null}

      {ask && fields ? (
        <MappingEditor
          key={ask.headers.join('\n')}
          headers={ask.headers}
          reason={ask.reason}
          fields={fields}
          saved={savedMapping ?? {}}
          busy={busy}
          onSave={saveAndRecheck}
        />
      ) : null}

      {report ? <LedgerReportView report={report} /> : null}

      {checked && checked.file === file ? (
        <ApplySection
          checked={checked.report}
          stale={checked.encoding !== encoding}
          canApply={canApply}
          skipInvalid={skipInvalid}
          onSkipInvalid={setSkipInvalid}
          onApply={() => void send('apply')}
          last={report && !report.dry_run ? report : null}
        />
      ) : null}

      {mapping.state === 'ok' && savedMapping ? (
        <SavedMapping mapping={savedMapping} busy={busy} onRemove={removeSaved} />
      ) : mapping.state === 'error' ? (
        <ErrorMessage error={mapping.error} onRetry={reloadMapping} />
      ) : null}

      <ReviewList imported={report && report.written ? report : null} />
    </Page>
  );
}

/** The headers of the file's first line, read here when the server's answer does not name them. */
async function headersOfFile(file: File, encoding: LedgerEncoding): Promise<string[]> {
  try {
    const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
    const utf8 = new TextDecoder('utf-8', { fatal: encoding === 'auto' });
    try {
      if (encoding !== 'cp932') return headersFromFirstLine(utf8.decode(head));
    } catch {
      // Not UTF-8: the other encoding the server reads.
    }
    return headersFromFirstLine(new TextDecoder('shift_jis').decode(head));
  } catch {
    return [];
  }
}

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `a ledger file may be at most ${LEDGER_MAX_BYTES >> 20} MiB`, 'file');
}

function UploadProgress({ progress }: { progress: NonNullable<Progress> }) {
  const percent = Math.round(progress.sent * 100);
  const sending = progress.sent < 1;
  const text = sending ? t('ledger.progress.sending', { percent }) : t(progress.action === 'check' ? 'ledger.progress.checking' : 'ledger.progress.applying');
  return (
    <div class="lg-progress" data-testid="ledger-progress" data-phase={sending ? 'sending' : 'working'}>
      {/* Remounted for the server's part: a bar without a value is the indeterminate one. */}
      <progress
        key={sending ? 'sending' : 'working'}
        class="lg-progress-bar"
        max={100}
        value={sending ? percent : undefined}
        aria-label={t('ledger.progress.label')}
        aria-valuetext={text}
      />
      <p class="lg-progress-text" role="status" data-testid="ledger-progress-text">
        {text}
      </p>
    </div>
  );
}

function ApplySection({
  checked,
  stale,
  canApply,
  skipInvalid,
  onSkipInvalid,
  onApply,
  last,
}: {
  checked: LedgerReport;
  stale: boolean;
  canApply: boolean;
  skipInvalid: boolean;
  onSkipInvalid: (skip: boolean) => void;
  onApply: () => void;
  last: LedgerReport | null;
}) {
  const lang = useLang();
  const errors = checked.errors.length;
  return (
    <section class="card lg-apply" aria-labelledby="lg-apply-title" data-testid="ledger-apply-section">
      <h2 id="lg-apply-title" class="lg-section-title">
        {t('ledger.apply.title')}
      </h2>
      {stale ? (
        <p class="notice notice-warning" data-testid="ledger-apply-stale">
          {t('ledger.apply.stale')}
        </p>
      ) : null}
      <p>
        {t('ledger.apply.lead', { valid: formatNumber(checked.valid, lang, 0), rows: formatNumber(checked.rows, lang, 0) })}
        {checked.review.length > 0 ? ` ${t('ledger.apply.lead_review', { review: formatNumber(checked.review.length, lang, 0) })}` : null}
      </p>
      {errors > 0 ? (
        <label class="lg-check">
          <input type="checkbox" checked={skipInvalid} onChange={(e) => onSkipInvalid(e.currentTarget.checked)} data-testid="ledger-skip-invalid" />
          <span>
            {t('ledger.apply.skip_invalid')}
            <span class="lg-check-hint">{t('ledger.apply.skip_invalid_hint', { errors: formatNumber(errors, lang, 0) })}</span>
          </span>
        </label>
      ) : null}
      <div class="form-actions">
        <button type="button" class="button button-primary lg-apply-button" disabled={!canApply} onClick={onApply} data-testid="ledger-apply">
          {t('ledger.apply.button')}
        </button>
      </div>
      {last ? <ApplyResult report={last} /> : null}
    </section>
  );
}

function ApplyResult({ report }: { report: LedgerReport }) {
  const lang = useLang();
  if (!report.written) {
    return (
      <div class="notice notice-error lg-apply-result" role="alert" data-testid="ledger-not-written">
        <p>{t('ledger.apply.not_written', { errors: formatNumber(report.errors.length, lang, 0) })}</p>
      </div>
    );
  }
  return (
    <div
      class="notice notice-success lg-apply-result"
      role="status"
      data-testid="ledger-written"
      data-created={report.created}
      data-updated={report.updated}
      data-linked={report.linked}
    >
      <p>
        {t('ledger.apply.written', { created: formatNumber(report.created, lang, 0), updated: formatNumber(report.updated, lang, 0) })}
      </p>
      {report.linked > 0 || report.review.length > 0 || report.errors.length > 0 ? (
        <p>
          {t('ledger.apply.written_more', {
            linked: formatNumber(report.linked, lang, 0),
            review: formatNumber(report.review.length, lang, 0),
            skipped: formatNumber(report.errors.length, lang, 0),
          })}
        </p>
      ) : null}
    </div>
  );
}

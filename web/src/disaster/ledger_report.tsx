import type { LedgerRecordError, LedgerReport, LedgerReview } from '../api/disaster_ledger';
import { formatBirthDate, formatNumber } from '../common/format';
import { t, tOptional, useLang, type MessageKey } from '../common/i18n';
import { ResultTable } from '../components/result_table';

interface Count {
  id: string;
  label: MessageKey;
  value: number;
  /** Drawn as a warning when above zero. */
  warn?: boolean;
  /** Part of the count before it ("うち"). */
  sub?: boolean;
}

/**
 * A check's or an import's report: the counts, the encoding the file was read in, every problem
 * by record and column, and the records waiting for review. A dry run's counts are what an
 * import would do.
 */
export function LedgerReportView({ report }: { report: LedgerReport }) {
  const lang = useLang();
  const counts: Count[] = [
    { id: 'rows', label: 'ledger.count.rows', value: report.rows },
    { id: 'valid', label: 'ledger.count.valid', value: report.valid },
    { id: 'created', label: 'ledger.count.created', value: report.created },
    { id: 'updated', label: 'ledger.count.updated', value: report.updated },
    { id: 'linked', label: 'ledger.count.linked', value: report.linked, sub: true },
    { id: 'review', label: 'ledger.count.review', value: report.review.length, warn: true },
    { id: 'errors', label: 'ledger.count.errors', value: report.errors.length, warn: true },
  ];
  return (
    <section
      class="card lg-report"
      aria-labelledby="lg-report-title"
      data-testid="ledger-report"
      data-dry-run={String(report.dry_run)}
      data-written={String(report.written)}
    >
      <h2 id="lg-report-title" class="lg-section-title">
        {t(report.dry_run ? 'ledger.report.title_check' : 'ledger.report.title_import')}
      </h2>
      <p class="lg-report-lead">{t(report.dry_run ? 'ledger.report.lead_check' : report.written ? 'ledger.report.lead_written' : 'ledger.report.lead_not_written')}</p>
      <dl class="lg-counts">
        {counts.map((c) => (
          <div
            key={c.id}
            class={`lg-count${c.sub ? ' is-sub' : ''}${c.warn && c.value > 0 ? ' is-warn' : ''}`}
            data-testid={`ledger-count-${c.id}`}
            data-value={c.value}
          >
            <dt>{t(c.label)}</dt>
            <dd>{t('ledger.count.value', { n: formatNumber(c.value, lang, 0) })}</dd>
          </div>
        ))}
      </dl>
      <p class="lg-encoding-read" data-testid="ledger-encoding" data-encoding={report.encoding}>
        {t('ledger.report.encoding', { encoding: encodingName(report.encoding) })}
      </p>
      <ErrorsTable errors={report.errors} />
      <ReviewTable review={report.review} />
    </section>
  );
}

export function encodingName(encoding: string): string {
  if (encoding === 'cp932') return t('ledger.encoding.cp932');
  if (encoding === 'utf-8') return t('ledger.encoding.utf8');
  return encoding;
}

function ErrorsTable({ errors }: { errors: LedgerRecordError[] }) {
  const lang = useLang();
  return (
    <section class="lg-subsection" aria-labelledby="lg-errors-title" data-testid="ledger-errors">
      <h3 id="lg-errors-title" class="lg-subtitle">
        {t('ledger.errors.title')}
      </h3>
      {errors.length > 0 ? <p class="field-hint">{t('ledger.errors.hint')}</p> : null}
      <ResultTable
        items={errors}
        testId="ledger-errors"
        count={t('ledger.errors.count', { n: formatNumber(errors.length, lang, 0) })}
        announceCount={false}
        empty={t('ledger.errors.none')}
        columns={[t('ledger.errors.row'), t('ledger.errors.column'), t('ledger.errors.message'), t('ledger.errors.code')]}
        class="lg-table"
      >
        {(error) => (
          <tr key={`${error.row}:${error.column}:${error.code}`} data-testid="ledger-error" data-row={error.row} data-column={error.column} data-code={error.code}>
            <td data-label={t('ledger.errors.row')}>
              <span class="cell-strong">{rowLabel(error.row)}</span>
              {error.row > 0 ? <span class="cell-sub">{t('ledger.errors.sheet_row', { n: error.row + 1 })}</span> : null}
            </td>
            <td data-label={t('ledger.errors.column')}>{error.column || t('ledger.errors.whole_record')}</td>
            <td data-label={t('ledger.errors.message')} data-testid="ledger-error-message">
              {error.message}
            </td>
            <td data-label={t('ledger.errors.code')}>
              <code>{error.code}</code>
            </td>
          </tr>
        )}
      </ResultTable>
    </section>
  );
}

function rowLabel(row: number): string {
  return row > 0 ? t('ledger.errors.record', { n: row }) : t('ledger.errors.header');
}

function ReviewTable({ review }: { review: LedgerReview[] }) {
  const lang = useLang();
  return (
    <section class="lg-subsection" aria-labelledby="lg-review-title" data-testid="ledger-review">
      <h3 id="lg-review-title" class="lg-subtitle">
        {t('ledger.review.title')}
      </h3>
      {review.length > 0 ? <p class="field-hint">{t('ledger.review.hint')}</p> : null}
      <ResultTable
        items={review}
        testId="ledger-review"
        count={t('ledger.review.count', { n: formatNumber(review.length, lang, 0) })}
        announceCount={false}
        empty={t('ledger.review.none')}
        columns={[t('ledger.errors.row'), t('ledger.review.name'), t('ledger.review.kana'), t('ledger.review.birth_date'), t('ledger.review.why')]}
        class="lg-table"
      >
        {(item) => (
          <tr key={`${item.row}:${item.resident_number}`} data-testid="ledger-review-row" data-row={item.row} data-reason={item.reason}>
            <td data-label={t('ledger.errors.row')}>
              <span class="cell-strong">{rowLabel(item.row)}</span>
              {item.resident_number ? <span class="cell-sub">{t('ledger.review.resident_number', { number: item.resident_number })}</span> : null}
            </td>
            <td data-label={t('ledger.review.name')} class="nowrap">
              {item.name}
            </td>
            <td data-label={t('ledger.review.kana')} class="nowrap">
              {item.kana}
            </td>
            <td data-label={t('ledger.review.birth_date')}>{item.birth_date ? formatBirthDate(item.birth_date, lang) : '—'}</td>
            <td data-label={t('ledger.review.why')} data-testid="ledger-review-reason">
              {tOptional(`ledger.review.reason.${item.reason}`, item.reason)}
            </td>
          </tr>
        )}
      </ResultTable>
    </section>
  );
}

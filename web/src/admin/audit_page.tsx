import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { searchAudit, type AuditEvent, type AuditFilter, type AuditOutcome } from '../api/audit';
import { formatDateTime } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { replaceQuery, useLocation } from '../common/router';
import { asApiError } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { InputField, SelectField } from '../components/form_field';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { ResultTable } from '../components/result_table';
import './admin.css';

const FILTER_KEYS = ['actor', 'person', 'action', 'outcome', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const OUTCOMES: AuditOutcome[] = ['allowed', 'denied', 'failed'];

interface Results {
  events: AuditEvent[];
  nextBefore: number | null;
}

function filterFromQuery(query: URLSearchParams): AuditFilter {
  const filter: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = query.get(key);
    if (value) filter[key] = value;
  }
  return filter as AuditFilter;
}

/** Searchable audit trail; the filters live in the URL, older events load with "more". */
export function AuditPage() {
  const lang = useLang();
  const { query } = useLocation();
  const queryText = query.toString();
  const applied = filterFromQuery(query);
  const [draft, setDraft] = useState<AuditFilter>(applied);
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setResults(null);
    searchAudit(applied, null, controller.signal).then(
      (page) => {
        setResults({ events: page.events, nextBefore: page.next_before });
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(asApiError(err));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [queryText, generation]);

  const loadMore = async () => {
    if (!results || results.nextBefore === null) return;
    setLoading(true);
    try {
      const page = await searchAudit(applied, results.nextBefore);
      setResults({ events: [...results.events, ...page.events], nextBefore: page.next_before });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setLoading(false);
    }
  };

  if (error && error.status === 403) return <Denied />;

  const set = (key: FilterKey, value: string) => setDraft({ ...draft, [key]: value });
  const apply = (filter: AuditFilter) => {
    const params: Record<string, string | undefined> = {};
    for (const key of FILTER_KEYS) params[key] = (filter[key] ?? '').trim() || undefined;
    if (new URLSearchParams(params as Record<string, string>).toString() === queryText) setGeneration((g) => g + 1);
    replaceQuery(params);
  };

  return (
    <Page title={t('audit.title')} lead={t('audit.lead')} testId="admin-audit">
      <form
        class="card form filter-form"
        role="search"
        aria-label={t('audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
        data-testid="audit-filters"
      >
        <div class="form-grid form-grid-filters">
          <TextFilter id="actor" label={t('audit.filter.actor')} value={draft.actor} onInput={set} />
          <TextFilter id="person" label={t('audit.filter.person')} value={draft.person} onInput={set} inputMode="numeric" />
          <TextFilter id="action" label={t('audit.filter.action')} value={draft.action} onInput={set} placeholder="auth.login" />
          <SelectField
            id="audit-outcome"
            label={t('audit.filter.outcome')}
            value={draft.outcome ?? ''}
            onValue={(value) => set('outcome', value)}
            data-testid="audit-outcome"
          >
            <option value="">{t('audit.filter.all')}</option>
            {OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`audit.outcome.${outcome}`)}
              </option>
            ))}
          </SelectField>
          <TextFilter id="from" label={t('audit.filter.from')} value={draft.from} onInput={set} type="date" />
          <TextFilter id="to" label={t('audit.filter.to')} value={draft.to} onInput={set} type="date" />
        </div>
        <div class="form-actions">
          <button type="submit" class="button button-primary" data-testid="audit-search">
            {t('audit.search')}
          </button>
          <button
            type="button"
            class="button button-quiet"
            onClick={() => {
              setDraft({});
              apply({});
            }}
            data-testid="audit-clear"
          >
            {t('audit.clear')}
          </button>
        </div>
      </form>

      {error ? <ErrorMessage error={error} onRetry={() => setGeneration((g) => g + 1)} /> : null}
      {results ? <AuditTable events={results.events} lang={lang} /> : null}
      {loading ? <Loading /> : null}
      {results && results.nextBefore !== null && !loading ? (
        <p class="more">
          <button type="button" class="button button-secondary" onClick={() => void loadMore()} data-testid="audit-more">
            {t('audit.more')}
          </button>
        </p>
      ) : null}
    </Page>
  );
}

interface TextFilterProps {
  id: FilterKey;
  label: string;
  value: string | undefined;
  onInput: (key: FilterKey, value: string) => void;
  type?: 'text' | 'date';
  inputMode?: 'numeric';
  placeholder?: string;
}

function TextFilter({ id, label, value, onInput, type = 'text', inputMode, placeholder }: TextFilterProps) {
  return (
    <InputField
      id={`audit-${id}`}
      label={label}
      type={type}
      inputMode={inputMode}
      placeholder={placeholder}
      autocomplete="off"
      value={value ?? ''}
      onValue={(text) => onInput(id, text)}
      data-testid={`audit-${id}`}
    />
  );
}

function AuditTable({ events, lang }: { events: AuditEvent[]; lang: 'ja' | 'en' }) {
  return (
    <ResultTable
      items={events}
      testId="audit"
      count={t('audit.shown', { count: events.length })}
      empty={t('audit.empty')}
      columns={[
        t('audit.col.at'),
        t('audit.col.actor'),
        t('audit.col.action'),
        t('audit.col.person'),
        t('audit.col.outcome'),
        t('audit.col.reason'),
        t('audit.col.request_id'),
      ]}
      class="audit-table"
      scrollLabel={t('audit.title')}
    >
      {(event) => (
        <tr key={event.id} data-testid="audit-row" data-action={event.action} data-outcome={event.outcome}>
          <td class="nowrap">
            <time dateTime={event.at}>{formatDateTime(event.at, lang)}</time>
          </td>
          <td data-label={t('audit.col.actor')}>
            {event.actor && event.actor.username ? (
              <>
                <span class="cell-strong">{event.actor.username}</span>
                {event.actor.role ? (
                  <span class="cell-sub">{tOptional(`role.${event.actor.role}`, event.actor.role)}</span>
                ) : null}
              </>
            ) : (
              <span class="cell-sub">{t('audit.no_actor')}</span>
            )}
          </td>
          <td data-label={t('audit.col.action')}>
            <code class="action-code" data-testid="audit-row-action">
              {event.action}
            </code>
          </td>
          <td data-label={t('audit.col.person')}>{event.person ?? '—'}</td>
          <td data-label={t('audit.col.outcome')}>
            <span class={`badge badge-outcome-${event.outcome}`} data-testid="audit-outcome-badge">
              {tOptional(`audit.outcome.${event.outcome}`, event.outcome)}
            </span>
          </td>
          <td data-label={t('audit.col.reason')}>
            {event.reason || '—'}
            {event.detail ? <span class="cell-sub">{event.detail}</span> : null}
          </td>
          <td data-label={t('audit.col.request_id')}>
            <code class="request-id">{event.request_id}</code>
          </td>
        </tr>
      )}
    </ResultTable>
  );
}

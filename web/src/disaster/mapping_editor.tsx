import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import type { LedgerField, LedgerMapping } from '../api/disaster_ledger';
import { t, tOptional, useLang } from '../common/i18n';
import { asApiError } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { fieldsChosenTwice, mergeMapping, withoutHeader } from './ledger_mapping';

export function fieldLabel(field: LedgerField): string {
  return tOptional(`ledger.field.${field}`, field);
}

/**
 * 列の対応: what each header the server did not know means. The choices are merged into the
 * municipality's saved mapping (a header left at "don't use" is taken out of it), saved, and the
 * file is checked again with it.
 */
export function MappingEditor({
  headers,
  reason,
  fields,
  saved,
  busy,
  onSave,
}: {
  headers: string[];
  /** "unknown": the report listed headers it ignored; "missing": the file lacks 住民番号 or 氏名 without a mapping. */
  reason: 'unknown' | 'missing';
  fields: LedgerField[];
  saved: LedgerMapping;
  busy: boolean;
  onSave: (mapping: LedgerMapping) => Promise<void>;
}) {
  useLang();
  const [choices, setChoices] = useState<Record<string, LedgerField | ''>>(() =>
    Object.fromEntries(headers.map((header) => [header, saved[header.trim()] ?? ''])),
  );
  const twice = fieldsChosenTwice(choices);
  const { submit, busy: saving, error } = useSubmit(() => onSave(mergeMapping(saved, choices)));

  return (
    <form class="card lg-mapping" aria-labelledby="lg-mapping-title" onSubmit={submit} data-testid="ledger-mapping" data-reason={reason}>
      <h2 id="lg-mapping-title" class="lg-section-title">
        {t('ledger.mapping.title')}
      </h2>
      <p>{t(reason === 'missing' ? 'ledger.mapping.lead_missing' : 'ledger.mapping.lead_unknown')}</p>
      {reason === 'missing' ? <p class="field-hint">{t('ledger.mapping.hint_missing')}</p> : null}
      <ul class="lg-mapping-list plain-list">
        {headers.map((header, i) => {
          const id = `lg-map-${i}`;
          const value = choices[header] ?? '';
          const clash = value !== '' && twice.has(value);
          return (
            <li key={header} class="lg-mapping-item" data-testid="ledger-mapping-item" data-header={header}>
              <label for={id} class="lg-mapping-header">
                <span class="lg-mapping-header-text">{header}</span>
                <span class="visually-hidden">{t('ledger.mapping.means')}</span>
              </label>
              <span class="lg-mapping-arrow" aria-hidden="true">
                →
              </span>
              <select
                id={id}
                value={value}
                disabled={busy || saving}
                aria-invalid={clash}
                aria-describedby={clash ? `${id}-clash` : undefined}
                onChange={(e) => {
                  const field = e.currentTarget.value;
                  setChoices((c) => ({ ...c, [header]: field }));
                }}
                data-testid="ledger-mapping-select"
              >
                <option value="">{t(reason === 'missing' ? 'ledger.mapping.none_missing' : 'ledger.mapping.none')}</option>
                {fields.map((field) => (
                  <option key={field} value={field}>
                    {fieldLabel(field)}
                  </option>
                ))}
              </select>
              {clash ? (
                <p id={`${id}-clash`} class="field-error lg-mapping-clash">
                  {t('ledger.mapping.twice', { field: fieldLabel(value) })}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="ledger-mapping-error">
          {describeError(error)}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy || saving || twice.size > 0} data-testid="ledger-mapping-save">
          {t('ledger.mapping.save')}
        </button>
      </div>
    </form>
  );
}

/** The municipality's saved mapping, each header with a button that takes it out. */
export function SavedMapping({ mapping, busy, onRemove }: { mapping: LedgerMapping; busy: boolean; onRemove: (next: LedgerMapping) => Promise<void> }) {
  useLang();
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async (header: string) => {
    if (removing !== null) return;
    setRemoving(header);
    setError(null);
    try {
      await onRemove(withoutHeader(mapping, header));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setRemoving(null);
    }
  };
  const entries = Object.entries(mapping).sort(([a], [b]) => a.localeCompare(b, 'ja'));
  return (
    <section class="card lg-saved" aria-labelledby="lg-saved-title" data-testid="ledger-saved-mapping">
      <h2 id="lg-saved-title" class="lg-section-title">
        {t('ledger.saved.title')}
      </h2>
      {entries.length === 0 ? (
        <p class="empty" data-testid="ledger-saved-empty">
          {t('ledger.saved.empty')}
        </p>
      ) : (
        <>
          <p class="field-hint">{t('ledger.saved.hint')}</p>
          <ul class="lg-saved-list plain-list">
            {entries.map(([header, field]) => (
              <li key={header} class="lg-saved-item" data-testid="ledger-saved-item" data-header={header} data-field={field}>
                <span class="lg-saved-text">
                  <strong>{header}</strong>
                  <span aria-hidden="true"> → </span>
                  <span class="visually-hidden">{t('ledger.mapping.means')}</span>
                  {fieldLabel(field)}
                </span>
                <button
                  type="button"
                  class="button button-secondary button-small lg-saved-remove"
                  disabled={busy || removing !== null}
                  aria-label={t('ledger.saved.remove_label', { header })}
                  onClick={() => void remove(header)}
                  data-testid="ledger-saved-remove"
                >
                  {t('ledger.saved.remove')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="ledger-saved-error">
          {describeError(error)}
        </p>
      ) : null}
    </section>
  );
}

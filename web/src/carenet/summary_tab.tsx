import { useState } from 'preact/hooks';
import type { User } from '../api/auth';
import {
  addSummaryEntry,
  getSummary,
  getSummaryHistory,
  removeSummaryEntry,
  SUMMARY_SECTIONS,
  updateSummaryEntry,
  type Patient,
  type Summary,
  type SummaryCategory,
  type SummaryEntry,
  type SummarySection,
} from '../api/carenet';
import type { ApiError } from '../api/client';
import { formatBirthDate, formatDateTimeShort } from '../common/format';
import { t, useLang, type MessageKey } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { PhoneLink } from '../components/phone_link';
import { ResourceView } from '../components/resource_view';
import {
  displayValue,
  fieldLabel,
  fromForm,
  missingField,
  optionLabel,
  SECTION_CATEGORY,
  SECTION_FIELDS,
  sectionTitle,
  toForm,
  type FieldDef,
} from './summary_fields';

/** The order a visiting nurse reads them in. */
const SECTION_ORDER: readonly SummarySection[] = ['care_level', 'history', 'prescriptions', 'allergies', 'family_doctor', 'next_of_kin', 'acp'];

/** サマリー: what everyone on the team needs to know, current entries per section, with versions. */
export function SummaryTab({ patient, user }: { patient: Patient; user: User }) {
  const id = patient.person.id;
  const [summary, reload] = useResource((signal) => getSummary(id, signal), [id]);
  const [showHistory, setShowHistory] = useState(false);
  const canEdit = patient.my_membership !== null || user.role === 'admin';
  return (
    <ResourceView resource={summary} onRetry={reload}>
      {(data) => (
        <div class="cn-summary" data-testid="summary">
          <div class="cn-toolbar no-print">
            <button type="button" class="button button-secondary" onClick={() => window.print()} data-testid="summary-print">
              {t('carenet.summary.print')}
            </button>
            <button
              type="button"
              class="button button-quiet"
              aria-expanded={showHistory}
              onClick={() => setShowHistory(!showHistory)}
              data-testid="summary-history-toggle"
            >
              {showHistory ? t('carenet.summary.history_hide') : t('carenet.summary.history_show')}
            </button>
          </div>
          {showHistory ? <ChangeHistory patient={id} /> : null}
          <PrintHeading summary={data} />
          <Withheld categories={data.withheld} />
          <Identity summary={data} />
          <div class="cn-sections">
            {SECTION_ORDER.filter((s) => SUMMARY_SECTIONS.includes(s)).map((section) => (
              <Section
                key={section}
                patient={id}
                section={section}
                entries={data[section] ?? []}
                withheld={data.withheld.includes(SECTION_CATEGORY[section])}
                canEdit={canEdit}
                onChanged={reload}
              />
            ))}
          </div>
        </div>
      )}
    </ResourceView>
  );
}

function PrintHeading({ summary }: { summary: Summary }) {
  const lang = useLang();
  return (
    <p class="print-only cn-print-heading">
      {t('carenet.summary.print_heading', { name: summary.person.name, time: formatDateTimeShort(new Date().toISOString(), lang) })}
    </p>
  );
}

function Withheld({ categories }: { categories: SummaryCategory[] }) {
  if (categories.length === 0) return null;
  return (
    <div class="notice notice-info" role="note" data-testid="summary-withheld">
      <p>
        {t('carenet.summary.withheld', {
          categories: categories.map((c) => t(`carenet.category.${c}` as MessageKey)).join('、'),
        })}
      </p>
    </div>
  );
}

function Identity({ summary }: { summary: Summary }) {
  const lang = useLang();
  const person = summary.person;
  if (summary.withheld.includes('identity')) return null;
  return (
    <section class="card cn-section cn-identity" aria-labelledby="sec-identity" data-testid="summary-identity">
      <h3 id="sec-identity" class="cn-section-title">
        {t('carenet.category.identity')}
      </h3>
      <dl class="cn-fields">
        <div>
          <dt>{t('person.name')}</dt>
          <dd>
            {person.name}（{person.kana}）
          </dd>
        </div>
        <div>
          <dt>{t('person.birth_date')}</dt>
          <dd>
            {formatBirthDate(person.birth_date, lang)}　{t('person.age_value', { age: person.age })}
          </dd>
        </div>
        <div>
          <dt>{t('person.address')}</dt>
          <dd>{person.address}</dd>
        </div>
        <div>
          <dt>{t('person.phones')}</dt>
          <dd>
            {person.phones.length === 0
              ? t('common.not_registered')
              : person.phones.map((phone) => (
                  <span key={phone} class="cn-phone">
                    <PhoneLink phone={phone} />
                  </span>
                ))}
          </dd>
        </div>
      </dl>
    </section>
  );
}

interface SectionProps {
  patient: number;
  section: SummarySection;
  entries: SummaryEntry[];
  withheld: boolean;
  canEdit: boolean;
  onChanged: () => void;
}

function Section({ patient, section, entries, withheld, canEdit, onChanged }: SectionProps) {
  const [adding, setAdding] = useState(false);
  const isAcp = section === 'acp';
  const current = isAcp ? (entries.find((e) => e.current) ?? null) : null;
  const titleId = `sec-${section}`;
  return (
    <section
      class={`card cn-section cn-section-${section}`}
      aria-labelledby={titleId}
      data-testid={`section-${section}`}
      data-withheld={withheld ? 'true' : 'false'}
    >
      <div class="cn-section-head">
        <h3 id={titleId} class="cn-section-title">
          {sectionTitle(section)}
        </h3>
        {canEdit && !withheld && !adding ? (
          <button type="button" class="button button-secondary button-small no-print" onClick={() => setAdding(true)} data-testid={`section-${section}-add`}>
            {isAcp ? t('carenet.summary.acp_new') : t('carenet.summary.add')}
          </button>
        ) : null}
      </div>
      {withheld ? (
        <p class="cn-withheld-note" data-testid={`section-${section}-withheld`}>
          {t('carenet.summary.section_withheld')}
        </p>
      ) : (
        <>
          {adding ? (
            <EntryForm
              patient={patient}
              section={section}
              entry={isAcp ? current : null}
              asNew
              onDone={(changed) => {
                setAdding(false);
                if (changed) onChanged();
              }}
            />
          ) : null}
          {entries.length === 0 && !adding ? (
            <p class="cn-muted" data-testid={`section-${section}-empty`}>
              {t('carenet.summary.empty')}
            </p>
          ) : null}
          <ul class="plain-list cn-entries">
            {entries.map((entry) => (
              <Entry key={`${entry.id}-${entry.version}`} patient={patient} section={section} entry={entry} canEdit={canEdit && !isAcp} onChanged={onChanged} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Entry({
  patient,
  section,
  entry,
  canEdit,
  onChanged,
}: {
  patient: number;
  section: SummarySection;
  entry: SummaryEntry;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const lang = useLang();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useSubmit(async () => {
    await removeSummaryEntry(patient, section, entry.id);
    setConfirming(false);
    onChanged();
  });
  const isAcp = section === 'acp';
  const classes = ['cn-entry'];
  if (isAcp) classes.push(entry.current ? 'cn-acp-current' : 'cn-acp-old');
  if (section === 'allergies' && entry.data.severity === 'severe') classes.push('cn-entry-alert');

  if (editing) {
    return (
      <li class={classes.join(' ')}>
        <EntryForm
          patient={patient}
          section={section}
          entry={entry}
          onDone={(changed) => {
            setEditing(false);
            if (changed) onChanged();
          }}
        />
      </li>
    );
  }
  return (
    <li class={classes.join(' ')} data-testid="summary-entry" data-entry-id={entry.id} data-current={isAcp ? String(!!entry.current) : undefined}>
      {isAcp ? (
        <p class="cn-acp-label">
          {entry.current ? (
            <span class="badge badge-ok" data-testid="acp-current">
              {t('carenet.summary.acp_current')}
            </span>
          ) : (
            <span class="badge badge-muted" data-testid="acp-old">
              {t('carenet.summary.acp_old')}
            </span>
          )}{' '}
          {t('carenet.summary.version', { version: entry.version })}
        </p>
      ) : null}
      <EntryFields section={section} data={entry.data} />
      <p class="cn-entry-meta">
        {t('carenet.summary.by', { name: entry.author.name, time: formatDateTimeShort(entry.at, lang) })}
        {!isAcp && entry.version > 1 ? `　${t('carenet.summary.version', { version: entry.version })}` : ''}
      </p>
      {canEdit ? (
        <div class="cn-entry-actions no-print">
          <button type="button" class="button button-quiet button-small" onClick={() => setEditing(true)} data-testid="entry-edit">
            {t('carenet.summary.edit')}
          </button>
          {confirming ? (
            <>
              <button type="button" class="button button-danger button-small" disabled={remove.busy} onClick={(e) => void remove.submit(e)} data-testid="entry-remove-confirm">
                {t('carenet.summary.remove_confirm')}
              </button>
              <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(true)} data-testid="entry-remove">
              {t('carenet.summary.remove')}
            </button>
          )}
        </div>
      ) : null}
      {remove.error ? (
        <p class="notice notice-error" role="alert">
          {describeError(remove.error)}
        </p>
      ) : null}
    </li>
  );
}

function EntryFields({ section, data }: { section: SummarySection; data: Record<string, unknown> }) {
  const defs = SECTION_FIELDS[section];
  const shown = defs.filter((def) => displayValue(def, data[def.name]) !== '');
  return (
    <dl class="cn-fields">
      {shown.map((def) => (
        <div key={def.name} data-field={def.name}>
          <dt>{fieldLabel(section, def.name)}</dt>
          <dd>
            <FieldValue def={def} value={data[def.name]} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function FieldValue({ def, value }: { def: FieldDef; value: unknown }) {
  if (def.kind === 'phones' && Array.isArray(value)) {
    return (
      <>
        {value.map((phone) => (
          <span key={String(phone)} class="cn-phone">
            <PhoneLink phone={String(phone)} />
          </span>
        ))}
      </>
    );
  }
  if (def.name === 'phone' && typeof value === 'string') return <PhoneLink phone={value} />;
  const text = displayValue(def, value);
  if (def.name === 'resuscitation' && value === 'not_wanted') return <strong class="cn-emphasis">{text}</strong>;
  if (def.name === 'severity' && value === 'severe') return <strong class="cn-emphasis">{text}</strong>;
  return <span class="cn-pre">{text}</span>;
}

function EntryForm({
  patient,
  section,
  entry,
  asNew = false,
  onDone,
}: {
  patient: number;
  section: SummarySection;
  /** The entry to edit, or (with asNew) the one whose values start the form. */
  entry: SummaryEntry | null;
  asNew?: boolean;
  onDone: (changed: boolean) => void;
}) {
  const [form, setForm] = useState<Record<string, string>>(() => toForm(section, entry ? entry.data : null));
  const [missing, setMissing] = useState<string | null>(null);
  const { submit, busy, error } = useSubmit(async () => {
    const empty = missingField(section, form);
    setMissing(empty);
    if (empty) return;
    const data = fromForm(section, form);
    if (entry && !asNew) await updateSummaryEntry(patient, section, entry.id, data);
    else await addSummaryEntry(patient, section, data);
    onDone(true);
  });
  const prefix = `entry-${section}-${entry && !asNew ? entry.id : 'new'}`;
  const invalidName = missing ?? fieldOf(error);
  return (
    <form class="cn-entry-form" onSubmit={submit} noValidate data-testid={`entry-form-${section}`}>
      {section === 'acp' ? <p class="field-hint">{t('carenet.summary.acp_hint')}</p> : null}
      <div class="form-grid">
        {SECTION_FIELDS[section].map((def) => (
          <FieldInput
            key={def.name}
            id={`${prefix}-${def.name}`}
            section={section}
            def={def}
            value={form[def.name] ?? ''}
            invalid={invalidName === def.name}
            onValue={(value) => setForm({ ...form, [def.name]: value })}
          />
        ))}
      </div>
      <div aria-live="polite">
        {missing ? (
          <p class="notice notice-error" role="alert" data-testid="entry-missing">
            {t('carenet.summary.required', { field: fieldLabel(section, missing) })}
          </p>
        ) : null}
        {error ? (
          <p class="notice notice-error" role="alert" data-testid="entry-error">
            {entryErrorText(section, error)}
          </p>
        ) : null}
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary button-small" disabled={busy} data-testid="entry-save">
          {section === 'acp' ? t('carenet.summary.acp_save') : t('carenet.summary.save')}
        </button>
        <button type="button" class="button button-quiet button-small" onClick={() => onDone(false)} data-testid="entry-cancel">
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** "data.condition" or "condition" → "condition". */
function fieldOf(error: ApiError | null): string | null {
  if (!error || !error.field) return null;
  return error.field.replace(/^data\./, '').replace(/\[\d+\]$/, '');
}

function entryErrorText(section: SummarySection, error: ApiError): string {
  if (error.code === 'no_consent') return t('carenet.error.no_consent');
  const field = fieldOf(error);
  if (error.code === 'invalid_field' && field) return t('carenet.summary.invalid', { field: fieldLabel(section, field) });
  return describeError(error);
}

function FieldInput({
  id,
  section,
  def,
  value,
  invalid,
  onValue,
}: {
  id: string;
  section: SummarySection;
  def: FieldDef;
  value: string;
  invalid: boolean;
  onValue: (value: string) => void;
}) {
  const label = `${fieldLabel(section, def.name)}${def.required ? t('carenet.summary.required_mark') : ''}`;
  const common = { id, 'aria-invalid': invalid || undefined, 'data-testid': `field-${def.name}` };
  let control;
  if (def.kind === 'select') {
    control = (
      <select {...common} value={value} onChange={(e) => onValue(e.currentTarget.value)}>
        <option value="">{t('carenet.summary.choose')}</option>
        {(def.options ?? []).map((option) => (
          <option key={option} value={option}>
            {def.name === 'level' ? option : optionLabel(def.name, option)}
          </option>
        ))}
      </select>
    );
  } else if (def.kind === 'textarea' || def.kind === 'phones') {
    control = <textarea {...common} rows={def.kind === 'phones' ? 2 : 3} value={value} onInput={(e) => onValue(e.currentTarget.value)} />;
  } else {
    control = (
      <input
        {...common}
        type={def.kind === 'date' ? 'date' : def.kind === 'number' ? 'number' : 'text'}
        inputMode={def.kind === 'number' ? 'numeric' : undefined}
        min={def.kind === 'number' ? 1 : undefined}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        autocomplete="off"
      />
    );
  }
  return (
    <div class={def.kind === 'textarea' ? 'field cn-field-wide' : 'field'}>
      <label for={id}>{label}</label>
      {control}
      {def.kind === 'phones' ? <p class="field-hint">{t('carenet.summary.phones_hint')}</p> : null}
    </div>
  );
}

function ChangeHistory({ patient }: { patient: number }) {
  const lang = useLang();
  const [section, setSection] = useState<SummarySection | ''>('');
  const [changes, reload] = useResource((signal) => getSummaryHistory(patient, section, signal), [patient, section]);
  return (
    <section class="card cn-changes no-print" aria-labelledby="changes-title" data-testid="summary-history">
      <h3 id="changes-title" class="cn-section-title">
        {t('carenet.summary.history_title')}
      </h3>
      <div class="field cn-inline-field">
        <label for="changes-section">{t('carenet.summary.history_section')}</label>
        <select id="changes-section" value={section} onChange={(e) => setSection(e.currentTarget.value as SummarySection | '')} data-testid="summary-history-section">
          <option value="">{t('carenet.summary.history_all')}</option>
          {SUMMARY_SECTIONS.map((s) => (
            <option key={s} value={s}>
              {sectionTitle(s)}
            </option>
          ))}
        </select>
      </div>
      <ResourceView resource={changes} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p class="cn-muted">{t('carenet.summary.history_empty')}</p>
          ) : (
            <ol class="cn-change-list">
              {list.map((change, i) => (
                <li key={i} class="cn-change" data-testid="summary-change" data-section={change.section}>
                  <p class="cn-change-head">
                    <strong>{sectionTitle(change.section)}</strong>
                    <span>{t('carenet.summary.version', { version: change.version })}</span>
                    {change.data === null ? <span class="badge badge-muted">{t('carenet.summary.removed')}</span> : null}
                    <span class="cn-muted">{formatDateTimeShort(change.at, lang)}</span>
                    <span class="cn-muted">{change.author.name}</span>
                  </p>
                  {change.data ? <EntryFields section={change.section} data={change.data} /> : null}
                </li>
              ))}
            </ol>
          )
        }
      </ResourceView>
    </section>
  );
}

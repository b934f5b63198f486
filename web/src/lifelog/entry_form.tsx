import { useEffect, useRef, useState } from 'preact/hooks';
import type { FieldValue, LifelogField, RecordValues, RecordWrite } from '../api/lifelog';
import { fromLocalInput, toLocalInput } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { readFiles, type FileProblem, type PickedFile } from '../carenet/attachments';
import { outOfRange, parseNumber, rangeText, stepOf, fieldLabel, choiceLabel } from './values';

export const MAX_PHOTOS = 4;
const MAX_COUNT = 10_000;
const MAX_NOTE = 4_000;

/** What the form starts from: nothing (a new record) or the record being changed. */
export interface EntryStart {
  recorded_at?: string;
  values?: RecordValues;
  note?: string;
}

interface Props {
  fields: LifelogField[];
  start?: EntryStart;
  /** A change of a record: no photos (they go only with a creation). */
  editing: boolean;
  onSubmit: (write: RecordWrite) => Promise<void>;
  onCancel: () => void;
}

type Draft = Record<string, string>;

function draftOf(fields: LifelogField[], values: RecordValues | undefined): Draft {
  const draft: Draft = {};
  for (const f of fields) {
    const v = values?.[f.key];
    if (v === undefined || v === null) draft[f.key] = '';
    else if (typeof v === 'number') draft[f.key] = f.type === 'number' ? v.toFixed(Math.max(0, f.decimals ?? 0)) : String(v);
    else draft[f.key] = v;
  }
  return draft;
}

/** A field's problem with what was typed, or null: not a number, wrong places, beyond the type's limits. */
function problemOf(field: LifelogField, text: string): string | null {
  if (text.trim() === '') return null;
  if (field.type === 'number') {
    const n = parseNumber(text);
    if (n === null) return t('lifelog.entry.not_number');
    const places = (String(text).split(/[.,．]/)[1] ?? '').length;
    if (places > Math.max(0, field.decimals ?? 0)) return t('lifelog.entry.too_many_places', { decimals: field.decimals ?? 0 });
    return null;
  }
  if (field.type === 'count') {
    const n = parseNumber(text);
    if (n === null || !Number.isInteger(n) || n < 0 || n > MAX_COUNT) return t('lifelog.entry.not_count');
  }
  return null;
}

function valueOf(field: LifelogField, text: string): FieldValue | null {
  if (text.trim() === '') return null;
  if (field.type === 'number' || field.type === 'count') return parseNumber(text);
  return text;
}

/**
 * The full entry: one input per field of the template (number with its unit, count with − / +,
 * choice as big buttons, text), the time (now by default, changeable for a late entry), a note and
 * up to four photos. A number outside its normal range is flagged while it is typed.
 */
export function EntryForm({ fields, start, editing, onSubmit, onCancel }: Props) {
  const lang = useLang();
  const [draft, setDraft] = useState<Draft>(() => draftOf(fields, start?.values));
  const [time, setTime] = useState(() => toLocalInput(start?.recorded_at ? Date.parse(start.recorded_at) : Date.now()));
  const [timeTouched, setTimeTouched] = useState(false);
  const [note, setNote] = useState(start?.note ?? '');
  const [photos, setPhotos] = useState<PickedFile[]>([]);
  const [fileProblems, setFileProblems] = useState<FileProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    // The heading takes the focus, not the first input: a phone's keyboard would cover the form.
    formRef.current?.scrollIntoView({ block: 'start' });
    formRef.current?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }, []);

  const set = (key: string, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const problems = Object.fromEntries(fields.map((f) => [f.key, problemOf(f, draft[f.key] ?? '')]));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (fields.some((f) => problems[f.key])) {
      setError(t('lifelog.entry.fix_fields'));
      return;
    }
    const values: Record<string, FieldValue | null> = {};
    let any = false;
    for (const f of fields) {
      const v = valueOf(f, draft[f.key] ?? '');
      if (v !== null) {
        values[f.key] = v;
        any = true;
      } else if (start?.values && start.values[f.key] !== undefined) {
        values[f.key] = null;
      }
    }
    if (!any && note.trim() === '' && photos.length === 0) {
      setError(t('lifelog.entry.empty'));
      return;
    }
    // Left at "now": the moment of saving; changed: what was set (a late entry).
    const at = timeTouched ? fromLocalInput(time) : start?.recorded_at ?? new Date().toISOString();
    if (!at) {
      setError(t('lifelog.entry.bad_time'));
      return;
    }
    if (Date.parse(at) > Date.now() + 5 * 60_000) {
      setError(t('lifelog.entry.future_time'));
      return;
    }
    const write: RecordWrite = { recorded_at: new Date(at).toISOString(), values, note: note.trim() };
    if (!editing && photos.length > 0) write.photos = photos.map((p) => ({ filename: p.filename, data: p.data }));
    setBusy(true);
    try {
      await onSubmit(write);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const pick = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    const { accepted, problems: found } = await readFiles(files, photos.length);
    const images = accepted.filter((f) => f.kind !== 'pdf');
    const refused = accepted.filter((f) => f.kind === 'pdf').map((f): FileProblem => ({ filename: f.filename, problem: 'wrong_type' }));
    setPhotos((list) => [...list, ...images].slice(0, MAX_PHOTOS));
    setFileProblems([...found, ...refused]);
  };

  return (
    <form ref={formRef} class="card ll-form" onSubmit={submit} noValidate aria-labelledby="ll-form-title" data-testid="entry-form">
      <h2 id="ll-form-title" class="ll-form-title" tabIndex={-1}>
        {editing ? t('lifelog.entry.edit_title') : t('lifelog.entry.title')}
      </h2>
      {fields.map((f) => (
        <FieldInput key={f.key} field={f} value={draft[f.key] ?? ''} problem={problems[f.key]} onChange={(v) => set(f.key, v)} lang={lang} />
      ))}
      <div class="field">
        <label for="ll-time">{t('lifelog.entry.time')}</label>
        <input
          id="ll-time"
          class="ll-input"
          type="datetime-local"
          value={time}
          onInput={(e) => {
            setTime((e.currentTarget as HTMLInputElement).value);
            setTimeTouched(true);
          }}
          data-testid="entry-time"
        />
        {!timeTouched && !start?.recorded_at ? <p class="field-hint">{t('lifelog.entry.time_now')}</p> : null}
      </div>
      <div class="field">
        <label for="ll-note">{t('lifelog.entry.note')}</label>
        <textarea
          id="ll-note"
          class="ll-input"
          rows={3}
          maxLength={MAX_NOTE}
          value={note}
          onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
          data-testid="entry-note"
        />
      </div>
      {editing ? null : (
        <div class="field">
          <span class="ll-label">{t('lifelog.entry.photos', { max: MAX_PHOTOS })}</span>
          {photos.length > 0 ? (
            <ul class="ll-thumbs plain-list" data-testid="entry-photo-list">
              {photos.map((p) => (
                <li key={p.key} class="ll-thumb">
                  <img src={`data:image/${p.kind};base64,${p.data}`} alt={p.filename} />
                  <button
                    type="button"
                    class="button button-quiet button-small"
                    onClick={() => setPhotos((list) => list.filter((x) => x.key !== p.key))}
                    aria-label={t('lifelog.entry.photo_remove', { name: p.filename })}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          {photos.length < MAX_PHOTOS ? (
            <label class="button button-secondary ll-photo-pick">
              {t('lifelog.entry.photo_add')}
              <input
                type="file"
                accept="image/jpeg,image/png"
                multiple
                class="visually-hidden"
                onChange={(e) => void pick(e)}
                data-testid="entry-photos"
              />
            </label>
          ) : null}
          {fileProblems.map((p, i) => (
            <p key={i} class="field-error" role="alert">
              {t(`lifelog.entry.photo_${p.problem}`, { name: p.filename })}
            </p>
          ))}
        </div>
      )}
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="entry-error">
          {error}
        </p>
      ) : null}
      <div class="ll-form-actions">
        <button type="button" class="button button-secondary ll-big" onClick={onCancel} data-testid="entry-cancel">
          {t('common.cancel')}
        </button>
        <button type="submit" class="button button-primary ll-big" disabled={busy} data-testid="entry-submit">
          {editing ? t('lifelog.entry.save_edit') : t('lifelog.entry.save')}
        </button>
      </div>
    </form>
  );
}

function FieldInput({
  field,
  value,
  problem,
  onChange,
  lang,
}: {
  field: LifelogField;
  value: string;
  problem: string | null;
  onChange: (value: string) => void;
  lang: Lang;
}) {
  const id = `ll-f-${field.key}`;
  const label = fieldLabel(field, lang);
  const range = rangeText(field, lang);
  const number = field.type === 'number' || field.type === 'count' ? parseNumber(value) : null;
  const out = number !== null && !problem && outOfRange(field, number);
  const hintId = `${id}-hint`;

  if (field.type === 'choice') {
    const choices = field.choices ?? [];
    return (
      <fieldset class="field ll-choice" data-testid={`entry-choice-${field.key}`}>
        <legend class="ll-label">{label}</legend>
        <div class="ll-segments">
          {choices.map((c, i) => (
            <button
              key={c}
              type="button"
              class={value === c ? 'll-segment ll-segment-on' : 'll-segment'}
              aria-pressed={value === c}
              onClick={() => onChange(value === c ? '' : c)}
              data-testid={`entry-choice-${field.key}-${i}`}
            >
              {choiceLabel(field, c, lang)}
            </button>
          ))}
        </div>
      </fieldset>
    );
  }

  if (field.type === 'text') {
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <textarea id={id} class="ll-input" rows={2} maxLength={2000} value={value} onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value)} data-testid={`entry-field-${field.key}`} />
      </div>
    );
  }

  const step = field.type === 'count' ? 1 : Number(stepOf(field.decimals));
  const bump = (delta: number) => {
    const base = number ?? (field.type === 'count' ? 0 : (field.min ?? field.max ?? 0));
    const next = Math.max(0, base + delta);
    onChange(field.type === 'count' ? String(Math.min(MAX_COUNT, Math.round(next))) : next.toFixed(Math.max(0, field.decimals ?? 0)));
  };
  const described = [range ? hintId : '', problem || out ? `${id}-flag` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <div class={out ? 'field ll-field ll-field-out' : 'field ll-field'} data-testid={`entry-row-${field.key}`} data-out={out ? 'true' : 'false'}>
      <label for={id}>
        {label}
        {range ? (
          <span class="ll-range" id={hintId}>
            {t('lifelog.entry.range', { range })}
          </span>
        ) : null}
      </label>
      <div class="ll-number">
        {field.type === 'count' ? (
          <button type="button" class="button button-secondary ll-step" onClick={() => bump(-1)} aria-label={t('lifelog.entry.minus', { label })} data-testid={`entry-minus-${field.key}`}>
            −
          </button>
        ) : null}
        <input
          id={id}
          class="ll-input ll-input-number"
          type="text"
          inputMode={field.type === 'count' || (field.decimals ?? 0) === 0 ? 'numeric' : 'decimal'}
          autoComplete="off"
          value={value}
          aria-invalid={problem || out ? 'true' : 'false'}
          aria-describedby={described}
          data-step={step}
          onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
          data-testid={`entry-field-${field.key}`}
        />
        {field.unit ? <span class="ll-unit">{field.unit}</span> : null}
        {field.type === 'count' ? (
          <button type="button" class="button button-secondary ll-step" onClick={() => bump(1)} aria-label={t('lifelog.entry.plus', { label })} data-testid={`entry-plus-${field.key}`}>
            ＋
          </button>
        ) : null}
      </div>
      {problem ? (
        <p class="field-error" id={`${id}-flag`} role="alert">
          {problem}
        </p>
      ) : out ? (
        <p class="ll-out-text" id={`${id}-flag`} data-testid={`entry-out-${field.key}`}>
          <span aria-hidden="true">⚑ </span>
          {t('lifelog.entry.out_of_range', { range })}
        </p>
      ) : null}
    </div>
  );
}

import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listPresets, saveTemplate, type ChartKind, type FieldType, type LifelogField, type Preset, type QuickEntry, type TemplateAnswer } from '../api/lifelog';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { parseNumber } from './values';

const MAX_FIELDS = 40;
const MAX_QUICK = 12;
const TYPES: FieldType[] = ['number', 'count', 'choice', 'text'];
const CHARTS: (ChartKind | '')[] = ['', 'mean', 'sum', 'count'];

interface FieldDraft {
  /** Stable key for rendering (the field key can be edited on new fields). */
  id: number;
  isNew: boolean;
  key: string;
  label: string;
  label_en: string;
  type: FieldType;
  unit: string;
  min: string;
  max: string;
  decimals: string;
  chart: ChartKind | '';
  choices: string;
  choices_en: string;
}

interface QuickDraft {
  id: number;
  label: string;
  label_en: string;
  /** "key=value" pairs, one per line. */
  values: string;
}

interface Draft {
  kind: string;
  notify_team: boolean;
  fields: FieldDraft[];
  quick: QuickDraft[];
}

let nextId = 1;

function fieldDraft(f: LifelogField, isNew = false): FieldDraft {
  return {
    id: nextId++,
    isNew,
    key: f.key,
    label: f.label,
    label_en: f.label_en ?? '',
    type: f.type,
    unit: f.unit ?? '',
    min: f.min === undefined || f.min === null ? '' : String(f.min),
    max: f.max === undefined || f.max === null ? '' : String(f.max),
    decimals: f.decimals === undefined ? '' : String(f.decimals),
    chart: f.chart ?? '',
    choices: (f.choices ?? []).join('、'),
    choices_en: (f.choices_en ?? []).join(', '),
  };
}

function quickDraft(q: QuickEntry): QuickDraft {
  return {
    id: nextId++,
    label: q.label,
    label_en: q.label_en ?? '',
    values: Object.entries(q.values)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  };
}

function draftOf(template: Pick<TemplateAnswer['template'], 'kind' | 'notify_team' | 'fields' | 'quick'>): Draft {
  return { kind: template.kind, notify_team: template.notify_team, fields: template.fields.map((f) => fieldDraft(f)), quick: template.quick.map(quickDraft) };
}

function splitList(text: string): string[] {
  return text
    .split(/[,、\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The draft as the server takes it; a message naming the first problem instead when there is one. */
function build(draft: Draft): { fields: LifelogField[]; quick: QuickEntry[] } | string {
  const fields: LifelogField[] = [];
  const keys = new Set<string>();
  for (const d of draft.fields) {
    const key = d.key.trim();
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(key)) return t('lifelog.template.bad_key', { key: key || '—' });
    if (keys.has(key)) return t('lifelog.template.duplicate_key', { key });
    keys.add(key);
    if (!d.label.trim()) return t('lifelog.template.no_label', { key });
    const f: LifelogField = { key, label: d.label.trim(), type: d.type };
    if (d.label_en.trim()) f.label_en = d.label_en.trim();
    if (d.type === 'number' || d.type === 'count') {
      if (d.unit.trim()) f.unit = d.unit.trim();
      for (const side of ['min', 'max'] as const) {
        if (d[side].trim() === '') continue;
        const v = parseNumber(d[side]);
        if (v === null) return t('lifelog.template.bad_number', { key, what: t(`lifelog.template.${side}`) });
        f[side] = v;
      }
      if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) return t('lifelog.template.min_above_max', { key });
      if (d.type === 'number') f.decimals = Math.min(2, Math.max(0, Number(d.decimals || 0)));
      if (d.chart) f.chart = d.chart;
    }
    if (d.type === 'choice') {
      const choices = splitList(d.choices);
      if (choices.length === 0) return t('lifelog.template.no_choices', { key });
      f.choices = choices;
      const en = splitList(d.choices_en);
      if (en.length > 0) {
        if (en.length !== choices.length) return t('lifelog.template.choices_en_length', { key });
        f.choices_en = en;
      }
    }
    fields.push(f);
  }
  const quick: QuickEntry[] = [];
  for (const q of draft.quick) {
    if (!q.label.trim()) return t('lifelog.template.quick_no_label');
    const values: Record<string, number | string> = {};
    for (const line of q.values.split(/\n/).map((l) => l.trim()).filter(Boolean)) {
      const [k, ...rest] = line.split('=');
      const key = k.trim();
      const field = fields.find((f) => f.key === key);
      if (!field) return t('lifelog.template.quick_unknown', { label: q.label, key });
      const text = rest.join('=').trim();
      const num = parseNumber(text);
      values[key] = field.type === 'number' || field.type === 'count' ? (num ?? NaN) : text;
      if (Number.isNaN(values[key])) return t('lifelog.template.quick_bad_value', { label: q.label, key });
    }
    if (Object.keys(values).length === 0) return t('lifelog.template.quick_no_values', { label: q.label });
    const entry: QuickEntry = { label: q.label.trim(), values };
    if (q.label_en.trim()) entry.label_en = q.label_en.trim();
    quick.push(entry);
  }
  return { fields, quick };
}

/** The template of one person, for the professionals of the team: fields, ranges, quick entries. */
export function TemplateEditor({
  answer,
  justSaved,
  onSaved,
  onReload,
}: {
  answer: TemplateAnswer;
  /** True right after this version was saved here. */
  justSaved: boolean;
  onSaved: (answer: Partial<TemplateAnswer> & Pick<TemplateAnswer, 'template'>) => void;
  onReload: () => void;
}) {
  const lang = useLang();
  const template = answer.template;
  const [draft, setDraft] = useState<Draft>(() => draftOf(template));
  const [problem, setProblem] = useState<string | null>(null);
  const [presets] = useResource((signal) => listPresets(signal), []);
  const [presetKind, setPresetKind] = useState('');

  const save = useSubmit(async () => {
    const built = build(draft);
    if (typeof built === 'string') {
      setProblem(built);
      return;
    }
    setProblem(null);
    onSaved(
      await saveTemplate(answer.person.id, {
        kind: draft.kind,
        notify_team: draft.notify_team,
        fields: built.fields,
        quick: built.quick,
        base_version: template.version,
      }),
    );
  });

  const setField = (id: number, patch: Partial<FieldDraft>) => setDraft((d) => ({ ...d, fields: d.fields.map((f) => (f.id === id ? { ...f, ...patch } : f)) }));
  const setQuick = (id: number, patch: Partial<QuickDraft>) => setDraft((d) => ({ ...d, quick: d.quick.map((q) => (q.id === id ? { ...q, ...patch } : q)) }));
  const usePreset = (preset: Preset) => setDraft(draftOf(preset));
  const conflict = save.error instanceof ApiError && save.error.status === 409;

  return (
    <form class="ll-template" onSubmit={save.submit} noValidate data-testid="template-editor">
      <p class="ll-sub" data-testid="template-version">
        {template.version === 0
          ? t('lifelog.template.preset_in_use', { kind: template.kind })
          : t('lifelog.template.version', {
              version: template.version,
              name: template.updated_by?.name ?? '—',
              time: template.updated_at ? formatDateTimeShort(template.updated_at, lang) : '—',
            })}
      </p>

      <div class="card ll-template-head">
        <label class="ll-check">
          <input type="checkbox" checked={draft.notify_team} onChange={(e) => setDraft((d) => ({ ...d, notify_team: (e.currentTarget as HTMLInputElement).checked }))} data-testid="template-notify" />
          {t('lifelog.template.notify_team')}
        </label>
        {presets.state === 'ok' ? (
          <div class="ll-preset">
            <label for="ll-preset">{t('lifelog.template.preset')}</label>
            <div class="ll-inline">
              <select id="ll-preset" value={presetKind} onChange={(e) => setPresetKind((e.currentTarget as HTMLSelectElement).value)} data-testid="template-preset">
                <option value="">—</option>
                {presets.data.map((p) => (
                  <option key={p.kind} value={p.kind}>
                    {t(p.kind === 'elderly' ? 'lifelog.template.kind.elderly' : p.kind === 'pediatric' ? 'lifelog.template.kind.pediatric' : 'lifelog.template.kind.other')} ({p.kind})
                  </option>
                ))}
              </select>
              <button
                type="button"
                class="button button-secondary"
                disabled={!presetKind}
                onClick={() => {
                  const preset = presets.data.find((p) => p.kind === presetKind);
                  if (preset) usePreset(preset);
                }}
                data-testid="template-preset-apply"
              >
                {t('lifelog.template.preset_apply')}
              </button>
            </div>
          </div>
        ) : null}
      </div>

      <h2 class="section-title">{t('lifelog.template.fields', { count: draft.fields.length, max: MAX_FIELDS })}</h2>
      <ol class="plain-list">
        {draft.fields.map((f, i) => (
          <li key={f.id} class="card ll-tfield" data-testid="template-field" data-key={f.key}>
            <div class="ll-tfield-head">
              <strong>
                {i + 1}. {f.label || '—'}
              </strong>
              <code>{f.key}</code>
              <button
                type="button"
                class="button button-quiet button-small"
                onClick={() => setDraft((d) => ({ ...d, fields: d.fields.filter((x) => x.id !== f.id) }))}
                data-testid="template-field-remove"
              >
                {t('lifelog.template.remove')}
              </button>
            </div>
            <div class="ll-tgrid">
              {f.isNew ? (
                <>
                  <Text label={t('lifelog.template.key')} value={f.key} onInput={(v) => setField(f.id, { key: v })} testId="template-field-key" />
                  <div class="field">
                    <label for={`tt-${f.id}`}>{t('lifelog.template.type')}</label>
                    <select id={`tt-${f.id}`} value={f.type} onChange={(e) => setField(f.id, { type: (e.currentTarget as HTMLSelectElement).value as FieldType })} data-testid="template-field-type">
                      {TYPES.map((ty) => (
                        <option key={ty} value={ty}>
                          {t(`lifelog.template.type.${ty}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                </>
              ) : null}
              <Text label={t('lifelog.template.label')} value={f.label} onInput={(v) => setField(f.id, { label: v })} testId="template-field-label" />
              <Text label={t('lifelog.template.label_en')} value={f.label_en} onInput={(v) => setField(f.id, { label_en: v })} />
              {f.type === 'number' || f.type === 'count' ? (
                <>
                  <Text label={t('lifelog.template.unit')} value={f.unit} onInput={(v) => setField(f.id, { unit: v })} testId="template-field-unit" />
                  <Text label={t('lifelog.template.min')} value={f.min} inputMode="decimal" onInput={(v) => setField(f.id, { min: v })} testId="template-field-min" />
                  <Text label={t('lifelog.template.max')} value={f.max} inputMode="decimal" onInput={(v) => setField(f.id, { max: v })} testId="template-field-max" />
                  {f.type === 'number' ? (
                    <div class="field">
                      <label for={`td-${f.id}`}>{t('lifelog.template.decimals')}</label>
                      <select id={`td-${f.id}`} value={f.decimals || '0'} onChange={(e) => setField(f.id, { decimals: (e.currentTarget as HTMLSelectElement).value })} data-testid="template-field-decimals">
                        {['0', '1', '2'].map((d) => (
                          <option key={d} value={d}>
                            {d}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : null}
                  <div class="field">
                    <label for={`tc-${f.id}`}>{t('lifelog.template.chart')}</label>
                    <select id={`tc-${f.id}`} value={f.chart} onChange={(e) => setField(f.id, { chart: (e.currentTarget as HTMLSelectElement).value as ChartKind | '' })} data-testid="template-field-chart">
                      {CHARTS.map((c) => (
                        <option key={c} value={c}>
                          {t(c ? `lifelog.template.chart.${c}` : 'lifelog.template.chart.none')}
                        </option>
                      ))}
                    </select>
                  </div>
                </>
              ) : null}
              {f.type === 'choice' ? (
                <>
                  <Text label={t('lifelog.template.choices')} value={f.choices} onInput={(v) => setField(f.id, { choices: v })} />
                  <Text label={t('lifelog.template.choices_en')} value={f.choices_en} onInput={(v) => setField(f.id, { choices_en: v })} />
                </>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      <p>
        <button
          type="button"
          class="button button-secondary"
          disabled={draft.fields.length >= MAX_FIELDS}
          onClick={() => setDraft((d) => ({ ...d, fields: [...d.fields, fieldDraft({ key: '', label: '', type: 'number', decimals: 0 }, true)] }))}
          data-testid="template-field-add"
        >
          {t('lifelog.template.add_field')}
        </button>
      </p>

      <h2 class="section-title">{t('lifelog.template.quick', { count: draft.quick.length, max: MAX_QUICK })}</h2>
      <p class="ll-sub">{t('lifelog.template.quick_hint')}</p>
      <ol class="plain-list">
        {draft.quick.map((q) => (
          <li key={q.id} class="card ll-tfield" data-testid="template-quick">
            <div class="ll-tgrid">
              <Text label={t('lifelog.template.label')} value={q.label} onInput={(v) => setQuick(q.id, { label: v })} testId="template-quick-label" />
              <Text label={t('lifelog.template.label_en')} value={q.label_en} onInput={(v) => setQuick(q.id, { label_en: v })} />
              <div class="field">
                <label for={`qv-${q.id}`}>{t('lifelog.template.quick_values')}</label>
                <textarea id={`qv-${q.id}`} rows={2} value={q.values} onInput={(e) => setQuick(q.id, { values: (e.currentTarget as HTMLTextAreaElement).value })} data-testid="template-quick-values" />
              </div>
            </div>
            <button type="button" class="button button-quiet button-small" onClick={() => setDraft((d) => ({ ...d, quick: d.quick.filter((x) => x.id !== q.id) }))}>
              {t('lifelog.template.remove')}
            </button>
          </li>
        ))}
      </ol>
      <p>
        <button
          type="button"
          class="button button-secondary"
          disabled={draft.quick.length >= MAX_QUICK}
          onClick={() => setDraft((d) => ({ ...d, quick: [...d.quick, { id: nextId++, label: '', label_en: '', values: '' }] }))}
          data-testid="template-quick-add"
        >
          {t('lifelog.template.add_quick')}
        </button>
      </p>

      {problem ? (
        <p class="notice notice-error" role="alert" data-testid="template-problem">
          {problem}
        </p>
      ) : null}
      {conflict ? (
        <div class="notice notice-error" role="alert" data-testid="template-conflict">
          <p>
            <strong>{t('lifelog.template.conflict_title')}</strong> {t('lifelog.template.conflict')}
          </p>
          <button type="button" class="button button-secondary" onClick={onReload} data-testid="template-reload">
            {t('lifelog.template.reload')}
          </button>
        </div>
      ) : save.error ? (
        <p class="notice notice-error" role="alert" data-testid="template-error">
          {describeError(save.error)}
        </p>
      ) : null}
      {justSaved ? (
        <p class="notice notice-success" role="status" data-testid="template-saved">
          {t('lifelog.template.saved')}
        </p>
      ) : null}
      <div class="ll-template-save">
        <button type="submit" class="button button-primary ll-big" disabled={save.busy} data-testid="template-save">
          {t('lifelog.template.save')}
        </button>
      </div>
    </form>
  );
}

let textId = 0;

function Text({ label, value, onInput, testId, inputMode }: { label: string; value: string; onInput: (v: string) => void; testId?: string; inputMode?: 'decimal' }) {
  const [id] = useState(() => `tx-${++textId}`);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="text" value={value} inputMode={inputMode} onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} data-testid={testId} />
    </div>
  );
}

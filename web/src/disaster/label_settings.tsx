import { useState } from 'preact/hooks';
import {
  getSettings,
  LABEL_COLOR_PATTERN,
  LABEL_KEY_PATTERN,
  LABEL_NAME_MAX,
  LABELS_MAX,
  LABELS_MIN,
  saveSettings,
  type DisasterSettings,
  type SafetyLabel,
} from '../api/disaster';
import { t, useLang, type MessageKey } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { ErrorMessage } from '../components/error_message';
import { Loading } from '../components/loading';
import { LabelBadge } from './parts';

/** A label being edited; `saved` labels keep their key (posts refer to it). */
interface Row extends SafetyLabel {
  saved: boolean;
}

/**
 * The safety labels (2–6: key, colour, Japanese and English name) and the one a person has before
 * anyone posts; the tile server is the operator's setting and is only shown.
 */
export function LabelSettings() {
  useLang();
  const [settings, reload] = useResource((signal) => getSettings(signal), []);
  return (
    <details class="card dz-settings" data-testid="label-settings">
      <summary class="dz-settings-summary" data-testid="label-settings-open">
        {t('disaster.settings.title')}
      </summary>
      {settings.state === 'loading' ? <Loading /> : null}
      {settings.state === 'error' ? <ErrorMessage error={settings.error} onRetry={reload} /> : null}
      {settings.state === 'ok' ? <SettingsForm key={JSON.stringify(settings.data)} settings={settings.data} /> : null}
    </details>
  );
}

/** Why the rows cannot be saved, or null. */
function problemOf(rows: Row[], defaultLabel: string): MessageKey | null {
  if (rows.length < LABELS_MIN || rows.length > LABELS_MAX) return 'disaster.settings.count';
  const keys = new Set<string>();
  for (const row of rows) {
    if (!LABEL_KEY_PATTERN.test(row.key)) return 'disaster.settings.bad_key';
    if (keys.has(row.key)) return 'disaster.settings.same_key';
    keys.add(row.key);
    if (!LABEL_COLOR_PATTERN.test(row.color)) return 'disaster.settings.bad_color';
    const name = row.name.trim();
    if (!name || [...name].length > LABEL_NAME_MAX || [...row.name_en.trim()].length > LABEL_NAME_MAX) return 'disaster.settings.bad_name';
  }
  return keys.has(defaultLabel) ? null : 'disaster.settings.no_default';
}

function SettingsForm({ settings }: { settings: DisasterSettings }) {
  const [rows, setRows] = useState<Row[]>(() => settings.labels.map((label) => ({ ...label, saved: true })));
  const [defaultLabel, setDefaultLabel] = useState(settings.default_label);
  const [saved, setSaved] = useState(false);
  const problem = problemOf(rows, defaultLabel);
  const { submit, busy, error } = useSubmit(async () => {
    if (problem) return;
    const answer = await saveSettings({
      labels: rows.map(({ key, color, name, name_en }) => ({ key, color: color.toLowerCase(), name: name.trim(), name_en: name_en.trim() })),
      default_label: defaultLabel,
    });
    setRows(answer.labels.map((label) => ({ ...label, saved: true })));
    setDefaultLabel(answer.default_label);
    setSaved(true);
  });

  const change = (index: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((all) => all.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  };
  const remove = (index: number) => {
    setSaved(false);
    setRows((all) => all.filter((_, i) => i !== index));
  };
  const add = () => {
    setSaved(false);
    setRows((all) => [...all, { key: `label${all.length + 1}`, color: '#6a1b9a', name: '', name_en: '', saved: false }]);
  };

  return (
    <form onSubmit={submit} class="dz-settings-form" data-testid="label-settings-form">
      <p class="field-hint">{t('disaster.settings.lead')}</p>
      <ol class="plain-list dz-label-rows">
        {rows.map((row, i) => (
          <li key={i} class="dz-label-row" data-testid="label-row" data-key={row.key}>
            <div class="dz-label-row-head">
              <LabelBadge label={{ ...row, name: row.name || row.key }} />
              <label class="dz-radio">
                <input
                  type="radio"
                  name="dz-default-label"
                  checked={defaultLabel === row.key}
                  onChange={() => {
                    setSaved(false);
                    setDefaultLabel(row.key);
                  }}
                  data-testid="label-default"
                />
                <span>{t('disaster.settings.default')}</span>
              </label>
              <button
                type="button"
                class="button button-quiet button-small"
                disabled={rows.length <= LABELS_MIN}
                onClick={() => remove(i)}
                data-testid="label-remove"
              >
                {t('disaster.settings.remove')}
              </button>
            </div>
            <div class="dz-label-fields">
              <div class="field">
                <label for={`dz-label-key-${i}`}>{t('disaster.settings.key')}</label>
                <input
                  id={`dz-label-key-${i}`}
                  value={row.key}
                  readOnly={row.saved}
                  pattern="[a-z0-9_]{1,20}"
                  maxLength={20}
                  onInput={(e) => change(i, { key: e.currentTarget.value })}
                  data-testid="label-key"
                />
              </div>
              <div class="field dz-color-field">
                <label for={`dz-label-color-${i}`}>{t('disaster.settings.color')}</label>
                <input id={`dz-label-color-${i}`} type="color" value={row.color} onInput={(e) => change(i, { color: e.currentTarget.value })} data-testid="label-color" />
              </div>
              <div class="field">
                <label for={`dz-label-name-${i}`}>{t('disaster.settings.name')}</label>
                <input
                  id={`dz-label-name-${i}`}
                  value={row.name}
                  maxLength={LABEL_NAME_MAX}
                  required
                  onInput={(e) => change(i, { name: e.currentTarget.value })}
                  data-testid="label-name"
                />
              </div>
              <div class="field">
                <label for={`dz-label-name-en-${i}`}>{t('disaster.settings.name_en')}</label>
                <input
                  id={`dz-label-name-en-${i}`}
                  lang="en"
                  value={row.name_en}
                  maxLength={LABEL_NAME_MAX}
                  onInput={(e) => change(i, { name_en: e.currentTarget.value })}
                  data-testid="label-name-en"
                />
              </div>
            </div>
          </li>
        ))}
      </ol>
      <p class="field-hint">
        {settings.tile_url ? t('disaster.settings.tiles', { attribution: settings.tile_attribution || settings.tile_url }) : t('disaster.settings.no_tiles')}
      </p>
      {problem ? (
        <p class="field-error" role="status" data-testid="label-settings-problem">
          {t(problem, { min: LABELS_MIN, max: LABELS_MAX, chars: LABEL_NAME_MAX })}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      {saved ? (
        <p class="notice notice-success" role="status" data-testid="label-settings-saved">
          {t('disaster.settings.saved')}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="button" class="button button-secondary" disabled={rows.length >= LABELS_MAX} onClick={add} data-testid="label-add">
          {t('disaster.settings.add')}
        </button>
        <button type="submit" class="button button-primary" disabled={busy || problem !== null} data-testid="label-settings-save">
          {t('disaster.settings.save')}
        </button>
      </div>
    </form>
  );
}

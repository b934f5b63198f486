// 避難所の一覧 on the events page, for the city: the municipality's shelters and a form to add one.
import { useState } from 'preact/hooks';
import { ACCESSIBILITY, addShelter, listShelters, type Shelter } from '../api/disaster_calls';
import { formatNumber } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError, ErrorMessage } from '../components/error_message';
import { InputField } from '../components/form_field';
import { accessibilityName } from './places';

const EMPTY = { name: '', address: '', district: '', lat: '', lon: '', capacity: '' };

export function SheltersSection() {
  const lang = useLang();
  const [resource, reload] = useResource((signal) => listShelters(signal), []);
  const [added, setAdded] = useState<Shelter[]>([]);
  const [form, setForm] = useState(EMPTY);
  const [access, setAccess] = useState<string[]>([]);
  const save = useSubmit(async () => {
    const shelter = await addShelter({
      name: form.name.trim(),
      address: form.address.trim(),
      district: form.district.trim(),
      lat: form.lat ? Number(form.lat) : null,
      lon: form.lon ? Number(form.lon) : null,
      capacity: Number(form.capacity || 0),
      accessibility: access,
    });
    setAdded((prev) => [...prev, shelter]);
    setForm(EMPTY);
    setAccess([]);
  });
  const shelters = resource.state === 'ok' ? [...resource.data, ...added.filter((a) => !resource.data.some((s) => s.id === a.id))] : [];
  const field = (key: keyof typeof EMPTY, extra: Record<string, unknown> = {}) => (
    <InputField id={`dz-shelter-${key}`} label={t(`disaster.shelters.${key}`)} value={form[key]} onValue={(v) => setForm({ ...form, [key]: v })} data-testid={`shelter-${key}`} {...extra} />
  );
  return (
    <section class="card dz-shelters" aria-labelledby="dz-shelters-title" data-testid="shelters">
      <h2 id="dz-shelters-title" class="section-title">
        {t('disaster.shelters.title')}
      </h2>
      {resource.state === 'error' ? <ErrorMessage error={resource.error} onRetry={reload} /> : null}
      {resource.state === 'ok' && shelters.length === 0 ? <p class="field-hint">{t('disaster.shelters.none')}</p> : null}
      <ul class="plain-list dz-shelters-list">
        {shelters.map((s) => (
          <li key={s.id} data-testid="shelter-item" data-shelter={s.id}>
            <strong>{s.name}</strong>（{s.district}）{t('disaster.shelters.capacity_n', { n: formatNumber(s.capacity, lang, 0) })}
            {s.accessibility.length > 0 ? ` ・ ${s.accessibility.map(accessibilityName).join('、')}` : null}
          </li>
        ))}
      </ul>
      <details class="dz-broadcast-form-box">
        <summary class="button button-secondary" data-testid="shelter-add-open">
          {t('disaster.shelters.add')}
        </summary>
        <form onSubmit={save.submit} data-testid="shelter-add-form">
          <div class="dz-shelter-form">
            {field('name', { required: true, maxLength: 100 })}
            {field('address', { maxLength: 200 })}
            {field('district', { maxLength: 50 })}
            {field('lat', { inputMode: 'decimal' })}
            {field('lon', { inputMode: 'decimal' })}
            {field('capacity', { type: 'number', min: 0, inputMode: 'numeric' })}
          </div>
          <fieldset class="dz-fieldset">
            <legend>{t('disaster.shelters.accessibility')}</legend>
            <div class="dz-choice-grid">
              {ACCESSIBILITY.map((a) => (
                <label key={a} class="dz-filter-chip" data-testid="shelter-access" data-value={a}>
                  <input type="checkbox" checked={access.includes(a)} onChange={(e) => setAccess(e.currentTarget.checked ? [...access, a] : access.filter((x) => x !== a))} />
                  <span>{accessibilityName(a)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          {save.error ? (
            <p class="notice notice-error" role="alert" data-testid="shelter-add-error">
              {tOptional(`disaster.shelters.error.${save.error.code}`, describeError(save.error))}
            </p>
          ) : null}
          <button type="submit" class="button button-primary" disabled={save.busy || !form.name.trim()} data-testid="shelter-add-submit">
            {t('disaster.shelters.add')}
          </button>
        </form>
      </details>
    </section>
  );
}

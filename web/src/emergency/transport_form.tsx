import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { searchOrganizations, type DirectoryOrganization } from '../api/directory';
import { recordTransport, type Transport } from '../api/emergency';
import { formatDateTimeShort, fromLocalInput, toLocalInput } from '../common/format';
import { t, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';

/** The select's value for "a hospital not in the directory: write its name". */
const OTHER = '_other';

type Field = 'departed_at' | 'hospital' | 'hospital_name' | 'condition';

/** Hospitals first, then clinics, each in the directory's order. */
function loadDestinations(signal: AbortSignal): Promise<{ hospitals: DirectoryOrganization[]; clinics: DirectoryOrganization[] }> {
  return Promise.all([searchOrganizations({ kind: 'hospital' }, signal), searchOrganizations({ kind: 'clinic' }, signal)]).then(
    ([hospitals, clinics]) => ({ hospitals, clinics }),
  );
}

/**
 * 搬送を記録: departure time (now unless changed), the receiving hospital from the directory or
 * by name, and the patient's condition. A hospital of the directory may then read the sheet.
 */
export function TransportForm({ person, onRecorded }: { person: number; onRecorded: (transport: Transport) => void }) {
  const lang = useLang();
  const [destinations] = useResource(loadDestinations, []);
  // Left untouched, the time follows the clock and the server records "now".
  const [departed, setDeparted] = useState<string | null>(null);
  const [hospital, setHospital] = useState('');
  const [hospitalName, setHospitalName] = useState('');
  const [condition, setCondition] = useState('');
  const [missing, setMissing] = useState<Field | null>(null);
  const [done, setDone] = useState<Transport | null>(null);

  const { submit, busy, error } = useSubmit(async () => {
    const empty: Field | null =
      departed !== null && !fromLocalInput(departed)
        ? 'departed_at'
        : !hospital
          ? 'hospital'
          : hospital === OTHER && !hospitalName.trim()
            ? 'hospital_name'
            : !condition.trim()
              ? 'condition'
              : null;
    setMissing(empty);
    setDone(null);
    if (empty) {
      document.getElementById(`tr-${empty}`)?.focus();
      return;
    }
    const transport = await recordTransport(person, {
      ...(departed !== null ? { departed_at: fromLocalInput(departed)! } : {}),
      ...(hospital === OTHER ? { hospital_name: hospitalName.trim() } : { hospital }),
      condition: condition.trim(),
    });
    setDone(transport);
    setDeparted(null);
    setHospital('');
    setHospitalName('');
    setCondition('');
    onRecorded(transport);
  });
  const invalid = missing ?? fieldOf(error);
  /** An edit of the field that was missing takes its message away. */
  const edited = (field: Field) => {
    if (missing === field) setMissing(null);
  };
  const errorFor = (field: Field) =>
    invalid === field ? (
      <p id={`tr-${field}-error`} class="field-error" data-testid={`transport-${field}-error`}>
        {missing === field ? t(`emergency.transport.required.${field}`) : describeError(error!)}
      </p>
    ) : null;
  const described = (field: Field) => (invalid === field ? { 'aria-invalid': 'true' as const, 'aria-describedby': `tr-${field}-error` } : {});

  return (
    <form class="form em-transport-form" onSubmit={submit} noValidate data-testid="transport-form">
      <h3 class="em-form-title">{t('emergency.transport.record')}</h3>
      {done ? (
        <div class="notice notice-success" role="status" data-testid="transport-done">
          <p>{t('emergency.transport.recorded', { hospital: done.hospital?.name ?? done.hospital_name })}</p>
          {done.hospital && done.hospital_access_until ? (
            <p data-testid="transport-hospital-access">
              {t('emergency.transport.hospital_access', {
                hospital: done.hospital.name,
                time: formatDateTimeShort(done.hospital_access_until, lang),
              })}
            </p>
          ) : null}
        </div>
      ) : null}
      <div class="field">
        <label for="tr-departed_at">{t('emergency.transport.departed_at')}</label>
        <input
          id="tr-departed_at"
          type="datetime-local"
          value={departed ?? toLocalInput(Date.now())}
          onInput={(e) => {
            setDeparted(e.currentTarget.value);
            edited('departed_at');
          }}
          {...described('departed_at')}
          data-testid="transport-departed"
        />
        {errorFor('departed_at')}
      </div>
      <div class="field">
        <label for="tr-hospital">{t('emergency.transport.hospital')}</label>
        <select id="tr-hospital" value={hospital} onChange={(e) => {
            setHospital(e.currentTarget.value);
            edited('hospital');
          }} {...described('hospital')} data-testid="transport-hospital">
          <option value="">{t('emergency.transport.hospital_pick')}</option>
          {destinations.state === 'ok' ? (
            <>
              <OrganizationGroup label={t('emergency.transport.hospitals')} organizations={destinations.data.hospitals} />
              <OrganizationGroup label={t('emergency.transport.clinics')} organizations={destinations.data.clinics} />
            </>
          ) : null}
          <option value={OTHER}>{t('emergency.transport.hospital_other')}</option>
        </select>
        {destinations.state === 'error' ? <p class="field-hint">{t('emergency.transport.directory_failed')}</p> : null}
        {errorFor('hospital')}
      </div>
      {hospital === OTHER ? (
        <div class="field">
          <label for="tr-hospital_name">{t('emergency.transport.hospital_name')}</label>
          <input
            id="tr-hospital_name"
            type="text"
            value={hospitalName}
            onInput={(e) => {
              setHospitalName(e.currentTarget.value);
              edited('hospital_name');
            }}
            {...described('hospital_name')}
            data-testid="transport-hospital-name"
          />
          {errorFor('hospital_name')}
        </div>
      ) : null}
      <div class="field">
        <label for="tr-condition">{t('emergency.transport.condition')}</label>
        <textarea
          id="tr-condition"
          rows={3}
          value={condition}
          placeholder={t('emergency.transport.condition_placeholder')}
          onInput={(e) => {
            setCondition(e.currentTarget.value);
            edited('condition');
          }}
          {...described('condition')}
          data-testid="transport-condition"
        />
        {errorFor('condition')}
      </div>
      {error && !fieldOf(error) ? (
        <div class="notice notice-error" role="alert" data-testid="transport-error">
          <p>{describeError(error)}</p>
        </div>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy} data-testid="transport-submit">
          {t('emergency.transport.submit')}
        </button>
      </div>
    </form>
  );
}

function OrganizationGroup({ label, organizations }: { label: string; organizations: DirectoryOrganization[] }) {
  if (organizations.length === 0) return null;
  return (
    <optgroup label={label}>
      {organizations.map((org) => (
        <option key={org.code} value={org.code}>
          {org.name}
        </option>
      ))}
    </optgroup>
  );
}

function fieldOf(error: ApiError | null): Field | null {
  if (!error || error.status !== 400) return null;
  const field = error.field;
  return field === 'departed_at' || field === 'hospital' || field === 'hospital_name' || field === 'condition' ? field : null;
}

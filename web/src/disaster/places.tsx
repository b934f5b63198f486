// Shelters and care facilities of an event: their cards (as on the map's dialog and the facility
// page) and the report forms: a shelter's opening and occupancy for the city, a facility's status
// and services for its own staff or the city.
import { useState } from 'preact/hooks';
import {
  FACILITY_STATUSES,
  reportFacility,
  reportShelter,
  type Facility,
  type FacilityStatus,
  type ShelterPlace,
} from '../api/disaster_calls';
import type { OrganizationRef } from '../api/auth';
import { formatDateTimeShort, formatNumber } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { useSubmit } from '../common/use_submit';
import { ErrorMessage } from '../components/error_message';

export function accessibilityName(code: string): string {
  return tOptional(`disaster.place.access.${code}`, code);
}

export function facilityKindName(kind: string): string {
  return tOptional(`disaster.place.kind.${kind}`, kind);
}

export function facilityStatusName(status: string): string {
  return tOptional(`disaster.place.status.${status}`, status);
}

/** Whether the signed-in user may report on this facility: its own staff (matched by name, as /me names the organisation) or the city. */
export function mayReportFacility(facility: Facility, organization: OrganizationRef | null, manage: boolean): boolean {
  return manage || (organization !== null && organization.name === facility.name);
}

function ReportedBy({ at, by }: { at: string; by: { name: string } | null }) {
  const lang = useLang();
  return (
    <p class="dz-check-hint" data-testid="place-reported">
      {t('disaster.place.reported', { at: formatDateTimeShort(at, lang), name: by?.name ?? '—' })}
    </p>
  );
}

export function ShelterCard({ eventId, shelter, writable, onChange }: { eventId: number | string; shelter: ShelterPlace; writable: boolean; onChange: (s: ShelterPlace) => void }) {
  const lang = useLang();
  const session = useSession();
  const report = shelter.report;
  return (
    <div class="dz-place-card" data-testid="shelter-card" data-shelter={shelter.id}>
      <p class="dz-place-kind">
        <span class="dz-place-icon dz-place-icon-shelter" aria-hidden="true" />
        {t('disaster.place.shelter')}
      </p>
      <p class="dz-place-address">
        {shelter.address}（{shelter.district}）
      </p>
      <p>
        {report ? (
          <span class={report.open ? 'badge badge-ok' : 'badge badge-muted'} data-testid="shelter-open" data-open={report.open}>
            {report.open ? t('disaster.place.open') : t('disaster.place.closed')}
          </span>
        ) : (
          <span class="badge badge-muted" data-testid="shelter-open" data-open="">
            {t('disaster.place.no_report')}
          </span>
        )}{' '}
        <span data-testid="shelter-occupancy">
          {t('disaster.place.occupancy', { n: report ? formatNumber(report.occupancy, lang, 0) : '—', capacity: formatNumber(shelter.capacity, lang, 0) })}
        </span>
      </p>
      {shelter.accessibility.length > 0 ? (
        <ul class="plain-list dz-place-tags">
          {shelter.accessibility.map((a) => (
            <li key={a} class="badge badge-muted">
              {accessibilityName(a)}
            </li>
          ))}
        </ul>
      ) : null}
      {report?.message ? <p class="dz-place-message">{report.message}</p> : null}
      {report ? <ReportedBy at={report.at} by={report.by} /> : null}
      {writable && hasPermission(session, 'disaster.manage') ? <ShelterReportForm eventId={eventId} shelter={shelter} onChange={onChange} /> : null}
    </div>
  );
}

function ShelterReportForm({ eventId, shelter, onChange }: { eventId: number | string; shelter: ShelterPlace; onChange: (s: ShelterPlace) => void }) {
  const [open, setOpen] = useState(shelter.report?.open ?? true);
  const [occupancy, setOccupancy] = useState(String(shelter.report?.occupancy ?? 0));
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState(false);
  const save = useSubmit(async () => {
    onChange(await reportShelter(eventId, shelter.id, { open, occupancy: Number(occupancy), message: message.trim() }));
    setSaved(true);
  });
  return (
    <form class="dz-place-form" onSubmit={save.submit} data-testid="shelter-report-form">
      <h3 class="dz-card-title">{t('disaster.place.report_shelter')}</h3>
      <label class="dz-check">
        <input type="checkbox" checked={open} onChange={(e) => setOpen(e.currentTarget.checked)} data-testid="shelter-report-open" />
        <span>{t('disaster.place.open')}</span>
      </label>
      <div class="field">
        <label for={`dz-occ-${shelter.id}`}>{t('disaster.place.occupancy_label')}</label>
        <input
          id={`dz-occ-${shelter.id}`}
          type="number"
          inputMode="numeric"
          min={0}
          max={100000}
          value={occupancy}
          onInput={(e) => setOccupancy(e.currentTarget.value)}
          data-testid="shelter-report-occupancy"
        />
      </div>
      <div class="field">
        <label for={`dz-smsg-${shelter.id}`}>{t('disaster.place.message')}</label>
        <input id={`dz-smsg-${shelter.id}`} value={message} maxLength={1000} onInput={(e) => setMessage(e.currentTarget.value)} data-testid="shelter-report-message" />
      </div>
      {save.error ? <ErrorMessage error={save.error} /> : null}
      {saved ? (
        <p class="notice notice-success" role="status" data-testid="place-report-saved">
          {t('disaster.place.saved')}
        </p>
      ) : null}
      <button type="submit" class="button button-primary button-wide" disabled={save.busy || !/^\d+$/.test(occupancy)} data-testid="shelter-report-submit">
        {t('disaster.place.submit')}
      </button>
    </form>
  );
}

export function FacilityCard({ eventId, facility, writable, onChange }: { eventId: number | string; facility: Facility; writable: boolean; onChange: (f: Facility) => void }) {
  const session = useSession();
  const report = facility.report;
  const user = session.status === 'signed_in' ? session.user : null;
  const may = writable && mayReportFacility(facility, user?.organization ?? null, hasPermission(session, 'disaster.manage'));
  return (
    <div class="dz-place-card" data-testid="facility-card" data-facility={facility.id}>
      <p class="dz-place-kind">
        <span class="dz-place-icon dz-place-icon-facility" aria-hidden="true" />
        {facilityKindName(facility.kind)}
      </p>
      <p class="dz-place-address">{facility.address}</p>
      {facility.phone ? (
        <a class="button button-secondary dz-call-phone" href={`tel:${facility.phone.replace(/[^0-9+]/g, '')}`} data-testid="facility-phone">
          ☎ {facility.phone}
        </a>
      ) : null}
      <p>
        <span class={`dz-status dz-status-${report?.status ?? 'none'}`} data-testid="facility-status" data-status={report?.status ?? ''}>
          {report ? facilityStatusName(report.status) : t('disaster.place.no_report')}
        </span>
      </p>
      {report && report.services.length > 0 ? (
        <ul class="plain-list dz-place-tags" data-testid="facility-services">
          {report.services.map((s) => (
            <li key={s} class="badge badge-muted">
              {s}
            </li>
          ))}
        </ul>
      ) : null}
      {report?.message ? <p class="dz-place-message">{report.message}</p> : null}
      {report ? <ReportedBy at={report.at} by={report.by} /> : null}
      {may ? <FacilityReportForm eventId={eventId} facility={facility} onChange={onChange} /> : null}
    </div>
  );
}

export function FacilityReportForm({ eventId, facility, onChange }: { eventId: number | string; facility: Facility; onChange: (f: Facility) => void }) {
  const [status, setStatus] = useState<FacilityStatus>((facility.report?.status as FacilityStatus) ?? 'open');
  const [services, setServices] = useState((facility.report?.services ?? []).join('、'));
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState(false);
  const save = useSubmit(async () => {
    const words = services
      .split(/[、,，\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    onChange(await reportFacility(eventId, facility.id, { status, services: words, message: message.trim() }));
    setSaved(true);
  });
  return (
    <form class="dz-place-form" onSubmit={save.submit} data-testid="facility-report-form">
      <h3 class="dz-card-title">{t('disaster.place.report_facility')}</h3>
      <fieldset class="dz-fieldset">
        <legend>{t('disaster.place.status')}</legend>
        <div class="dz-location-choices">
          {FACILITY_STATUSES.map((s) => (
            <label key={s} class={status === s ? 'dz-location-choice is-checked' : 'dz-location-choice'} data-testid="facility-report-status" data-status={s}>
              <input type="radio" class="visually-hidden" name={`dz-fstatus-${facility.id}`} value={s} checked={status === s} onChange={() => setStatus(s)} />
              <span class={`dz-status-dot dz-status-${s}`} aria-hidden="true" />
              <span>{facilityStatusName(s)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for={`dz-fserv-${facility.id}`}>{t('disaster.place.services')}</label>
        <input id={`dz-fserv-${facility.id}`} value={services} maxLength={500} onInput={(e) => setServices(e.currentTarget.value)} data-testid="facility-report-services" />
        <p class="field-hint">{t('disaster.place.services_hint')}</p>
      </div>
      <div class="field">
        <label for={`dz-fmsg-${facility.id}`}>{t('disaster.place.message')}</label>
        <textarea id={`dz-fmsg-${facility.id}`} rows={2} value={message} maxLength={1000} onInput={(e) => setMessage(e.currentTarget.value)} data-testid="facility-report-message" />
      </div>
      {save.error ? <ErrorMessage error={save.error} /> : null}
      {saved ? (
        <p class="notice notice-success" role="status" data-testid="place-report-saved">
          {t('disaster.place.saved')}
        </p>
      ) : null}
      <button type="submit" class="button button-primary button-wide" disabled={save.busy} data-testid="facility-report-submit">
        {t('disaster.place.submit')}
      </button>
    </form>
  );
}

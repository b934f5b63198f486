// The map page's two extra layers, 避難所 and 医療・介護施設: their toggles, the places as map
// marks, and the dialog of the place chosen (its card and, for those who may, its report form).
import { useMemo, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { getPlaces, type Facility, type Places, type ShelterPlace } from '../api/disaster_calls';
import { t, useLang } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { asApiError, useResource } from '../common/use_resource';
import { Dialog } from '../components/dialog';
import type { MapPlace } from './people_map';
import { FacilityCard, ShelterCard, facilityKindName } from './places';

export interface PlaceShown {
  shelter: boolean;
  facility: boolean;
}

/** The places of the event (for those with disaster.places), kept up to date after each report. */
export function usePlaces(eventId: string) {
  const session = useSession();
  const may = hasPermission(session, 'disaster.places');
  const [resource] = useResource((signal) => (may ? getPlaces(eventId, signal) : Promise.resolve<Places>({ shelters: [], facilities: [] })), [eventId, may]);
  const [changed, setChanged] = useState<Places | null>(null);
  const [shown, setShown] = useState<PlaceShown>({ shelter: false, facility: false });
  const data = changed ?? (resource.state === 'ok' ? resource.data : null);
  const error: ApiError | null = resource.state === 'error' ? asApiError(resource.error) : null;
  const shelterMarks = useMemo<MapPlace[]>(
    () =>
      (data?.shelters ?? [])
        .filter((s) => s.lat !== null && s.lon !== null)
        .map((s) => ({ kind: 'shelter', id: s.id, lat: s.lat!, lon: s.lon!, title: s.name, mark: t('disaster.place.shelter_mark'), status: s.report ? (s.report.open ? 'open' : 'closed') : '' })),
    [data],
  );
  const facilityMarks = useMemo<MapPlace[]>(
    () =>
      (data?.facilities ?? [])
        .filter((f) => f.lat !== null && f.lon !== null)
        .map((f) => ({ kind: 'facility', id: f.id, lat: f.lat!, lon: f.lon!, title: `${f.name}（${facilityKindName(f.kind)}）`, mark: [...facilityKindName(f.kind)][0] ?? '', status: f.report?.status ?? '' })),
    [data],
  );
  const replace = (place: ShelterPlace | Facility, kind: 'shelter' | 'facility') => {
    if (!data) return;
    setChanged(
      kind === 'shelter'
        ? { ...data, shelters: data.shelters.map((s) => (s.id === place.id ? (place as ShelterPlace) : s)) }
        : { ...data, facilities: data.facilities.map((f) => (f.id === place.id ? (place as Facility) : f)) },
    );
  };
  return { may, data, error, shown, setShown, shelterMarks, facilityMarks, replace };
}

export function PlaceToggles({ shown, onChange }: { shown: PlaceShown; onChange: (next: PlaceShown) => void }) {
  useLang();
  return (
    <fieldset class="dz-fieldset dz-place-toggles" data-testid="place-toggles">
      <legend>{t('disaster.place.layers')}</legend>
      <label class="dz-filter-chip" data-testid="toggle-shelters">
        <input type="checkbox" checked={shown.shelter} onChange={(e) => onChange({ ...shown, shelter: e.currentTarget.checked })} />
        <span class="dz-place-icon dz-place-icon-shelter" aria-hidden="true" />
        <span>{t('disaster.place.shelters')}</span>
      </label>
      <label class="dz-filter-chip" data-testid="toggle-facilities">
        <input type="checkbox" checked={shown.facility} onChange={(e) => onChange({ ...shown, facility: e.currentTarget.checked })} />
        <span class="dz-place-icon dz-place-icon-facility" aria-hidden="true" />
        <span>{t('disaster.place.facilities')}</span>
      </label>
    </fieldset>
  );
}

export function PlaceDialog({
  eventId,
  place,
  data,
  writable,
  onClose,
  onChange,
}: {
  eventId: string;
  place: MapPlace | null;
  data: Places | null;
  writable: boolean;
  onClose: () => void;
  onChange: (place: ShelterPlace | Facility, kind: 'shelter' | 'facility') => void;
}) {
  const shelter = place?.kind === 'shelter' ? data?.shelters.find((s) => s.id === place.id) : undefined;
  const facility = place?.kind === 'facility' ? data?.facilities.find((f) => f.id === place.id) : undefined;
  return (
    <Dialog open={place !== null} title={shelter?.name ?? facility?.name ?? ''} onClose={onClose} testId="place-dialog">
      {shelter ? <ShelterCard key={`s${shelter.id}`} eventId={eventId} shelter={shelter} writable={writable} onChange={(s) => onChange(s, 'shelter')} /> : null}
      {facility ? <FacilityCard key={`f${facility.id}`} eventId={eventId} facility={facility} writable={writable} onChange={(f) => onChange(f, 'facility')} /> : null}
    </Dialog>
  );
}

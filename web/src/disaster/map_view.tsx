import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import type { MapPerson } from '../api/disaster';
import { formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';
import type { MapLabel, MapPlace, PeopleMap } from './people_map';

export interface MapHandle {
  focus: (personId: number) => void;
}

interface Props {
  tileUrl: string;
  tileAttribution: string;
  labels: MapLabel[];
  people: readonly MapPerson[];
  onSelect: (personId: number) => void;
  /** Shelters and facilities to show (null: that layer hidden). */
  shelters?: readonly MapPlace[] | null;
  facilities?: readonly MapPlace[] | null;
  onSelectPlace?: (place: MapPlace) => void;
  handle: Ref<MapHandle>;
}

/**
 * The map pane: Leaflet is loaded when the pane first shows, then follows the labels and people
 * given. Without tiles (none set, offline, blocked) the markers stay on a plain light background.
 */
export function MapView({ tileUrl, tileAttribution, labels, people, onSelect, shelters = null, facilities = null, onSelectPlace, handle }: Props) {
  const lang = useLang();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<PeopleMap | null>(null);
  const [failed, setFailed] = useState<'tiles' | 'script' | null>(tileUrl ? null : 'tiles');
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const selectPlace = useRef(onSelectPlace);
  selectPlace.current = onSelectPlace;

  useEffect(() => {
    let alive = true;
    let created: PeopleMap | null = null;
    import('./people_map').then(
      ({ PeopleMap }) => {
        if (!alive || !container.current) return;
        created = new PeopleMap(container.current, {
          tileUrl,
          tileAttribution,
          onSelect: (id) => select.current(id),
          onTilesFailed: () => setFailed((f) => f ?? 'tiles'),
          onProgress: (added, total) => setProgress(added < total ? [added, total] : null),
        });
        setMap(created);
      },
      (err: unknown) => {
        console.error('map could not be loaded', err);
        if (alive) setFailed('script');
      },
    );
    return () => {
      alive = false;
      created?.destroy();
    };
  }, [tileUrl, tileAttribution]);

  useEffect(() => {
    map?.setLabels(labels);
  }, [map, labels]);

  useEffect(() => {
    map?.setPeople(people);
  }, [map, people, labels]);

  useEffect(() => {
    map?.setPlaces('shelter', shelters, (place) => selectPlace.current?.(place));
  }, [map, shelters]);

  useEffect(() => {
    map?.setPlaces('facility', facilities, (place) => selectPlace.current?.(place));
  }, [map, facilities]);

  useImperativeHandle(handle, () => ({ focus: (id: number) => map?.focus(id) }), [map]);

  return (
    <div class="dz-map-frame">
      <div
        ref={container}
        class="dz-map"
        role="region"
        aria-label={t('disaster.map.region')}
        data-testid="people-map"
        data-ready={map !== null}
        data-tiles={tileUrl && failed === null ? 'on' : 'off'}
      />
      {map === null && failed !== 'script' ? <p class="dz-map-status">{t('disaster.map.loading')}</p> : null}
      {progress ? (
        <p class="dz-map-status" role="status">
          {t('disaster.map.adding', { added: formatNumber(progress[0], lang, 0), total: formatNumber(progress[1], lang, 0) })}
        </p>
      ) : null}
      {failed ? (
        <p class="dz-map-note" data-testid="map-no-tiles">
          {failed === 'script' ? t('disaster.map.script_failed') : t('disaster.map.no_tiles')}
        </p>
      ) : null}
    </div>
  );
}

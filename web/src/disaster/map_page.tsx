import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { getEvent, getSettings, listPeople, NEED_CODES, type MapPerson, type PeopleAnswer, type SafetyAnswer, type SafetyLabel } from '../api/disaster';
import { formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';
import { asApiError, useResource } from '../common/use_resource';
import { Denied } from '../components/denied';
import { Dialog } from '../components/dialog';
import { ErrorMessage } from '../components/error_message';
import { InputField, SelectField } from '../components/form_field';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { EventLinks } from './event_page';
import { labelName, needName } from './labels';
import { MapView, type MapHandle } from './map_view';
import { EventHeading, OutageBanner } from './parts';
import { PeopleList } from './people_list';
import { PlaceDialog, PlaceToggles, usePlaces } from './place_layers';
import { PersonCardView } from './person_card';
import type { MapLabel, MapPlace } from './people_map';
import './disaster.css';

interface Filters {
  /** The labels shown; null: all of them. */
  labels: string[] | null;
  need: string;
  district: string;
  q: string;
}

const NO_FILTERS: Filters = { labels: null, need: '', district: '', q: '' };

/** The people of one answer, the most urgent label first (the settings' order), then by kana. */
function sortPeople(people: MapPerson[], labels: SafetyLabel[]): MapPerson[] {
  const rank = new Map(labels.map((label, i) => [label.key, i]));
  return [...people].sort((a, b) => (rank.get(a.label) ?? 99) - (rank.get(b.label) ?? 99) || (a.kana < b.kana ? -1 : a.kana > b.kana ? 1 : a.id - b.id));
}

/** The people list with its filters as the server answers it; the last answer stays while the next loads. */
function usePeople(eventId: string, filters: Filters) {
  const [answer, setAnswer] = useState<PeopleAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const labelKey = filters.labels?.join(',') ?? '*';

  useEffect(() => {
    if (filters.labels !== null && filters.labels.length === 0) {
      setAnswer((prev) => (prev ? { ...prev, count: 0, people: [] } : prev));
      setLoading(false);
      return undefined;
    }
    const controller = new AbortController();
    setLoading(true);
    const delay = window.setTimeout(() => {
      listPeople(eventId, { labels: filters.labels ?? undefined, need: filters.need, district: filters.district, q: filters.q }, controller.signal).then(
        (next) => {
          if (controller.signal.aborted) return;
          setAnswer({ ...next, people: sortPeople(next.people, next.labels) });
          setError(null);
          setLoading(false);
        },
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setError(asApiError(err));
          setLoading(false);
        },
      );
    }, filters.q ? 300 : 0);
    return () => {
      window.clearTimeout(delay);
      controller.abort();
    };
  }, [eventId, labelKey, filters.need, filters.district, filters.q, generation]);

  /** Shows a post's result at once, without loading the whole list again. */
  const applyPost = (personId: number, answer: SafetyAnswer) =>
    setAnswer((prev) =>
      prev
        ? {
            ...prev,
            people: prev.people.map((p) =>
              p.id === personId
                ? { ...p, label: answer.status.label, location: answer.status.location, shelter: answer.status.shelter, updated_at: answer.status.updated_at }
                : p,
            ),
          }
        : prev,
    );

  return { answer, error, loading, reload: () => setGeneration((g) => g + 1), applyPost };
}

/**
 * 要援護者一覧: the people of an event the caller may see, on a map (coloured, clustered markers)
 * and in a list beside it (under it on a phone), filtered by label, need, district and name; a
 * person's card opens from either, with the safety form.
 */
export function MapPage({ id }: { id: string }) {
  const lang = useLang();
  const [event] = useResource((signal) => getEvent(id, signal), [id]);
  const [settings] = useResource((signal) => getSettings(signal), []);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const { answer, error, loading, reload, applyPost } = usePeople(id, filters);
  const [selected, setSelected] = useState<number | null>(null);
  const map = useRef<MapHandle>(null);
  const places = usePlaces(id);
  const [placeShown, setPlaceShown] = useState<MapPlace | null>(null);

  const labels = answer?.labels ?? (settings.state === 'ok' ? settings.data.labels : []);
  const mapLabels = useMemo<MapLabel[]>(() => labels.map((label) => ({ ...label, shown: labelName(label, lang) })), [labels, lang]);
  const people = answer?.people ?? [];
  const selectedPerson = selected === null ? null : (people.find((p) => p.id === selected) ?? null);

  const denied = [event, settings].some((r) => r.state === 'error' && r.error.status === 403) || error?.status === 403;
  if (denied) return <Denied />;

  const open = (person: MapPerson) => {
    setSelected(person.id);
    map.current?.focus(person.id);
  };

  return (
    <Page
      title={t('disaster.map.title')}
      lead={event.state === 'ok' ? <EventHeading event={event.data} back /> : null}
      actions={event.state === 'ok' ? <EventLinks id={event.data.id} map={false} /> : null}
      testId="disaster-map-page"
    >
      {event.state === 'ok' && event.data.ended_at ? (
        <p class="notice notice-info" data-testid="map-ended">
          {t('disaster.map.ended')}
        </p>
      ) : null}
      {answer ? <OutageBanner outages={answer.outages} /> : null}
      <FilterBar labels={labels} districts={answer?.districts ?? []} filters={filters} onChange={setFilters} />
      <div class="dz-count-line">
        <p class="result-count" role="status" data-testid="people-count" data-count={answer ? people.length : ''} data-loading={loading}>
          {answer
            ? typeof answer.total === 'number'
              ? t('disaster.map.count_of', { n: formatNumber(people.length, lang, 0), total: formatNumber(answer.total, lang, 0) })
              : t('disaster.map.count', { n: formatNumber(people.length, lang, 0) })
            : null}
          {loading ? ` ${t('disaster.map.updating')}` : null}
        </p>
        <button type="button" class="button button-quiet button-small" onClick={reload} disabled={loading} data-testid="people-reload">
          {t('disaster.map.reload')}
        </button>
      </div>
      {places.may ? <PlaceToggles shown={places.shown} onChange={places.setShown} /> : null}
      {error ? <ErrorMessage error={error} onRetry={reload} /> : null}
      {places.error ? <ErrorMessage error={places.error} /> : null}
      {settings.state === 'error' ? <ErrorMessage error={settings.error} /> : null}
      <div class="dz-map-layout">
        {settings.state === 'ok' ? (
          <MapView
            tileUrl={settings.data.tile_url}
            tileAttribution={settings.data.tile_attribution}
            labels={mapLabels}
            people={people}
            onSelect={(personId) => setSelected(personId)}
            shelters={places.shown.shelter ? places.shelterMarks : null}
            facilities={places.shown.facility ? places.facilityMarks : null}
            onSelectPlace={setPlaceShown}
            handle={map}
          />
        ) : (
          <div class="dz-map-frame">
            <Loading />
          </div>
        )}
        <div class="dz-list-pane">
          {answer ? <PeopleList key={JSON.stringify(filters)} people={people} labels={labels} selected={selected} onOpen={open} /> : error ? null : <Loading />}
        </div>
      </div>
      <Dialog open={selected !== null} title={selectedPerson?.name ?? t('disaster.card.title')} onClose={() => setSelected(null)} testId="person-dialog">
        {selected !== null ? (
          <PersonCardView
            key={selected}
            eventId={id}
            personId={selected}
            labels={labels}
            writable={event.state === 'ok' && event.data.ended_at === null}
            onPosted={(posted) => applyPost(selected, posted)}
          />
        ) : null}
      </Dialog>
      <PlaceDialog
        eventId={id}
        place={placeShown}
        data={places.data}
        writable={event.state === 'ok' && event.data.ended_at === null}
        onClose={() => setPlaceShown(null)}
        onChange={places.replace}
      />
    </Page>
  );
}

function FilterBar({
  labels,
  districts,
  filters,
  onChange,
}: {
  labels: SafetyLabel[];
  districts: string[];
  filters: Filters;
  onChange: (next: Filters) => void;
}) {
  const lang = useLang();
  const [more, setMore] = useState(false);
  const shown = filters.labels ?? labels.map((l) => l.key);
  const narrowing = [filters.need, filters.district, filters.q].filter(Boolean).length;
  const toggle = (key: string, on: boolean) => {
    const next = on ? [...shown, key] : shown.filter((k) => k !== key);
    // All of them is no filter at all (also for labels added since).
    onChange({ ...filters, labels: labels.every((l) => next.includes(l.key)) ? null : labels.map((l) => l.key).filter((k) => next.includes(k)) });
  };
  return (
    <form class="card dz-filters" role="search" onSubmit={(e) => e.preventDefault()} data-testid="people-filters">
      <fieldset class="dz-fieldset dz-label-filter">
        <legend>{t('disaster.filter.labels')}</legend>
        {labels.map((label) => (
          <label key={label.key} class="dz-filter-chip" style={{ borderLeftColor: label.color }} data-testid="filter-label" data-label={label.key}>
            <input type="checkbox" checked={shown.includes(label.key)} onChange={(e) => toggle(label.key, e.currentTarget.checked)} />
            <span>{labelName(label, lang)}</span>
          </label>
        ))}
      </fieldset>
      {/* On a phone the other filters fold away, so that the map comes first. */}
      <button
        type="button"
        class="button button-secondary dz-filter-more"
        aria-expanded={more}
        aria-controls="dz-filter-fields"
        onClick={() => setMore(!more)}
        data-testid="filter-more"
      >
        {narrowing > 0 ? t('disaster.filter.more_active', { n: narrowing }) : t('disaster.filter.more')}
      </button>
      <div id="dz-filter-fields" class={more ? 'dz-filter-fields is-open' : 'dz-filter-fields'}>
        <SelectField id="dz-filter-need" label={t('disaster.filter.need')} value={filters.need} onValue={(need) => onChange({ ...filters, need })} data-testid="filter-need">
          <option value="">{t('disaster.filter.all')}</option>
          {NEED_CODES.map((code) => (
            <option key={code} value={code}>
              {needName(code)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="dz-filter-district"
          label={t('disaster.filter.district')}
          value={filters.district}
          onValue={(district) => onChange({ ...filters, district })}
          data-testid="filter-district"
        >
          <option value="">{t('disaster.filter.all')}</option>
          {districts.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </SelectField>
        <InputField
          id="dz-filter-q"
          type="search"
          label={t('disaster.filter.q')}
          value={filters.q}
          placeholder={t('disaster.filter.q_placeholder')}
          onValue={(q) => onChange({ ...filters, q })}
          data-testid="filter-q"
        />
      </div>
    </form>
  );
}

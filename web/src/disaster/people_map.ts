// The Leaflet map of the people list: one round marker per person in the colour of their label,
// with the label's first character on it (the colour is never the only sign), clustered with
// Leaflet.markercluster (a cluster shows how many people it holds and its labels' shares as a
// ring). Loaded lazily with Leaflet itself, so the rest of the app does not carry it.
//
// Markers are added in chunks (chunkedLoading) and kept across updates: a new list of people only
// adds, removes or recolours what changed, so 10,000 people stay smooth on a phone.
//
// The page's Content-Security-Policy allows no inline style attributes; colours are set through
// the element's style object (CSSOM), which it does allow.
import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import type { MapPerson, SafetyLabel } from '../api/disaster';
import { textColorOn } from './labels';

/** 瀬戸市役所, where the map starts when no one has a position. */
const FALLBACK_CENTER: L.LatLngTuple = [35.2234, 137.0842];
const MAX_ZOOM = 18;

export interface PeopleMapOptions {
  tileUrl: string;
  tileAttribution: string;
  /** A marker was clicked or pressed with Enter. */
  onSelect: (personId: number) => void;
  /** No tile could be loaded (offline, blocked): the markers stay on the plain background. */
  onTilesFailed: () => void;
  /** Markers still being added: (added, total). */
  onProgress?: (added: number, total: number) => void;
}

/** What a label looks like on the map, in the UI language. */
export interface MapLabel extends SafetyLabel {
  /** The name shown in the UI language. */
  shown: string;
}

interface Entry {
  marker: L.Marker;
  label: string;
  lat: number;
  lon: number;
  title: string;
}

/** A person's round icon: the label's colour, its first character. */
class LabelIcon extends L.DivIcon {
  constructor(
    private readonly label: MapLabel,
    private readonly personId: number,
  ) {
    super({ className: 'dz-marker', iconSize: [30, 30], iconAnchor: [15, 15], html: '' });
  }

  override createIcon(oldIcon?: HTMLElement): HTMLElement {
    const element = super.createIcon(oldIcon);
    element.style.background = this.label.color;
    element.style.color = textColorOn(this.label.color);
    element.textContent = [...this.label.shown][0] ?? '';
    element.dataset.label = this.label.key;
    element.dataset.person = String(this.personId);
    element.dataset.testid = 'map-marker';
    return element;
  }
}

/** A cluster's icon: its count on a ring of its labels' shares. */
class ClusterIcon extends L.DivIcon {
  constructor(
    private readonly count: number,
    private readonly ring: string,
    private readonly title: string,
  ) {
    const size = count < 10 ? 36 : count < 100 ? 44 : count < 1000 ? 52 : 60;
    super({ className: 'dz-cluster', iconSize: [size, size], html: '' });
  }

  override createIcon(oldIcon?: HTMLElement): HTMLElement {
    const element = super.createIcon(oldIcon);
    element.style.background = this.ring;
    element.title = this.title;
    element.dataset.testid = 'map-cluster';
    element.dataset.count = String(this.count);
    const inner = document.createElement('span');
    inner.className = 'dz-cluster-count';
    inner.textContent = String(this.count);
    element.replaceChildren(inner);
    return element;
  }
}

/** A shelter or a care facility on its own layer, never clustered with the people. */
export interface MapPlace {
  kind: 'shelter' | 'facility';
  id: number;
  lat: number;
  lon: number;
  title: string;
  /** The character on the icon (避, 医, 介…). */
  mark: string;
  /** open, partly, closed or '' (no report). */
  status: string;
}

/** A place's icon: a square (shelter) or a diamond (facility), never a circle like a person. */
class PlaceIcon extends L.DivIcon {
  constructor(private readonly place: MapPlace) {
    super({ className: `dz-place-marker dz-place-${place.kind}`, iconSize: [30, 30], iconAnchor: [15, 15], html: '' });
  }

  override createIcon(oldIcon?: HTMLElement): HTMLElement {
    const element = super.createIcon(oldIcon);
    element.dataset.testid = `map-${this.place.kind}`;
    element.dataset.place = String(this.place.id);
    element.dataset.status = this.place.status;
    const inner = document.createElement('span');
    inner.className = 'dz-place-mark';
    inner.textContent = this.place.mark;
    element.replaceChildren(inner);
    return element;
  }
}

export class PeopleMap {
  private readonly map: L.Map;
  private readonly placeLayers = { shelter: L.layerGroup(), facility: L.layerGroup() };
  private readonly cluster: L.MarkerClusterGroup;
  private readonly entries = new Map<number, Entry>();
  private labels = new Map<string, MapLabel>();
  private fitted = false;
  private tilesLoaded = 0;
  private tileErrors = 0;
  private tilesFailed = false;
  private readonly resize: ResizeObserver | null;
  private tiles: L.TileLayer | null = null;

  constructor(
    container: HTMLElement,
    private readonly options: PeopleMapOptions,
  ) {
    this.map = L.map(container, { center: FALLBACK_CENTER, zoom: 13, maxZoom: MAX_ZOOM, zoomControl: true, preferCanvas: false });
    if (options.tileUrl) {
      const tiles = L.tileLayer(options.tileUrl, { maxZoom: MAX_ZOOM, attribution: escapeHtml(options.tileAttribution) });
      this.tiles = tiles;
      tiles.on('tileload', () => this.tilesLoaded++);
      tiles.on('tileerror', () => {
        this.tileErrors++;
        if (this.tilesLoaded === 0 && this.tileErrors >= 4) this.failTiles();
      });
      tiles.addTo(this.map);
      document.addEventListener('securitypolicyviolation', this.onPolicyViolation);
    }
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkInterval: 120,
      chunkDelay: 30,
      chunkProgress: (added, total) => options.onProgress?.(added, total),
      maxClusterRadius: 50,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      disableClusteringAtZoom: 17,
      iconCreateFunction: (cluster) => this.clusterIcon(cluster),
    });
    this.cluster.on('click', (event: L.LeafletEvent) => {
      const id = personIdOf(event.propagatedFrom as L.Marker | undefined);
      if (id !== undefined) options.onSelect(id);
    });
    this.cluster.addTo(this.map);
    this.resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.map.invalidateSize());
    this.resize?.observe(container);
  }

  /** The labels in settings order, named in the UI language; markers are redrawn when they change. */
  setLabels(labels: MapLabel[]): void {
    const next = new Map(labels.map((label) => [label.key, label]));
    const same =
      next.size === this.labels.size &&
      labels.every((label) => {
        const old = this.labels.get(label.key);
        return old && old.color === label.color && old.shown === label.shown;
      });
    if (same) return;
    this.labels = next;
    for (const [id, entry] of this.entries) entry.marker.setIcon(this.iconFor(entry.label, id));
    this.cluster.refreshClusters();
  }

  /** Shows exactly these people (those with a position); unchanged markers are kept. */
  setPeople(people: readonly MapPerson[]): void {
    const seen = new Set<number>();
    const added: L.Marker[] = [];
    const removed: L.Marker[] = [];
    const changed: L.Marker[] = [];
    for (const person of people) {
      if (person.lat === null || person.lon === null) continue;
      seen.add(person.id);
      const title = `${person.name}（${this.labels.get(person.label)?.shown ?? person.label}）`;
      const entry = this.entries.get(person.id);
      if (!entry) {
        const marker = L.marker([person.lat, person.lon], {
          icon: this.iconFor(person.label, person.id),
          title,
          keyboard: true,
          personId: person.id,
        } as L.MarkerOptions);
        this.entries.set(person.id, { marker, label: person.label, lat: person.lat, lon: person.lon, title });
        added.push(marker);
        continue;
      }
      if (entry.lat !== person.lat || entry.lon !== person.lon) {
        entry.marker.setLatLng([person.lat, person.lon]);
        entry.lat = person.lat;
        entry.lon = person.lon;
      }
      if (entry.label !== person.label || entry.title !== title) {
        entry.label = person.label;
        entry.title = title;
        entry.marker.options.title = title;
        entry.marker.setIcon(this.iconFor(person.label, person.id));
        changed.push(entry.marker);
      }
    }
    for (const [id, entry] of this.entries) {
      if (!seen.has(id)) {
        removed.push(entry.marker);
        this.entries.delete(id);
      }
    }
    if (removed.length > this.entries.size) {
      // Most markers go (a narrower filter): building the clusters again is quicker than taking them out one by one.
      this.cluster.clearLayers();
      this.cluster.addLayers([...this.entries.values()].map((entry) => entry.marker));
    } else {
      if (removed.length > 0) this.cluster.removeLayers(removed);
      if (added.length > 0) this.cluster.addLayers(added);
      if (changed.length > 0) this.cluster.refreshClusters(changed);
    }
    if (!this.fitted && this.entries.size > 0) {
      this.fitted = true;
      const bounds = L.latLngBounds([...this.entries.values()].map((e) => [e.lat, e.lon] as L.LatLngTuple));
      this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
  }

  /** Shows the places of each kind on its own layer (given: shown; absent: hidden). */
  setPlaces(kind: 'shelter' | 'facility', places: readonly MapPlace[] | null, onSelect: (place: MapPlace) => void): void {
    const layer = this.placeLayers[kind];
    layer.clearLayers();
    if (places === null) {
      layer.remove();
      return;
    }
    for (const place of places) {
      const marker = L.marker([place.lat, place.lon], { icon: new PlaceIcon(place), title: place.title, keyboard: true, zIndexOffset: 1000 });
      marker.on('click', () => onSelect(place));
      marker.on('keypress', (e: L.LeafletKeyboardEvent) => {
        if (e.originalEvent.key === 'Enter') onSelect(place);
      });
      layer.addLayer(marker);
    }
    layer.addTo(this.map);
  }

  /** Brings the person's marker into view (out of its cluster) and marks it. */
  focus(personId: number): void {
    const entry = this.entries.get(personId);
    if (!entry) return;
    this.cluster.zoomToShowLayer(entry.marker, () => {
      for (const element of this.map.getContainer().querySelectorAll('.dz-marker.is-selected')) element.classList.remove('is-selected');
      entry.marker.getElement()?.classList.add('is-selected');
    });
  }

  destroy(): void {
    document.removeEventListener('securitypolicyviolation', this.onPolicyViolation);
    this.resize?.disconnect();
    this.map.remove();
  }

  /** The page's policy forbids the tile server: no tile will ever load, so none is asked for again. */
  private readonly onPolicyViolation = (event: SecurityPolicyViolationEvent) => {
    if (!this.tiles || !(event.effectiveDirective === 'img-src' || event.violatedDirective.startsWith('img-src'))) return;
    this.tiles.remove();
    this.tiles = null;
    this.failTiles();
  };

  private failTiles(): void {
    if (this.tilesFailed) return;
    this.tilesFailed = true;
    this.map.getContainer().classList.add('is-tiles-failed');
    this.options.onTilesFailed();
  }

  private iconFor(key: string, personId: number): LabelIcon {
    return new LabelIcon(this.labels.get(key) ?? { key, color: '#6b7580', name: key, name_en: key, shown: key }, personId);
  }

  private clusterIcon(cluster: L.MarkerCluster): ClusterIcon {
    const counts = new Map<string, number>();
    for (const marker of cluster.getAllChildMarkers()) {
      const id = personIdOf(marker);
      const key = id === undefined ? '' : (this.entries.get(id)?.label ?? '');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const total = cluster.getChildCount();
    const stops: string[] = [];
    const parts: string[] = [];
    let from = 0;
    const ordered = [...this.labels.keys(), ...[...counts.keys()].filter((key) => !this.labels.has(key))];
    for (const key of ordered) {
      const n = counts.get(key) ?? 0;
      if (n === 0) continue;
      const to = from + (n / total) * 360;
      const color = this.labels.get(key)?.color ?? '#6b7580';
      stops.push(`${color} ${from.toFixed(1)}deg ${to.toFixed(1)}deg`);
      parts.push(`${this.labels.get(key)?.shown ?? key} ${n}`);
      from = to;
    }
    return new ClusterIcon(total, `conic-gradient(${stops.join(', ')})`, `${total}: ${parts.join('、')}`);
  }

}

function personIdOf(marker: L.Marker | undefined): number | undefined {
  return (marker?.options as { personId?: number } | undefined)?.personId;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

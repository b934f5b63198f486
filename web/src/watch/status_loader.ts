// Loading the status list in the order the page shows it.
//
// The server sorts by kana and filters by one state at a time. "Most urgent first" is therefore
// read as consecutive segments — every alert household, then attention, offline, ok — each
// paged by the server. One request per state (limit 1 when only its total is needed) gives the
// counts on the filter chips and the segment lengths at the same time.
import {
  getWatchStatus,
  STATES_BY_SEVERITY,
  WATCH_MAX_LIMIT,
  type HouseholdState,
  type HouseholdStatus,
  type StatusPage,
} from '../api/watch';

export type SortOrder = 'severity' | 'name';

export interface StatusQuery {
  q: string;
  state: HouseholdState | null;
  sort: SortOrder;
}

/** A run of the list served by one filter: one state, or every household (state null). */
interface Segment {
  state: HouseholdState | null;
  length: number;
  /** Rows already fetched from the segment's start (saves requests). */
  head: HouseholdStatus[];
}

export interface StatusSnapshot {
  query: StatusQuery;
  /** The loaded part of the list, in display order. */
  households: HouseholdStatus[];
  /** Length of the whole list for this query. */
  total: number;
  /** Households per state matching q (the state filter aside). */
  counts: Record<HouseholdState, number>;
  /** The earliest server time of the answers this snapshot was built from. */
  asOf: string;
  /** Server clock minus this browser's clock, in ms, to show "… ago" with the server's idea of now. */
  skewMs: number;
  segments: Segment[];
}

function byState<T>(make: (state: HouseholdState) => T): Record<HouseholdState, T> {
  return { alert: make('alert'), attention: make('attention'), offline: make('offline'), ok: make('ok') };
}

/** Loads the first `count` households of the list (a fresh page, or a refresh of what is shown). */
export async function loadSnapshot(query: StatusQuery, count: number, signal?: AbortSignal): Promise<StatusSnapshot> {
  const q = query.q;
  const listed = (state: HouseholdState) =>
    query.state ? query.state === state : query.sort === 'severity';
  const prefetch = Math.min(Math.max(count, 1), WATCH_MAX_LIMIT);
  const started = Date.now();

  const [perState, everyone] = await Promise.all([
    Promise.all(
      STATES_BY_SEVERITY.map((state) =>
        getWatchStatus({ q, state }, { offset: 0, limit: listed(state) ? prefetch : 1 }, signal),
      ),
    ),
    !query.state && query.sort === 'name' ? getWatchStatus({ q }, { offset: 0, limit: prefetch }, signal) : null,
  ]);
  const received = Date.now();

  const pages = byState((state) => perState[STATES_BY_SEVERITY.indexOf(state)]);
  const counts = byState((state) => pages[state].total);
  const answers: StatusPage[] = everyone ? [...perState, everyone] : perState;
  const asOf = answers.map((page) => page.as_of).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  const skewMs = Date.parse(asOf) - (started + received) / 2;

  let segments: Segment[];
  if (query.state) {
    segments = [{ state: query.state, length: counts[query.state], head: pages[query.state].households }];
  } else if (everyone) {
    segments = [{ state: null, length: everyone.total, head: everyone.households }];
  } else {
    segments = STATES_BY_SEVERITY.map((state) => ({ state, length: counts[state], head: pages[state].households }));
  }
  const households = await readRange(q, segments, 0, count, signal);
  const total = segments.reduce((sum, segment) => sum + segment.length, 0);
  return { query, households, total, counts, asOf, skewMs, segments };
}

/** The next `count` households after those of `snapshot` ("show more"). */
export async function loadMore(snapshot: StatusSnapshot, count: number, signal?: AbortSignal): Promise<StatusSnapshot> {
  const more = await readRange(snapshot.query.q, snapshot.segments, snapshot.households.length, count, signal);
  // States change between requests: a household can move to a later segment and come twice.
  const seen = new Set(snapshot.households.map((h) => h.id));
  const added = more.filter((h) => !seen.has(h.id));
  const households = [...snapshot.households, ...added];
  // Segments that shrank meanwhile would offer "more" forever: stop at what exists.
  const total = added.length === 0 ? households.length : Math.max(snapshot.total, households.length);
  return { ...snapshot, households, total };
}

/** Households [offset, offset + count) of the concatenated segments. */
async function readRange(
  q: string,
  segments: Segment[],
  offset: number,
  count: number,
  signal?: AbortSignal,
): Promise<HouseholdStatus[]> {
  const reads: Promise<HouseholdStatus[]>[] = [];
  let start = 0;
  for (const segment of segments) {
    const from = Math.max(offset, start) - start;
    const to = Math.min(offset + count, start + segment.length) - start;
    if (to > from) reads.push(readSegment(q, segment, from, to, signal));
    start += segment.length;
  }
  return (await Promise.all(reads)).flat();
}

async function readSegment(
  q: string,
  segment: Segment,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<HouseholdStatus[]> {
  const known = segment.head.slice(from, to);
  const requests: Promise<StatusPage>[] = [];
  for (let at = from + known.length; at < to; at += WATCH_MAX_LIMIT) {
    requests.push(getWatchStatus({ q, state: segment.state }, { offset: at, limit: Math.min(WATCH_MAX_LIMIT, to - at) }, signal));
  }
  const pages = await Promise.all(requests);
  return [...known, ...pages.flatMap((page) => page.households)];
}

// Loading the status list in the order the page shows it.
//
// One request per load: the server filters (q, state), sorts (kana, or most urgent first),
// pages, and returns the per-state counts for the filter chips in the same answer.
import {
  getWatchStatus,
  WATCH_MAX_LIMIT,
  type HouseholdState,
  type HouseholdStatus,
  type StatusFilter,
} from '../api/watch';

export type SortOrder = 'severity' | 'name';

export interface StatusQuery {
  q: string;
  state: HouseholdState | null;
  sort: SortOrder;
}

export interface StatusSnapshot {
  query: StatusQuery;
  /** The loaded part of the list, in display order. */
  households: HouseholdStatus[];
  /** Length of the whole list for this query. */
  total: number;
  /** Households per state matching q (the state filter aside). */
  counts: Record<HouseholdState, number>;
  /** The server time of the answer this snapshot was built from. */
  asOf: string;
  /** Server clock minus this browser's clock, in ms, to show "… ago" with the server's idea of now. */
  skewMs: number;
}

function filterOf(query: StatusQuery): StatusFilter {
  return { q: query.q, state: query.state, sort: query.sort === 'name' ? 'kana' : 'severity' };
}

/**
 * Loads the first `count` households of the list (a fresh page, or a refresh of what is shown) in one
 * request; the server answers at most WATCH_MAX_LIMIT rows at a time.
 */
export async function loadSnapshot(query: StatusQuery, count: number, signal?: AbortSignal): Promise<StatusSnapshot> {
  const started = Date.now();
  const page = await getWatchStatus(filterOf(query), { offset: 0, limit: Math.min(count, WATCH_MAX_LIMIT) }, signal);
  const received = Date.now();
  const skewMs = Date.parse(page.as_of) - (started + received) / 2;
  return { query, households: page.households, total: page.total, counts: page.counts, asOf: page.as_of, skewMs };
}

/** The next `count` households after those of `snapshot` ("show more"), in one request. */
export async function loadMore(snapshot: StatusSnapshot, count: number, signal?: AbortSignal): Promise<StatusSnapshot> {
  const page = await getWatchStatus(
    filterOf(snapshot.query),
    { offset: snapshot.households.length, limit: Math.min(count, WATCH_MAX_LIMIT) },
    signal,
  );
  // States change between requests: a household can move further down the list and come twice.
  const seen = new Set(snapshot.households.map((h) => h.id));
  const added = page.households.filter((h) => !seen.has(h.id));
  const households = [...snapshot.households, ...added];
  // A list that shrank meanwhile would offer "more" forever: stop at what exists.
  const total = added.length === 0 ? households.length : Math.max(page.total, households.length);
  return { ...snapshot, households, total };
}

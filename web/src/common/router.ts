// Client-side routing on the History API. The server answers every non-/api path with
// index.html, so any URL here can be loaded directly.
import { createStore, useStore } from './store';

export interface Location {
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

const locationStore = createStore<Location>(current());

window.addEventListener('popstate', () => locationStore.set(current()));

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const target = new URL(to, window.location.origin);
  const href = target.pathname + target.search + target.hash;
  if (href === window.location.pathname + window.location.search + window.location.hash && !options.replace) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  locationStore.set(current());
}

/** Rewrites the query string without a new history entry (search filters). */
export function replaceQuery(params: Record<string, string | undefined>): void {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  window.history.replaceState(null, '', window.location.pathname + (text ? `?${text}` : ''));
  locationStore.set(current());
}

/**
 * Changes some parameters of the query string as it is now, keeping the others (an empty
 * value removes one). For updates that land later than the render they were made in — a
 * debounced search box must not undo a filter chosen in the meantime.
 */
export function mergeQuery(change: Record<string, string | undefined>): void {
  const params: Record<string, string | undefined> = Object.fromEntries(new URLSearchParams(window.location.search));
  replaceQuery({ ...params, ...change });
}

export function useLocation(): Location {
  return useStore(locationStore);
}

export function currentLocation(): Location {
  return locationStore.get();
}

/**
 * Matches a path against a pattern like "/persons/:id".
 * Returns the named parts, or null when the path does not match.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i];
    if (part.startsWith(':')) {
      params[part.slice(1)] = decodeURIComponent(have[i]);
    } else if (part !== have[i]) {
      return null;
    }
  }
  return params;
}

/** True for a plain left click that the router should handle in-page. */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

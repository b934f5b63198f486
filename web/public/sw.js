// The app shell for a start without a connection (ここのーと's outbox lives in the browser, so a
// reload on a farm road must still open the app). Rules:
// - page navigations: network first; the last good index.html when the network fails;
// - /assets/* (hashed, immutable): from the cache, else the network, then kept;
// - /api/, /healthz and anything of another origin: never touched, never kept.
// On install the shell and the assets it names are fetched, so the first visit already counts.
const CACHE = 'moyakko-shell-v1';
const SHELL = '/index.html';

/** Keeps `response` as the shell, fetches the assets it names and drops those of older builds. */
async function keepShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put(SHELL, response);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+|\/favicon\.svg)"/g)].map((m) => m[1]);
  await Promise.all(
    assets.map(async (url) => {
      if (await cache.match(url)) return;
      try {
        const asset = await fetch(url);
        if (asset.ok) await cache.put(url, asset);
      } catch {
        // Kept on first use instead.
      }
    }),
  );
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !assets.includes(path)) await cache.delete(request);
  }
}

async function cacheShell() {
  const response = await fetch(SHELL, { cache: 'no-store' });
  if (response.ok) await keepShell(response);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

function bypass(url) {
  return url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/healthz';
}

async function navigation(event) {
  try {
    const response = await fetch(event.request);
    // Every app path is answered with index.html; keep the newest.
    if (response.ok && (response.headers.get('Content-Type') || '').includes('text/html')) {
      // In the background: the page need not wait for the assets to be kept.
      event.waitUntil(keepShell(response.clone()).catch(() => {}));
    }
    return response;
  } catch (err) {
    const cached = await caches.match(SHELL);
    if (cached) return cached;
    throw err;
  }
}

async function asset(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (bypass(url)) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(event));
  } else if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    event.respondWith(asset(request));
  }
});
